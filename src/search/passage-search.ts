import MiniSearch, { type SearchResult } from "minisearch";
import type { Article } from "../corpus/load.js";
import type { PassageSpan } from "../text/passages.js";
import type { Paragraph } from "../text/segment.js";
import { indexTerm, tokenizerOptions, tokenizeWords } from "../text/tokenize.js";
import { ArticleContext } from "./article-context.js";
import { buildParagraphIndex, type IndexedParagraph, type SnapshotStore } from "./paragraph-index.js";
import { candidateTerms, scoredTerms, synonymGroupRule } from "./rules.js";
import type { Thesaurus } from "./thesaurus.js";
import { bestWindows, ParagraphText } from "./windows.js";

/** An article with its body cut into paragraphs and sentences. */
export interface SegmentedArticle {
  article: Article;
  paragraphs: Paragraph[];
}

export interface PassageSearchOptions {
  /** Most results to return. */
  limit: number;
  /** Only these article ids; all when undefined. */
  articleIds?: ReadonlySet<string>;
  /** Treat the last query word as a prefix (as-you-type). Default true. */
  prefixLastTerm?: boolean;
  /** Most passages one paragraph may give. Default 2. */
  perParagraph?: number;
}

/** A passage hit before it is dressed as an engine result. */
export interface PassageHit {
  article: Article;
  span: PassageSpan;
  score: number;
  /** Offsets (into the body) of the words that matched the query, for highlighting. */
  matches: { start: number; end: number }[];
}

/** Weight of a term that only came from the thesaurus, relative to one the user typed. */
const EXPANSION_WEIGHT = 0.5;
/** Fewer hits than this on exact terms, and the search is retried with typo tolerance. */
const FUZZY_FALLBACK_BELOW = 3;
/** How much a match in the article's title or authors lifts each of its passages. */
const ARTICLE_FIELD_LIFT = 0.5;
/** How much the whole article's match (ArticleContext) lifts each of its passages: the best article's by this share. */
export const CONTEXT_WEIGHT = 1;

/**
 * Ranked passage search. Paragraphs are the indexed units (BM25 via minisearch); inside each
 * hit paragraph the 1–3 sentence window that covers the query best becomes the passage. Title
 * and author matches come from a small index of articles and lift that article's passages.
 */
export class PassageSearch {
  readonly #paragraphs: { article: Article; text: ParagraphText }[] = [];
  readonly #index: MiniSearch<IndexedParagraph>;
  readonly #paragraphsWith: (term: string) => Int32Array;
  /** Each paragraph's article, by its place in the articles given. */
  readonly #articleOf: Int32Array;
  readonly #context: ArticleContext;
  readonly #articleIndex = new MiniSearch<{ id: string; title: string; authors: string }>({ fields: ["title", "authors"], ...tokenizerOptions });
  readonly #thesaurus: Thesaurus;

  /** `snapshots`: where a built index is saved, and found again on the next start with the same paragraphs. */
  constructor(articles: readonly SegmentedArticle[], thesaurus: Thesaurus, snapshots?: SnapshotStore, snapshotKey?: string) {
    this.#thesaurus = thesaurus;
    const texts: string[] = [];
    for (const { article, paragraphs } of articles) {
      for (const paragraph of paragraphs) {
        texts.push(article.body.slice(paragraph.start, paragraph.end));
        this.#paragraphs.push({ article, text: new ParagraphText(article.body, paragraph) });
      }
    }
    const built = buildParagraphIndex(texts, snapshots, snapshotKey);
    this.#index = built.index;
    this.#paragraphsWith = built.paragraphsWith;
    const articleOf = new Int32Array(texts.length);
    let paragraph = 0;
    articles.forEach(({ paragraphs }, article) => paragraphs.forEach(() => (articleOf[paragraph++] = article)));
    this.#articleOf = articleOf;
    this.#context = new ArticleContext(articleOf, articles.map(({ article }) => article.title), built);
    this.#articleIndex.addAll(articles.map(({ article }) => ({ id: article.id, title: article.title, authors: article.authors.join(" ") })));
  }

  /** Index terms of a query, in order. Empty when it has no searchable word. */
  static queryTerms(query: string): string[] {
    return tokenizeWords(query).flatMap((word) => indexTerm(word) ?? []);
  }

