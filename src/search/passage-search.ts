import MiniSearch, { type SearchResult as MiniResult } from "minisearch";
import type { Article } from "../corpus/load.js";
import { passageWindows, type PassageSpan } from "../text/passages.js";
import type { Paragraph } from "../text/segment.js";
import { indexTerm, tokenize, tokenizeWords } from "../text/tokenize.js";
import type { Thesaurus } from "./thesaurus.js";

/** An article with its body cut into paragraphs and sentences. */
export interface SegmentedArticle {
  article: Article;
  paragraphs: Paragraph[];
}

/** Which articles a search may return. */
export interface SearchScope {
  /** Only these article ids; all when undefined. */
  articleIds?: ReadonlySet<string>;
}

export interface PassageSearchOptions extends SearchScope {
  /** Most results to return. */
  limit: number;
  /** Treat the last query word as a prefix (as-you-type). Default true. */
  prefixLastTerm?: boolean;
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
/** A term in more than this share of paragraphs is "common" (see #searchedTerms)… */
const COMMON_SHARE = 0.2;
/** …once it is also in more than this many paragraphs. */
const COMMON_FLOOR = 500;
/** Most passages one paragraph may contribute to a search. */
export const MAX_PER_PARAGRAPH = 2;

interface IndexedParagraph {
  article: Article;
  paragraph: Paragraph;
  windows: PassageSpan[];
}

const tokenizerOptions = {
  tokenize: tokenizeWords,
  processTerm: (word: string) => indexTerm(word) ?? null,
};

/**
 * Ranked passage search. Paragraphs are the indexed units (BM25 via minisearch); inside each
 * hit paragraph the 1–3 sentence window that covers the query best becomes the passage. Title
 * and author matches come from a small index of articles and lift that article's passages.
 */
export class PassageSearch {
  readonly #paragraphs: IndexedParagraph[] = [];
  readonly #passageIndex = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...tokenizerOptions });
  readonly #articleIndex = new MiniSearch<{ id: string; title: string; authors: string }>({
    fields: ["title", "authors"],
    ...tokenizerOptions,
  });
  readonly #thesaurus: Thesaurus;
  /** In how many paragraphs each index term occurs. */
  readonly #documentFrequency = new Map<string, number>();

  constructor(articles: readonly SegmentedArticle[], thesaurus: Thesaurus) {
    this.#thesaurus = thesaurus;
    const paragraphDocs: { id: number; text: string }[] = [];
    for (const { article, paragraphs } of articles) {
      for (const paragraph of paragraphs) {
        const id = this.#paragraphs.length;
        this.#paragraphs.push({ article, paragraph, windows: passageWindows(paragraph) });
        const text = article.body.slice(paragraph.start, paragraph.end);
        paragraphDocs.push({ id, text });
        for (const term of new Set(tokenizeWords(text).map(indexTerm))) {
          if (term !== null) this.#documentFrequency.set(term, (this.#documentFrequency.get(term) ?? 0) + 1);
        }
      }
    }
    this.#passageIndex.addAll(paragraphDocs);
    this.#articleIndex.addAll(articles.map(({ article }) => ({ id: article.id, title: article.title, authors: article.authors.join(" ") })));
  }

  /** Index terms of a query, in order. Empty when it has no searchable word. */
  static queryTerms(query: string): string[] {
    return tokenizeWords(query).flatMap((word) => indexTerm(word) ?? []);
  }

  search(query: string, options: PassageSearchOptions): PassageHit[] {
    const typed = PassageSearch.queryTerms(query);
    if (typed.length === 0) return [];
    const expansion = this.#thesaurus.expand(typed, EXPANSION_WEIGHT);
    const searched = this.#searchedTerms(typed, expansion);
    // As-you-type: only a last word that is not yet a whole indexed word is completed as a prefix.
    const last = typed.at(-1) ?? "";
    const prefixLast = (options.prefixLastTerm ?? true) && !this.#documentFrequency.has(last);
    const inScope = options.articleIds;
    const filter = inScope ? (result: MiniResult) => inScope.has(this.#paragraphs[result.id as number]?.article.id ?? "") : undefined;
    const run = (fuzzy: number): MiniResult[] => {
      const queries = [
        { queries: [searched.typed.join(" ")], prefix: (term: string) => prefixLast && term === last, fuzzy },
        ...(searched.expansion.length > 0 ? [{ queries: [searched.expansion.join(" ")], boostTerm: (term: string) => expansion.get(term) ?? 0 }] : []),
      ];
      // The terms are index terms already: split on spaces and take them as they are.
      return this.#passageIndex.search(
        { combineWith: "OR", queries },
        { tokenize: splitOnSpaces, processTerm: (term) => term, ...(filter ? { filter } : {}), weights: { fuzzy: 0.3, prefix: 0.6 } },
      );
    };
    let results = run(0);
    if (results.length < FUZZY_FALLBACK_BELOW) {
      const seen = new Set(results.map((result) => result.id as number));
      results = results
        .concat(run(0.2).filter((result) => !seen.has(result.id as number)).map((result) => ({ ...result, score: result.score * 0.5 })))
        .sort((a, b) => b.score - a.score);
    }
    const articleLift = this.#articleLift(query);
    const candidates = results
      .map((result) => {
        const indexed = this.#paragraphs[result.id as number];
        const lift = 1 + ARTICLE_FIELD_LIFT * (indexed ? (articleLift.get(indexed.article.id) ?? 0) : 0);
        return { result, indexed, bound: result.score * lift };
      })
      .sort((a, b) => b.bound - a.bound);
    const hits: PassageHit[] = [];
    // The best `limit` scores so far, ascending. A window scores at most its paragraph's bound, so
    // once the next bound is below the limit-th best score no later paragraph can enter the results.
    const best: number[] = [];
    for (const { result, indexed, bound } of candidates) {
      if (best.length >= options.limit && bound < (best[0] ?? 0)) break;
      if (!indexed) continue;
      const weights = new Map<string, number>();
      // Words left out of the index query still help choose the window inside a paragraph.
      for (const term of [...typed, ...result.terms]) weights.set(term, expansion.get(term) ?? 1);
      for (const hit of this.#bestWindows(indexed, weights, bound)) {
        hits.push(hit);
        insertBounded(best, hit.score, options.limit);
      }
    }
    hits.sort((a, b) => b.score - a.score || a.article.id.localeCompare(b.article.id) || a.span.start - b.span.start);
    return hits.slice(0, options.limit);
  }

  /**
   * The terms sent to the index. A term found in more than COMMON_SHARE of the paragraphs (and in
   * more than COMMON_FLOOR of them, so small corpora are never affected) adds little to BM25 but
   * costs the most, since every one of its postings is scored: it is left out while a rarer typed
   * term remains. A query of common terms only keeps its rarest one.
   */
  #searchedTerms(typed: readonly string[], expansion: ReadonlyMap<string, number>): { typed: string[]; expansion: string[] } {
    const cut = Math.max(COMMON_FLOOR, COMMON_SHARE * this.#paragraphs.length);
    const df = (term: string) => this.#documentFrequency.get(term) ?? 0;
    const distinct = [...new Set(typed)];
    const rare = distinct.filter((term) => df(term) <= cut);
    const rarest = [...distinct].sort((a, b) => df(a) - df(b)).slice(0, 1);
    return { typed: rare.length > 0 ? rare : rarest, expansion: [...expansion.keys()].filter((term) => df(term) <= cut) };
  }

  /** Title/author relevance per article id, scaled to 0..1. */
  #articleLift(query: string): Map<string, number> {
    const results = this.#articleIndex.search(query, { ...tokenizerOptions, prefix: false });
    const top = results[0]?.score ?? 0;
    return new Map(results.map((result) => [result.id as string, top > 0 ? result.score / top : 0]));
  }

  /** Up to two non-overlapping windows of one paragraph that best cover the matched terms. */
  #bestWindows(indexed: IndexedParagraph, weights: ReadonlyMap<string, number>, paragraphScore: number): PassageHit[] {
    const { article, paragraph, windows } = indexed;
    const matched = tokenize(article.body.slice(paragraph.start, paragraph.end))
      .map((token) => ({ term: indexTerm(token.word), start: paragraph.start + token.start, end: paragraph.start + token.end }))
      .filter((token): token is { term: string; start: number; end: number } => token.term !== null && weights.has(token.term));
    const paragraphCoverage = coverage(matched, weights);
    if (paragraphCoverage === 0) return [];
    const scored = windows
      .map((span) => {
        const inside = matched.filter((token) => token.start >= span.start && token.end <= span.end);
        return { span, inside, coverage: coverage(inside, weights) };
      })
      .filter((window) => window.coverage > 0)
      // Best coverage first; among equals the shorter window, so no sentence rides along for free.
      .sort((a, b) => b.coverage - a.coverage || a.span.end - a.span.start - (b.span.end - b.span.start));
    const chosen: typeof scored = [];
    for (const window of scored) {
      if (chosen.length === MAX_PER_PARAGRAPH) break;
      if (chosen.some((other) => overlaps(other.span, window.span))) continue;
      chosen.push(window);
    }
    return chosen.map((window, rank) => ({
      article,
      span: window.span,
      // The second window of a paragraph ranks below the first, scaled by what it covers.
      score: paragraphScore * (0.5 + 0.5 * (window.coverage / paragraphCoverage)) * (rank === 0 ? 1 : 0.8),
      matches: window.inside.map(({ start, end }) => ({ start, end })),
    }));
  }
}

/** Sum of the weights of the distinct terms present, plus a little for repeats. */
function coverage(tokens: readonly { term: string }[], weights: ReadonlyMap<string, number>): number {
  const distinct = new Set(tokens.map((token) => token.term));
  let total = 0;
  for (const term of distinct) total += weights.get(term) ?? 0;
  return total + 0.05 * (tokens.length - distinct.size);
}

/** Keeps `sorted` (ascending) as the `size` largest values seen. */
function insertBounded(sorted: number[], value: number, size: number): void {
  if (sorted.length >= size && value <= (sorted[0] ?? 0)) return;
  let i = 0;
  while (i < sorted.length && (sorted[i] ?? 0) < value) i++;
  sorted.splice(i, 0, value);
  if (sorted.length > size) sorted.shift();
}

function splitOnSpaces(text: string): string[] {
  return text.split(" ").filter(Boolean);
}

function overlaps(a: PassageSpan, b: PassageSpan): boolean {
  return a.start < b.end && b.start < a.end;
}
