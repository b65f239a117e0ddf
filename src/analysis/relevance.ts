import { distance } from "fastest-levenshtein";
import type { PassageResult, SearchOptions } from "../types.js";
import { PassageSearch } from "../search/passage-search.js";
import { indexTerm, tokenize } from "../text/tokenize.js";
import type { AnalysisContext } from "./context.js";

/** Search results per column that count as its topic passages (for candidates and terms). */
const TOPIC_DEPTH = 20;
/**
 * Most passages of the corpus-wide search the relevance floor is measured on. TOPIC_DEPTH per
 * article is every passage that could matter in a small library; in a large one the best score
 * is found long before, and asking for all of them made a 1,000-article contrast take seconds.
 */
const MAX_REFERENCE = 400;
/**
 * Up to this many articles in all, each is searched in its own scope, so an author's weaker
 * passages still count; past it, candidates come from the corpus-wide reference search.
 */
const MAX_SCOPED_SEARCHES = 40;
/**
 * A passage with only some of the typed terms must score this share of the topic's best passage.
 * Calibrated on the IBM Debater speeches' odd motions (npm run eval -- --debate <folder>): at 0.1
 * one shown passage in four came from a debate on another motion; 0.2 gave the best balance of
 * topical precision and speaker recall there (0.15: 86.7% / 96.7%, 0.2: 94.4% / 92.2%,
 * 0.25: 94.9% / 88.9%). A passage with every typed term needs no share of the best score: a floor
 * for those changed nothing there.
 */
const PARTIAL_MATCH_FLOOR = 0.2;
/** A passage with none of the typed terms (thesaurus or typo matches only) must score this share. */
const EXPANSION_ONLY_FLOOR = 0.5;
/** Which passages count as being about a topic: one floor shared by contrast, timeline and topics. */
export interface TopicRelevance {
  /** Distinct index terms the user typed. */
  readonly typed: readonly string[];
  /** Best score, corpus-wide, of a passage that contains a typed term; 0 when none does. */
  readonly best: number;
  /** The corpus-wide search the floor was measured on, best first. */
  readonly reference: readonly PassageResult[];
  /** The typed terms a passage contains. */
  matched(passage: Pick<PassageResult, "text">): string[];
  isRelevant(passage: Pick<PassageResult, "text" | "score">): boolean;
  /** The relevant passages, those with more of the typed terms first, then by score. */
  rank(passages: readonly PassageResult[]): PassageResult[];
}

/**
 * The relevance floor, relative to the query: a passage is about the topic when it contains
 * every term the user typed; or at least half of them and PARTIAL_MATCH_FLOOR of the best score;
 * or none of them (thesaurus words only) but EXPANSION_ONLY_FLOOR of the best score. Typed terms
 * match exactly (after stemming); only when no passage has one does a near spelling count, as
 * the engine's own typo fallback does. The best score is taken over the whole corpus, so the
 * floor is the same for every author.
 */
export function topicRelevance(ctx: AnalysisContext, topic: string): TopicRelevance {
  const typed = [...new Set(PassageSearch.queryTerms(topic))];
  const reference = ctx.search(topic, { limit: Math.min(MAX_REFERENCE, TOPIC_DEPTH * Math.max(1, ctx.articles.length)) });
  const exact = (term: string, wanted: string): boolean => term === wanted;
  const near = (term: string, wanted: string): boolean => distance(term, wanted) <= Math.max(1, Math.round(wanted.length * 0.2));
  // A passage's terms are read once, however often the floor and the ranking ask.
  const termsOf = memoize((text: string) => new Set(tokenize(text).flatMap((token) => indexTerm(token.word) ?? [])));
  const matchWith = (same: (term: string, wanted: string) => boolean) => (passage: Pick<PassageResult, "text">) => {
    const terms = termsOf(passage.text);
    return typed.filter((wanted) => terms.has(wanted) || (same !== exact && [...terms].some((term) => same(term, wanted))));
  };
  const matchedExact = matchWith(exact);
  const matched = reference.some((p) => matchedExact(p).length > 0) ? matchedExact : matchWith(near);
  const best = Math.max(0, ...reference.filter((p) => matched(p).length > 0).map((p) => p.score));
  const isRelevant = (passage: Pick<PassageResult, "text" | "score">): boolean => {
    if (best <= 0) return false;
    const count = matched(passage).length;
    if (count === typed.length) return true;
    if (count > 0) return count * 2 >= typed.length && passage.score >= PARTIAL_MATCH_FLOOR * best;
    return passage.score >= EXPANSION_ONLY_FLOOR * best;
  };
  const rank = (passages: readonly PassageResult[]): PassageResult[] =>
    passages
      .filter(isRelevant)
      .map((passage) => ({ passage, count: matched(passage).length }))
      .sort((a, b) => b.count - a.count || b.passage.score - a.passage.score)
      .map(({ passage }) => passage);
  return { typed, best, reference, matched, isRelevant, rank };
}

/**
 * The top topic passages of some articles, best first: each article searched in its own scope,
 * or, when `reference` is given (a large library), taken from that corpus-wide search.
 */
export function topicPassages(ctx: AnalysisContext, topic: string, articleIds: readonly string[], reference?: readonly PassageResult[], limit = TOPIC_DEPTH): PassageResult[] {
  let results: PassageResult[];
  if (reference) {
    const wanted = new Set(articleIds);
    results = reference.filter((p) => wanted.has(p.articleId));
  } else {
    results = articleIds.flatMap((article) => ctx.search(topic, { article, limit } satisfies SearchOptions));
  }
  return results.sort((a, b) => b.score - a.score || a.articleId.localeCompare(b.articleId) || a.start - b.start).slice(0, limit);
}

/** Whether searching each of these many articles on its own is cheap enough (see MAX_SCOPED_SEARCHES). */
export function searchEachArticle(articleCount: number): boolean {
  return articleCount <= MAX_SCOPED_SEARCHES;
}

function memoize<T>(compute: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(key);
      seen.set(key, value);
    }
    return value;
  };
}
