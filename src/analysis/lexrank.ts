import { cosine, type TermVector } from "./vectors.js";

/** Tuning of the sentence graph. */
export interface LexRankOptions {
  /** Edges below this cosine similarity are dropped (LexRank's threshold). Default 0.1. */
  threshold?: number;
  /** PageRank damping. Default 0.85. */
  damping?: number;
  /** Per-sentence prior (teleport) weights, e.g. a lead bias; uniform when omitted. */
  prior?: readonly number[];
}

/**
 * Continuous LexRank (Erkan & Radev 2004): PageRank over the cosine-similarity graph of the
 * sentences, with edge weights kept. A prior turns it into a biased (topic- or lead-sensitive) walk.
 * Returns one centrality score per sentence, summing to 1.
 */
export function lexRank(vectors: readonly TermVector[], options: LexRankOptions = {}): number[] {
  const n = vectors.length;
  if (n === 0) return [];
  const threshold = options.threshold ?? 0.1;
  const damping = options.damping ?? 0.85;
  const prior = normalise(options.prior ?? vectors.map(() => 1));
  const edges: { to: number; weight: number }[][] = vectors.map(() => []);
  const outWeight = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = vectors[i];
      const b = vectors[j];
      if (!a || !b) continue;
      const similarity = cosine(a, b);
      if (similarity < threshold) continue;
      edges[i]?.push({ to: j, weight: similarity });
      edges[j]?.push({ to: i, weight: similarity });
      outWeight[i] = (outWeight[i] ?? 0) + similarity;
      outWeight[j] = (outWeight[j] ?? 0) + similarity;
    }
  }
  let rank = [...prior];
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = prior.map((p) => (1 - damping) * p);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const mass = rank[i] ?? 0;
      const total = outWeight[i] ?? 0;
      if (total === 0) {
        dangling += mass;
        continue;
      }
      for (const edge of edges[i] ?? []) next[edge.to] = (next[edge.to] ?? 0) + (damping * mass * edge.weight) / total;
    }
    // A sentence unlike all others hands its mass back through the prior.
    for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) + damping * dangling * (prior[i] ?? 0);
    const change = next.reduce((sum, value, i) => sum + Math.abs(value - (rank[i] ?? 0)), 0);
    rank = next;
    if (change < 1e-8) break;
  }
  return rank;
}

function normalise(values: readonly number[]): number[] {
  const total = values.reduce((sum, v) => sum + v, 0);
  return total > 0 ? values.map((v) => v / total) : values.map(() => 1 / values.length);
}