  search(query: string, options: PassageSearchOptions): PassageHit[] {
    const typed = PassageSearch.queryTerms(query);
    if (typed.length === 0) return [];
    const expanded = this.#thesaurus.expand(typed, EXPANSION_WEIGHT);
    const weightOf = (term: string) => expanded.get(term)?.weight ?? 1;
    // As-you-type: only a last word that is not yet a whole indexed word is completed as a prefix.
    const last = typed.at(-1) ?? "";
    const paragraphsWith = this.#paragraphsWith;
    const prefix = (options.prefixLastTerm ?? true) && paragraphsWith(last).length === 0 ? last : undefined;
    const terms = scoredTerms([...new Set(typed)], [...expanded.keys()], (term) => paragraphsWith(term).length, this.#paragraphs.length, prefix);
    const scores = synonymGroupRule(expanded, paragraphsWith, this.#paragraphs.length);
    const typedTerms = new Set(terms.typed);
    const lift = this.#articleLift(query);
    const context = this.#context.relevance(new Map([...terms.typed, ...terms.expansion].map((term) => [term, weightOf(term)])));
    const boostOf = (id: number) => (lift.get(this.#paragraphs[id]?.article.id ?? "") ?? 1) * (1 + CONTEXT_WEIGHT * (context[this.#articleOf[id] ?? 0] ?? 0));
    const inScope = options.articleIds;
    // One minisearch query of typed and thesaurus terms. A paragraph's boost lifts every term it
    // matches, so its score is its bound (see #topPassages); a boost of 0 leaves a posting out.
    const run = (fuzzy: number): SearchResult[] =>
      this.#index.search([...terms.typed, ...terms.expansion].join(" "), {
        // The terms are index terms already: split on spaces and take them as they are.
        tokenize: (text) => text.split(" "),
        processTerm: (term) => term,
        combineWith: "OR",
        prefix: (term) => term === prefix,
        fuzzy: (term) => (fuzzy > 0 && typedTerms.has(term) ? fuzzy : false),
        boostTerm: weightOf,
        boostDocument: (id: number, term) => (inCandidates(id, fuzzy) && scores(id, term) ? boostOf(id) : 0),
        weights: { fuzzy: 0.3, prefix: 0.6 },
        ...(inScope ? { filter: (result) => inScope.has(this.#paragraphs[result.id as number]?.article.id ?? "") } : {}),
      });
    // A large library scores only the paragraphs of selective typed terms (candidateTerms): a boost
    // of 0 makes minisearch skip a posting. The typo retry takes the paragraphs of near spellings.
    const picking = candidateTerms(terms.typed, terms.expansion, (term) => paragraphsWith(term).length, this.#paragraphs.length, prefix);
    const candidates = new Map<number, Uint8Array>();
    const candidatesAt = (fuzzy: number): Uint8Array | undefined => {
      if (!picking) return undefined;
      let marked = candidates.get(fuzzy);
      if (!marked) {
        marked = new Uint8Array(this.#paragraphs.length);
        if (fuzzy === 0) for (const term of picking) for (const id of paragraphsWith(term)) marked[id] = 1;
        else for (const result of this.#index.search(picking.join(" "), { tokenize: (text) => text.split(" "), processTerm: (term) => term, combineWith: "OR", fuzzy })) marked[result.id as number] = 1;
        candidates.set(fuzzy, marked);
      }
      return marked;
    };
    const inCandidates = (id: number, fuzzy: number) => {
      const marked = candidatesAt(fuzzy);
      return !marked || marked[id] === 1;
    };
    let results = run(0);
    if (results.length < FUZZY_FALLBACK_BELOW) {
      const seen = new Set(results.map((result) => result.id as number));
      const typos = run(0.2).filter((result) => !seen.has(result.id as number));
      results = [...results, ...typos.map((result) => ({ ...result, score: result.score * 0.5 }))];
    }
    // Every typed word helps choose the window inside a paragraph, matched or not.
    return this.#topPassages(results, options, (result) => new Map([...typed, ...result.terms].map((term) => [term, weightOf(term)])));
  }

  /** Per article id whose title or authors match the query: 1 + ARTICLE_FIELD_LIFT × its relevance (0..1). */
  #articleLift(query: string): Map<string, number> {
    const found = this.#articleIndex.search(query, { ...tokenizerOptions, prefix: false });
    const top = found[0]?.score ?? 0;
    return new Map(found.map((article) => [article.id as string, 1 + ARTICLE_FIELD_LIFT * (top > 0 ? article.score / top : 0)]));
  }

  /**
   * The best `limit` windows of the paragraphs, taken by score (their bound). A window never
   * scores more than its paragraph (windowScore), so once a paragraph's score is below the
   * `limit`-th best window found, neither it nor any paragraph after it can enter the results.
   */
  #topPassages(results: SearchResult[], options: PassageSearchOptions, weightsOf: (result: SearchResult) => ReadonlyMap<string, number>): PassageHit[] {
    const hits: PassageHit[] = [];
    const byScore = (a: PassageHit, b: PassageHit) => b.score - a.score || a.article.id.localeCompare(b.article.id) || a.span.start - b.span.start;
    for (const result of results.sort((a, b) => b.score - a.score)) {
      if (hits.length >= options.limit && result.score < (hits[options.limit - 1]?.score ?? 0)) break;
      const paragraph = this.#paragraphs[result.id as number];
      if (!paragraph) throw new RangeError(`no paragraph ${String(result.id)}`);
      for (const window of bestWindows(paragraph.text, weightsOf(result), result.score, options.perParagraph ?? 2)) hits.push({ article: paragraph.article, ...window });
      hits.sort(byScore).splice(options.limit);
    }
    return hits;
  }
}
