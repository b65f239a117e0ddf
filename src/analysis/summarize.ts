import { lexRank } from "./lexrank.js";
import { cosine, documentFrequencies, tfidfVectors, type TermVector } from "./vectors.js";

/** A sentence that may go into a summary. */
export interface SummaryCandidate {
  /** Where the sentence is among its article's sentences, 0 (first) to 1 (last). */
  position: number;
  /** Index terms of the sentence (see indexTerms). */
  terms: readonly string[];
  /** Whether the sentence states a position (see isPositionStatement). */
  normative: boolean;
  /** Extra prior weight, e.g. relevance to a topic; 1 when omitted. */
  relevance?: number;
}

/** Options for picking summary sentences. */
export interface SummaryOptions {
  /** How many sentences to pick. */
  count: number;
  /** Weight of the lead prior: 0 for none; about 1 for a single news-like article. */
  leadBias?: number;
  /** Multiplier for sentences that state a position. Default 1.3. */
  positionBoost?: number;
  /** MMR trade-off between centrality (1) and novelty (0). Default 0.75. */
  lambda?: number;
  /** Cosine similarity above which a candidate counts as a near-duplicate of a chosen one. Default 0.6. */
  duplicateSimilarity?: number;
  /** Document frequencies to weigh terms by (e.g. over the whole corpus); from the candidates when omitted. */
  df?: { counts: ReadonlyMap<string, number>; total: number };
}

// Normative language: the sentences where an author says what ought to happen.
const POSITION_MARKERS =
  /\b(?:should(?:n['’]t)?|must(?:n['’]t)?|ought(?: not)? to|needs? to|has to|have to|it is time|the time has come|the (?:best|only) (?:way|strategy|option|course)|(?:a|the) better strategy|would be (?:wiser|better|a mistake)|it is a mistake|makes no sense|is (?:critical|essential|vital|imperative)|cannot (?:expect|afford|accept)|we need|let us)\b/i;

/** Whether a sentence states a position (what should, must or ought to happen). */
export function isPositionStatement(text: string): boolean {
  return POSITION_MARKERS.test(text);
}

/**
 * Picks summary sentences: centrality in the sentence-similarity graph (LexRank), with a prior
 * that favours early sentences (lead bias) and topic relevance, a boost for position statements,
 * then maximal marginal relevance so no two picks say the same thing.
 * Returns indexes into `candidates`, best first.
 */
export function pickSummarySentences(candidates: readonly SummaryCandidate[], options: SummaryOptions): number[] {
  if (candidates.length === 0 || options.count <= 0) return [];
  const termLists = candidates.map((c) => c.terms);
  const df = options.df ?? { counts: documentFrequencies(termLists), total: candidates.length };
  const vectors = tfidfVectors(termLists, df.counts, df.total);
  const leadBias = options.leadBias ?? 0;
  const prior = candidates.map((c) => (1 + leadBias * (1 - c.position) ** 2) * (c.relevance ?? 1));
  const centrality = lexRank(vectors, { prior });
  const boost = options.positionBoost ?? 1.3;
  const scores = candidates.map((c, i) => (centrality[i] ?? 0) * (c.normative ? boost : 1) * (c.terms.length === 0 ? 0 : 1));
  return maximalMarginalRelevance(scores, vectors, options);
}

function maximalMarginalRelevance(scores: readonly number[], vectors: readonly TermVector[], options: SummaryOptions): number[] {
  const lambda = options.lambda ?? 0.75;
  const duplicate = options.duplicateSimilarity ?? 0.6;
  const top = Math.max(...scores);
  if (!(top > 0)) return [];
  const relevance = scores.map((s) => s / top);
  const chosen: number[] = [];
  const remaining = new Set(scores.map((_, i) => i).filter((i) => (scores[i] ?? 0) > 0));
  while (chosen.length < options.count && remaining.size > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of remaining) {
      const vector = vectors[i];
      if (!vector) continue;
      const redundancy = Math.max(0, ...chosen.map((j) => cosine(vector, vectors[j] ?? vector)));
      if (redundancy > duplicate) continue;
      const value = lambda * (relevance[i] ?? 0) - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    remaining.delete(best);
  }
  return chosen;
}

/** Sentences per summary length. */
export const SUMMARY_LENGTHS = { short: 3, medium: 5, long: 8 } as const;
export type SummaryLength = keyof typeof SUMMARY_LENGTHS;
