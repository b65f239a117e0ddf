import { passageWindows, type PassageSpan } from "../text/passages.js";
import type { Paragraph } from "../text/segment.js";
import { indexTerm, tokenize } from "../text/tokenize.js";

/** A paragraph's words that make index terms: the i-th is `terms[i]` at body offsets `starts[i]`–`ends[i]`. */
export interface ParagraphTerms {
  terms: string[];
  starts: Int32Array;
  ends: Int32Array;
}

/** A window chosen inside a paragraph: its span, its score, and the offsets of its matched words. */
export interface ScoredWindow {
  span: PassageSpan;
  score: number;
  matches: { start: number; end: number }[];
}

/** A paragraph's quotable windows and words, worked out the first time a search needs them. */
export class ParagraphText {
  #windows?: PassageSpan[];
  #terms?: ParagraphTerms;

  constructor(
    readonly body: string,
    readonly paragraph: Paragraph,
  ) {}

  get windows(): PassageSpan[] {
    return (this.#windows ??= passageWindows(this.paragraph));
  }

  /** Kept: a paragraph that matched once tends to match again, and tokenising it is most of a window choice. */
  get terms(): ParagraphTerms {
    return (this.#terms ??= paragraphTerms(this.body, this.paragraph));
  }
}

/**
 * Up to `most` non-overlapping windows of a paragraph that best cover the query terms (`weights`:
 * term → weight), each scored by windowScore. Best coverage first; among equals the shorter
 * window, so no sentence rides along for free.
 */
export function bestWindows(text: ParagraphText, weights: ReadonlyMap<string, number>, paragraphScore: number, most: number): ScoredWindow[] {
  const words = text.terms;
  const matched: { term: string; start: number; end: number }[] = [];
  words.terms.forEach((term, i) => {
    if (weights.has(term)) matched.push({ term, start: words.starts[i] ?? 0, end: words.ends[i] ?? 0 });
  });
  const paragraphCoverage = coverage(matched, weights);
  if (paragraphCoverage === 0) return [];
  const scored = text.windows
    .map((span) => {
      const inside = matched.filter((token) => token.start >= span.start && token.end <= span.end);
      return { span, inside, coverage: coverage(inside, weights) };
    })
    .filter((window) => window.coverage > 0)
    .sort((a, b) => b.coverage - a.coverage || a.span.end - a.span.start - (b.span.end - b.span.start));
  const chosen: typeof scored = [];
  for (const window of scored) {
    if (chosen.length === most) break;
    if (chosen.some((other) => overlaps(other.span, window.span))) continue;
    chosen.push(window);
  }
  return chosen.map((window, rank) => ({
    span: window.span,
    score: windowScore(paragraphScore, window.coverage / paragraphCoverage, rank),
    matches: window.inside.map(({ start, end }) => ({ start, end })),
  }));
}

/**
 * A window's score: its paragraph's, scaled by the share of the paragraph's coverage it holds
 * (0..1, as a window's words are some of its paragraph's), the second window of a paragraph
 * below the first. Never more than `paragraphScore`: a search may stop looking at paragraphs
 * once their scores fall below the windows it has (see PassageSearch.search).
 */
export function windowScore(paragraphScore: number, coverageShare: number, rank: number): number {
  return paragraphScore * (0.5 + 0.5 * coverageShare) * (rank === 0 ? 1 : 0.8);
}

/** Sum of the weights of the distinct terms present, plus a little for repeats. */
export function coverage(tokens: readonly { term: string }[], weights: ReadonlyMap<string, number>): number {
  const distinct = new Set(tokens.map((token) => token.term));
  let total = 0;
  for (const term of distinct) total += weights.get(term) ?? 0;
  return total + 0.05 * (tokens.length - distinct.size);
}

function overlaps(a: PassageSpan, b: PassageSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

function paragraphTerms(body: string, paragraph: Paragraph): ParagraphTerms {
  const terms: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const token of tokenize(body.slice(paragraph.start, paragraph.end))) {
    const term = indexTerm(token.word);
    if (term === null) continue;
    terms.push(term);
    starts.push(paragraph.start + token.start);
    ends.push(paragraph.start + token.end);
  }
  return { terms, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}
