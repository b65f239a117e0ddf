import { dateSortKey, type PublicationDate } from "../corpus/dates.js";
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

/**
 * Articles in the fixed order analysis output uses: by publication date, undated last, then by id.
 * A date at any precision, printed or inferred, sorts by its first possible day, then its last
 * (dateSortKey says why not a range's midpoint). Without `date` (articles built in code, or a
 * contrast column, which passes its key), `published` is the key: a printed day or a dateSortKey.
 */
export function byPublication<T extends { published: string | null; date?: PublicationDate | null | undefined; id: string }>(a: T, b: T): number {
  const keyA = a.date !== undefined ? dateSortKey(a.date) : a.published;
  const keyB = b.date !== undefined ? dateSortKey(b.date) : b.published;
  if (keyA !== keyB) {
    if (keyA === null) return 1;
    if (keyB === null) return -1;
    return keyA < keyB ? -1 : 1;
  }
  return a.id.localeCompare(b.id);
}
