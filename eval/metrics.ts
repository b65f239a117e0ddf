import { foldText } from "../src/text/normalize.js";

/** Hit rates and reciprocal rank over a set of queries. */
export interface RankSummary {
  /** Queries counted. */
  n: number;
  /** Share of queries answered at rank 1. */
  hit1: number;
  /** Share of queries answered within the first three. */
  hit3: number;
  /** Mean reciprocal rank (a miss counts 0). */
  mrr: number;
}

/** Whether a passage contains the expected phrase, ignoring typography, case and punctuation. */
export function containsPhrase(passage: string, phrase: string): boolean {
  const wanted = foldText(phrase);
  return wanted !== "" && foldText(passage).includes(wanted);
}

/** 1-based rank of the first passage that contains the phrase, or null when none does. */
export function hitRank(passages: readonly string[], phrase: string): number | null {
  const index = passages.findIndex((passage) => containsPhrase(passage, phrase));
  return index === -1 ? null : index + 1;
}

/** hit@1, hit@3 and MRR of ranks (null = not found). An empty list gives zeros. */
export function summarizeRanks(ranks: readonly (number | null)[]): RankSummary {
  const n = ranks.length;
  if (n === 0) return { n: 0, hit1: 0, hit3: 0, mrr: 0 };
  let hit1 = 0;
  let hit3 = 0;
  let reciprocal = 0;
  for (const rank of ranks) {
    if (rank === null) continue;
    if (rank < 1 || !Number.isInteger(rank)) throw new RangeError(`a rank is a positive whole number, not ${rank}`);
    if (rank === 1) hit1++;
    if (rank <= 3) hit3++;
    reciprocal += 1 / rank;
  }
  return { n, hit1: hit1 / n, hit3: hit3 / n, mrr: reciprocal / n };
}

/** Discounted cumulative gain of graded gains in rank order: Σ gain_i / log2(i + 1), i from 1, first k only. */
export function dcg(gains: readonly number[], k: number): number {
  let total = 0;
  gains.slice(0, k).forEach((gain, i) => {
    total += gain / Math.log2(i + 2);
  });
  return total;
}

/**
 * nDCG@k of a ranking of document ids against graded judgments (id → grade; grades ≤ 0 are not
 * relevant). The ideal ranking is every judged document by grade, so a relevant document missing
 * from the collection still counts against the system. 0 when nothing is relevant.
 */
export function ndcgAt(ranking: readonly string[], judgments: ReadonlyMap<string, number>, k = 10): number {
  const ideal = [...judgments.values()].filter((grade) => grade > 0).sort((a, b) => b - a);
  const idealDcg = dcg(ideal, k);
  if (idealDcg === 0) return 0;
  const seen = new Set<string>();
  const gains: number[] = [];
  for (const id of ranking) {
    if (seen.has(id)) continue;
    seen.add(id);
    gains.push(Math.max(0, judgments.get(id) ?? 0));
  }
  return dcg(gains, k) / idealDcg;
}

/** Arithmetic mean; 0 for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Ids in first-seen order, duplicates dropped (a document ranked by its best passage). */
export function firstOccurrences(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}
