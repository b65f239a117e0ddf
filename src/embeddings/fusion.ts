/** RRF's constant: 60, as in Cormack, Clarke & Büttcher (2009), where it was chosen and has held since. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each key scores Σ 1/(k + rank) over the rankings it appears in
 * (rank 1-based). It needs no calibration between BM25 scores and cosines, which live on
 * unrelated scales; only the order within each ranking counts.
 */
export function reciprocalRankFusion<K>(rankings: readonly (readonly K[])[], k = RRF_K): Map<K, number> {
  const scores = new Map<K, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, i) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + i + 1)));
  }
  return scores;
}
