import type { Article } from "../corpus/load.js";
import type { PassageResult, SearchOptions } from "../types.js";
import type { SegmentedArticle } from "../search/passage-search.js";

/**
 * What the analysis functions may use of a loaded engine. Passed explicitly so each analysis is a
 * plain function of the corpus, testable on a fixture folder.
 */
export interface AnalysisContext {
  /** Every valid article, segmented, in corpus order. */
  readonly articles: readonly SegmentedArticle[];
  /** The article by id, or throws NotFoundError with suggestions. */
  article(id: string): Article;
  /** Canonical author names an input matches (full name or surname), or throws NotFoundError. */
  resolveAuthor(name: string): string[];
  /** Ranked passages, as `Engine.search`. */
  search(query: string, options?: SearchOptions): PassageResult[];
  /** A passage result for an exact span of an article (for sentences picked by analysis). */
  passage(articleId: string, span: { start: number; end: number; paragraph: number; firstSentence: number; lastSentence: number }): PassageResult;
  /** Index terms of every sentence in the corpus, for corpus-wide statistics. */
  readonly sentenceTerms: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Document frequency of each term over all sentences of the corpus, and the sentence count. */
  readonly sentenceDf: { counts: ReadonlyMap<string, number>; total: number };
}

/** Articles in the fixed order analysis output uses: by publication date, undated last, then by id. */
export function byPublication<T extends { published: string | null; id: string }>(a: T, b: T): number {
  if (a.published !== b.published) {
    if (a.published === null) return 1;
    if (b.published === null) return -1;
    return a.published < b.published ? -1 : 1;
  }
  return a.id.localeCompare(b.id);
}
