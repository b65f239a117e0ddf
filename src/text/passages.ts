import { MisquoteError } from "../errors.js";
import type { Paragraph, Sentence } from "./segment.js";

/** About what fits comfortably in a chat message; one longer sentence is still allowed alone. */
export const MAX_PASSAGE_CHARS = 450;
/** Passages are 1 to this many consecutive sentences of one paragraph. */
export const MAX_PASSAGE_SENTENCES = 3;

/** A quotable run of sentences: offsets into the article body. */
export interface PassageSpan {
  start: number;
  end: number;
  paragraph: number;
  /** 1-based sentence numbers within the paragraph, inclusive. */
  firstSentence: number;
  lastSentence: number;
}

/** Every quotable window of a paragraph: each sentence alone, and runs of 2–3 that fit the limit. */
export function passageWindows(paragraph: Paragraph, maxChars = MAX_PASSAGE_CHARS): PassageSpan[] {
  const windows: PassageSpan[] = [];
  const { sentences } = paragraph;
  for (let first = 0; first < sentences.length; first++) {
    for (let last = first; last < Math.min(sentences.length, first + MAX_PASSAGE_SENTENCES); last++) {
      const span = spanOf(sentences, first, last);
      if (last > first && span.end - span.start > maxChars) break;
      windows.push(span);
    }
  }
  return windows;
}

/** The passage covering sentences `first`..`last` (0-based indexes into `sentences`). */
export function spanOf(sentences: readonly Sentence[], first: number, last: number): PassageSpan {
  const a = sentences[first];
  const b = sentences[last];
  if (!a || !b || last < first) throw new RangeError(`no sentences ${first}..${last}`);
  return { start: a.start, end: b.end, paragraph: a.paragraph, firstSentence: a.index, lastSentence: b.index };
}

/** The citation id of a passage: `<article-id>:<paragraph>.<sentence>` or `…:<p>.<s1>-<s2>`. */
export function citationOf(articleId: string, span: PassageSpan): string {
  const sentences = span.firstSentence === span.lastSentence ? `${span.firstSentence}` : `${span.firstSentence}-${span.lastSentence}`;
  return `${articleId}:${span.paragraph}.${sentences}`;
}

/** Parses a citation id back into its parts, or returns null when it is not one. */
export function parseCitation(citation: string): { articleId: string; paragraph: number; firstSentence: number; lastSentence: number } | null {
  const match = /^([a-z0-9-]+):(\d+)\.(\d+)(?:-(\d+))?$/.exec(citation.trim());
  if (!match) return null;
  const first = Number(match[3]);
  const last = match[4] === undefined ? first : Number(match[4]);
  if (last < first) return null;
  return { articleId: match[1] ?? "", paragraph: Number(match[2]), firstSentence: first, lastSentence: last };
}

/** Throws unless the passage is, character for character, the body slice it claims to be. */
export function verifyPassage(article: { id: string; body: string }, passage: { text: string; start: number; end: number; citation: string }): void {
  if (article.body.slice(passage.start, passage.end) !== passage.text || passage.text.trim() === "") {
    throw new MisquoteError(`${passage.citation} is not an exact passage of ${article.id}`);
  }
}
