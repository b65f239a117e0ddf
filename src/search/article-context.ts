import { indexTerms } from "../text/tokenize.js";
import type { ParagraphIndex } from "./paragraph-index.js";

/** BM25's term-frequency saturation and length normalisation, at their usual values. */
const K1 = 1.2;
const B = 0.75;

/**
 * How well each whole article (its title and all its paragraphs) matches a query, by BM25,
 * worked out from the paragraph index's postings so the library is tokenised only once. A
 * passage is scored with its context: two windows that match the same words are told apart by
 * the article around them, and a title's words count for every passage of its article.
 */
export class ArticleContext {
  readonly #articleOf: Int32Array;
  readonly #lengths: Float64Array;
  readonly #averageLength: number;
  readonly #index: Pick<ParagraphIndex, "paragraphsWith" | "occurrencesOf">;
  /** Reused by every query (searches run one at a time on a thread); all zeros between queries. */
  #scratch?: Float64Array;
  /** Per title term, the articles whose title holds it and how often. */
  readonly #titles = new Map<string, Map<number, number>>();

  /**
   * @param articleOf each paragraph's article, by number (paragraph order, as indexed)
   * @param titles each article's title, by number
   */
  constructor(articleOf: Int32Array, titles: readonly string[], index: Pick<ParagraphIndex, "paragraphsWith" | "occurrencesOf" | "lengths">) {
    this.#articleOf = articleOf;
    this.#index = index;
    this.#lengths = new Float64Array(titles.length);
    titles.forEach((title, article) => {
      const terms = indexTerms(title);
      this.#lengths[article] = terms.length;
      for (const term of terms) {
        const articles = this.#titles.get(term) ?? new Map<number, number>();
        articles.set(article, (articles.get(article) ?? 0) + 1);
        this.#titles.set(term, articles);
      }
    });
    index.lengths.forEach((length, paragraph) => {
      const article = articleOf[paragraph] ?? 0;
      this.#lengths[article] = (this.#lengths[article] ?? 0) + length;
    });
    this.#averageLength = titles.length > 0 ? this.#lengths.reduce((sum, length) => sum + length, 0) / titles.length : 0;
  }

  /**
   * Each article's BM25 on the terms (each weighted as given), scaled so the best article is 1;
   * 0 for an article without any of them. Thesaurus terms count at their weight in every article
   * that has them: an article that uses a word's synonyms is about it (counting a synonym group
   * once per article instead, as synonymGroupRule does per paragraph, lost a dev query).
   */
  relevance(weights: ReadonlyMap<string, number>): Float64Array {
    const n = this.#lengths.length;
    const scores = new Float64Array(n);
    // Per term: its frequency in each article it is in, gathered in `tf` (touched articles listed
    // in `seen`), then turned into BM25 and cleared. Arrays, not Maps: a common term of a large
    // library has tens of thousands of postings, and this runs for every query.
    const tf = (this.#scratch ??= new Float64Array(n));
    const seen: number[] = [];
    const note = (article: number, count: number) => {
      if ((tf[article] ?? 0) === 0) seen.push(article);
      tf[article] = (tf[article] ?? 0) + count;
    };
    for (const [term, weight] of weights) {
      for (const [article, count] of this.#titles.get(term) ?? []) note(article, count);
      const paragraphs = this.#index.paragraphsWith(term);
      const occurrences = this.#index.occurrencesOf(term);
      for (let at = 0; at < paragraphs.length; at++) note(this.#articleOf[paragraphs[at] ?? 0] ?? 0, occurrences[at] ?? 0);
      const idf = Math.log(1 + (n - seen.length + 0.5) / (seen.length + 0.5));
      for (const article of seen) {
        const frequency = tf[article] ?? 0;
        const norm = 1 - B + (B * (this.#lengths[article] ?? 0)) / (this.#averageLength || 1);
        scores[article] = (scores[article] ?? 0) + (weight * idf * (frequency * (K1 + 1))) / (frequency + K1 * norm);
        tf[article] = 0;
      }
      seen.length = 0;
    }
    let best = 0;
    for (const score of scores) best = Math.max(best, score);
    if (best > 0) for (let article = 0; article < n; article++) scores[article] = (scores[article] ?? 0) / best;
    return scores;
  }
}
