
/** A sparse TF-IDF vector with its norm, for cosine similarity between sentences. */
export interface TermVector {
  weights: Map<string, number>;
  norm: number;
}

/** Document frequencies over a set of texts (each text counts a term once). */
export function documentFrequencies(termLists: readonly (readonly string[])[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const terms of termLists) for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
  return df;
}

/** TF-IDF vectors (log-scaled tf, smoothed idf) for each term list, against `df` over `total` texts. */
export function tfidfVectors(termLists: readonly (readonly string[])[], df: ReadonlyMap<string, number>, total: number): TermVector[] {
  return termLists.map((terms) => {
    const tf = new Map<string, number>();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    const weights = new Map<string, number>();
    let sumSquares = 0;
    for (const [term, count] of tf) {
      const weight = (1 + Math.log(count)) * Math.log(1 + total / (df.get(term) ?? 1));
      weights.set(term, weight);
      sumSquares += weight * weight;
    }
    return { weights, norm: Math.sqrt(sumSquares) };
  });
}

export function cosine(a: TermVector, b: TermVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small.weights) dot += weight * (large.weights.get(term) ?? 0);
  return dot / (a.norm * b.norm);
}

