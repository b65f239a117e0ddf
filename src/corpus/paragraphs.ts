import { endsSentence, joinPieces, startsLowercase, startsWithAttachingPunctuation, startsWithDash } from "./rawtext.js";

/** How the raw text laid out its paragraphs. */
export type TextShape = "blank-line-paragraphs" | "hard-wrapped" | "one-paragraph-per-line" | "broken-lines";

/** A place where two raw lines were joined mid-sentence: words may be missing there. */
export interface SuspectedGap {
  /** 1-based paragraph number in the body. */
  paragraph: number;
  /** The body text around the join, copied exactly (search the body for it). */
  excerpt: string;
  reason: string;
}

export interface RebuiltText {
  shape: TextShape;
  paragraphs: string[];
  suspectedGaps: SuspectedGap[];
}

/** Hard-wrapped archives wrap at a fixed width: no wrapped line is longer than this. */
const MAX_WRAP_WIDTH = 100;
const MIN_WRAP_WIDTH = 40;
const EXCERPT_RADIUS = 30;

/**
 * Rebuilds paragraphs from cleaned lines ("" marks a blank line). Detects the shape first:
 * blank lines between paragraphs (each block one paragraph, hard-wrapped or not), or no blank
 * lines at all (one paragraph per line, or lines broken mid-sentence, which are joined and
 * reported as suspected gaps).
 */
export function rebuildParagraphs(lines: readonly string[]): RebuiltText {
  const blocks = toBlocks(lines);
  const drafts: Draft[] = [];
  let shape: TextShape;
  if (blocks.length > 1) {
    shape = isHardWrapped(blocks) ? "hard-wrapped" : "blank-line-paragraphs";
    for (const block of blocks) {
      const draft: Draft = { text: block[0] ?? "", joins: [] };
      for (const line of block.slice(1)) {
        append(draft, line, shape === "blank-line-paragraphs" ? breakReason(draft.text, line) : undefined);
      }
      drafts.push(draft);
    }
  } else {
    const only = blocks[0] ?? [];
    const broken = only.some((line, index) => index > 0 && breakReason(only[index - 1] ?? "", line) !== undefined);
    shape = broken ? "broken-lines" : "one-paragraph-per-line";
    for (const line of only) {
      const last = drafts.at(-1);
      const reason = last && broken ? breakReason(last.text, line) : undefined;
      if (last && reason !== undefined) append(last, line, reason);
      else drafts.push({ text: line, joins: [] });
    }
  }
  const paragraphs: string[] = [];
  const suspectedGaps: SuspectedGap[] = [];
  for (const draft of drafts) {
    tidySpaceBeforePunctuation(draft);
    paragraphs.push(draft.text);
    for (const join of draft.joins.sort((a, b) => a.at - b.at)) suspectedGaps.push(toGap(paragraphs.length, draft.text, join));
  }
  return { shape, paragraphs, suspectedGaps };
}

interface Draft {
  text: string;
  joins: Join[];
}

interface Join {
  /** Offset in the paragraph where the appended line starts. */
  at: number;
  reason: string;
}

function append(draft: Draft, line: string, reason: string | undefined): void {
  const joined = joinPieces(draft.text, line);
  if (reason !== undefined) draft.joins.push({ at: joined.length - line.length, reason });
  draft.text = joined;
}

/** A space left before , . ; : ! ? where a scraper dropped a link ("coalition of allies ."). */
const STRAY_SPACE = /(?<=\S) (?=(?:[,;:!?]|\.(?!\.))(?:$|[\s"”’)\]]))/gu;

/** Removes stray spaces before punctuation and reports each one, since link words may be lost there. */
function tidySpaceBeforePunctuation(draft: Draft): void {
  const removedAt = [...draft.text.matchAll(STRAY_SPACE)].map((match) => match.index);
  if (removedAt.length === 0) return;
  const shift = (at: number) => at - removedAt.filter((index) => index < at).length;
  draft.text = draft.text.replace(STRAY_SPACE, "");
  draft.joins = draft.joins.map((join) => ({ ...join, at: shift(join.at) }));
  for (const index of removedAt) {
    const mark = draft.text[shift(index)] ?? "";
    draft.joins.push({
      at: shift(index),
      reason: `a space stood before "${mark}" (removed): a stripped hyperlink may have lost words here`,
    });
  }
}

function toBlocks(lines: readonly string[]): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line !== "") {
      current.push(line);
      continue;
    }
    if (current.length > 0) blocks.push(current);
    current = [];
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/** Wrapped lines (all but the last of each block) exist and all fit a fixed column width. */
function isHardWrapped(blocks: readonly string[][]): boolean {
  const wrapped = blocks.flatMap((block) => block.slice(0, -1));
  if (wrapped.length === 0) return false;
  const lengths = wrapped.map((line) => line.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  return (lengths.at(-1) ?? 0) <= MAX_WRAP_WIDTH && median >= MIN_WRAP_WIDTH;
}

/** Why `next` continues the sentence of `previous`, or undefined when a new paragraph starts. */
function breakReason(previous: string, next: string): string | undefined {
  const reasons: string[] = [];
  if (!endsSentence(previous)) reasons.push("the line ended without . ! ? or a closing quote");
  if (startsLowercase(next)) reasons.push("the next line starts in lowercase");
  else if (startsWithAttachingPunctuation(next) || startsWithDash(next)) {
    reasons.push(`the next line starts with "${next[0] ?? ""}"`);
  }
  if (reasons.length === 0) return undefined;
  return `lines joined mid-sentence (${reasons.join("; ")}): a stripped hyperlink may have lost words here`;
}

/** The paragraph text around a join, widened to whole words and copied exactly. */
function toGap(paragraph: number, text: string, join: Join): SuspectedGap {
  let start = Math.max(0, join.at - EXCERPT_RADIUS);
  let end = Math.min(text.length, join.at + EXCERPT_RADIUS);
  if (start > 0) {
    const space = text.lastIndexOf(" ", start);
    start = space < 0 ? 0 : space + 1;
  }
  if (end < text.length) {
    const space = text.indexOf(" ", end);
    end = space < 0 ? text.length : space;
  }
  return { paragraph, excerpt: text.slice(start, end).trim(), reason: join.reason };
}
