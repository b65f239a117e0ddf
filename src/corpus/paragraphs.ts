import { endsSentence, joinSeparator, startsLowercase, startsWithAttachingPunctuation, startsWithDash } from "./rawtext.js";

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
 * How much of a paragraph's end a draft keeps at hand: what decides how the next line joins it
 * (see Draft.tail). Only a line ending in this many closing quotes could be judged differently.
 */
const TAIL_LENGTH = 64;

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
      const draft = startDraft(block[0] ?? "");
      for (let i = 1; i < block.length; i++) {
        const line = block[i] ?? "";
        append(draft, line, shape === "blank-line-paragraphs" ? breakReason(draft.tail, line) : undefined);
      }
      drafts.push(draft);
    }
  } else {
    const only = blocks[0] ?? [];
    const broken = only.some((line, index) => index > 0 && breakReason(only[index - 1] ?? "", line) !== undefined);
    shape = broken ? "broken-lines" : "one-paragraph-per-line";
    for (const line of only) {
      const last = drafts.at(-1);
      const reason = last && broken ? breakReason(last.tail, line) : undefined;
      if (last && reason !== undefined) append(last, line, reason);
      else drafts.push(startDraft(line));
    }
  }
  const paragraphs: string[] = [];
  const suspectedGaps: SuspectedGap[] = [];
  for (const draft of drafts) {
    const { text, joins } = tidySpaceBeforePunctuation(draft.pieces.join(""), draft.joins);
    paragraphs.push(text);
    for (const join of joins.sort((a, b) => a.at - b.at)) suspectedGaps.push(toGap(paragraphs.length, text, join));
  }
  return { shape, paragraphs, suspectedGaps };
}

/**
 * A paragraph being rebuilt. Its text is kept as pieces, joined once at the end, and only its
 * last characters are looked at while lines are added: testing the whole growing text made each
 * line cost as much as the paragraph so far (a 100k-line paragraph never finished), because V8
 * copies a string built by `+` into one flat string whenever it is read.
 */
interface Draft {
  pieces: string[];
  /** The length of the text so far. */
  length: number;
  /** The last TAIL_LENGTH characters of the text so far (all of it when shorter). */
  tail: string;
  joins: Join[];
}

interface Join {
  /** Offset in the paragraph where the appended line starts. */
  at: number;
  reason: string;
}

function startDraft(line: string): Draft {
  return { pieces: [line], length: line.length, tail: line.slice(-TAIL_LENGTH), joins: [] };
}

/** Adds a line to the paragraph as joinPieces would join it, noting the join when there is a reason. */
function append(draft: Draft, line: string, reason: string | undefined): void {
  const separator = joinSeparator(draft.tail, line);
  if (separator !== "") draft.pieces.push(separator);
  draft.pieces.push(line);
  draft.length += separator.length + line.length;
  if (reason !== undefined) draft.joins.push({ at: draft.length - line.length, reason });
  draft.tail = line.length >= TAIL_LENGTH ? line.slice(-TAIL_LENGTH) : (draft.tail + separator + line).slice(-TAIL_LENGTH);
}

/** A space left before , . ; : ! ? where a scraper dropped a link ("coalition of allies ."). */
const STRAY_SPACE = /(?<=\S) (?=(?:[,;:!?]|\.(?!\.))(?:$|[\s"”’)\]]))/gu;

/** Removes stray spaces before punctuation and reports each one, since link words may be lost there. */
function tidySpaceBeforePunctuation(text: string, joins: readonly Join[]): { text: string; joins: Join[] } {
  const removedAt = [...text.matchAll(STRAY_SPACE)].map((match) => match.index);
  if (removedAt.length === 0) return { text, joins: [...joins] };
  // Where an offset lands once the spaces are gone: minus the removed spaces before it
  // (removedAt is ascending; a binary search, as a paragraph may have 100k of them).
  const shift = (at: number) => at - countBelow(removedAt, at);
  const tidied = text.replace(STRAY_SPACE, "");
  const moved = joins.map((join) => ({ ...join, at: shift(join.at) }));
  removedAt.forEach((index, removedBefore) => {
    const at = index - removedBefore;
    moved.push({ at, reason: `a space stood before "${tidied[at] ?? ""}" (removed): a stripped hyperlink may have lost words here` });
  });
  return { text: tidied, joins: moved };
}

/** How many of the ascending `values` are below `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < limit) low = middle + 1;
    else high = middle;
  }
  return low;
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
