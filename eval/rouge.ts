/**
 * ROUGE (Lin 2004) for comparing a candidate summary with a reference summary.
 *
 * Tokenisation follows the standard ROUGE script and Google's `rouge-score` reimplementation:
 * lower-case, every character outside [a-z0-9] becomes a space, split on spaces. So "$10.9bn." is
 * the tokens "10", "9bn", and accented letters split words, as they do there. No stemming by
 * default; with `stem: true` tokens longer than three characters are Porter-stemmed (the
 * `rouge-score` rule), with the `stemmer` package. No stop words are removed.
 *
 * ROUGE-N counts clipped n-gram matches (a candidate n-gram matches at most as often as it occurs
 * in the reference). ROUGE-L here is the sentence-level variant (`rougeL` in `rouge-score`, not
 * `rougeLsum`): the longest common subsequence of the two whole token sequences, ignoring sentence
 * boundaries. F1 is the balanced F-measure 2PR / (P + R). Anything empty scores 0.
 */
import { stemmer } from "stemmer";

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters. Default false. */
  stem?: boolean;
}

/** Recall, precision and F1 of one ROUGE measure, each 0 to 1. */
export interface RougeScore {
  recall: number;
  precision: number;
  f1: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

export const ROUGE_MEASURES = ["rouge1", "rouge2", "rougeL"] as const;
export type RougeMeasure = (typeof ROUGE_MEASURES)[number];

/** The ROUGE tokens of a text. */
export function rougeTokens(text: string, options: RougeOptions = {}): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((token) => token !== "");
  return options.stem ? tokens.map((token) => (token.length > 3 ? stemmer(token) : token)) : tokens;
}

/** A score from a match count and the two totals it is a share of. */
export function scoreOf(matches: number, referenceTotal: number, candidateTotal: number): RougeScore {
  const recall = referenceTotal > 0 ? matches / referenceTotal : 0;
  const precision = candidateTotal > 0 ? matches / candidateTotal : 0;
  const f1 = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
  return { recall, precision, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(" ");
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N over token sequences. */
export function rougeNTokens(candidate: readonly string[], reference: readonly string[], n: number): RougeScore {
  const candidateCounts = ngramCounts(candidate, n);
  const referenceCounts = ngramCounts(reference, n);
  let matches = 0;
  for (const [gram, count] of candidateCounts) matches += Math.min(count, referenceCounts.get(gram) ?? 0);
  return scoreOf(matches, Math.max(0, reference.length - n + 1), Math.max(0, candidate.length - n + 1));
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (const token of a) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = token === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/** Sentence-level ROUGE-L over token sequences. */
export function rougeLTokens(candidate: readonly string[], reference: readonly string[]): RougeScore {
  return scoreOf(lcsLength(candidate, reference), reference.length, candidate.length);
}

/** ROUGE-N of a candidate text against a reference text. */
export function rougeN(candidate: string, reference: string, n: number, options: RougeOptions = {}): RougeScore {
  return rougeNTokens(rougeTokens(candidate, options), rougeTokens(reference, options), n);
}

/** ROUGE-L (whole-sequence LCS) of a candidate text against a reference text. */
export function rougeL(candidate: string, reference: string, options: RougeOptions = {}): RougeScore {
  return rougeLTokens(rougeTokens(candidate, options), rougeTokens(reference, options));
}

/** ROUGE-1, ROUGE-2 and ROUGE-L, tokenising each text once. */
export function rouge(candidate: string, reference: string, options: RougeOptions = {}): RougeScores {
  const c = rougeTokens(candidate, options);
  const r = rougeTokens(reference, options);
  return { rouge1: rougeNTokens(c, r, 1), rouge2: rougeNTokens(c, r, 2), rougeL: rougeLTokens(c, r) };
}
