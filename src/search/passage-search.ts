import MiniSearch, { type SearchResult as MiniResult } from "minisearch";
import type { Article } from "../corpus/load.js";
import { passageWindows, type PassageSpan } from "../text/passages.js";
import type { Paragraph } from "../text/segment.js";
import { indexTerm, tokenize, tokenizerOptions, tokenizeWords } from "../text/tokenize.js";
import { assembleTextIndex, buildTextIndex, includesSorted, type IndexedText, type TermPostings } from "./bulk-index.js";
import { countTermsInParallel, type ParallelCountOptions } from "./parallel-count.js";
import type { TermCounts } from "./term-counts.js";
import type { Expansion, Thesaurus } from "./thesaurus.js";

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
/** How far a large library's searches narrow their candidates (see #candidateTerms). */
export interface SelectivityOptions {
  /** A term in more than this share of the paragraphs is common… Default 0.005 (0.5%). */
  share?: number;
  /** …once it is also in more than this many paragraphs. Default 500; Infinity turns it off. */
  floor?: number;
  /**
   * A term in more than this share of the paragraphs (and more than `floor`) is left out of the
   * scores while a rarer typed term remains. Default 0.2; 1 keeps every term.
   */
  leaveOutShare?: number;
}

const DEFAULT_SELECTIVITY = { share: 0.005, floor: 500, leaveOutShare: 0.2 } as const;
/** Most passages one paragraph may contribute to a search. */
export const MAX_PER_PARAGRAPH = 2;

interface IndexedParagraph {
  article: Article;
  paragraph: Paragraph;
  /** Its quotable windows, once a search has needed them. */
  windows?: PassageSpan[];
  /** Its index terms with their body offsets, once a search has needed them (see #bestWindows). */
  terms?: ParagraphTerms;
}

/** A paragraph's words that make index terms: the i-th is `terms[i]` at body offsets `starts[i]`–`ends[i]`. */
interface ParagraphTerms {
  terms: string[];
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * Ranked passage search. Paragraphs are the indexed units (BM25 via minisearch); inside each
 * hit paragraph the 1–3 sentence window that covers the query best becomes the passage. Title
 * and author matches come from a small index of articles and lift that article's passages.
 */
export class PassageSearch {
  readonly #paragraphs: IndexedParagraph[] = [];
  readonly #passageIndex: MiniSearch<IndexedText>;
  readonly #articleIndex = new MiniSearch<{ id: string; title: string; authors: string }>({
    fields: ["title", "authors"],
    ...tokenizerOptions,
  });
  readonly #thesaurus: Thesaurus;
  /** Which paragraphs hold each index term. */
  readonly #terms: TermPostings;

  readonly #commonAbove: number;
  readonly #leaveOutAbove: number;

  /**
   * Indexes the articles' paragraphs on this thread. `counted`: their terms, counted already
   * (see PassageSearch.build); they must be the counts of these articles' paragraphs, in order.
   */
  constructor(articles: readonly SegmentedArticle[], thesaurus: Thesaurus, selectivity: SelectivityOptions = {}, counted?: readonly TermCounts[]) {
    this.#thesaurus = thesaurus;
    for (const { article, paragraphs } of articles) {
      for (const paragraph of paragraphs) this.#paragraphs.push({ article, paragraph });
    }
    const built = counted ? assembleTextIndex(counted, tokenizerOptions) : buildTextIndex(paragraphTexts(articles), tokenizerOptions);
    if (built.index.documentCount !== this.#paragraphs.length) {
      throw new Error(`the counted terms are of ${built.index.documentCount} paragraphs, not these ${this.#paragraphs.length}`);
    }
    this.#passageIndex = built.index;
    this.#terms = built.terms;
    const { share, floor, leaveOutShare } = { ...DEFAULT_SELECTIVITY, ...selectivity };
    this.#commonAbove = Math.max(floor, share * this.#paragraphs.length);
    this.#leaveOutAbove = Math.max(floor, leaveOutShare * this.#paragraphs.length);
    this.#articleIndex.addAll(articles.map(({ article }) => ({ id: article.id, title: article.title, authors: article.authors.join(" ") })));
  }

  /** The same search as the constructor builds, a large library's terms counted in worker threads too. */
  static async build(articles: readonly SegmentedArticle[], thesaurus: Thesaurus, options: ParallelCountOptions & { selectivity?: SelectivityOptions } = {}): Promise<PassageSearch> {
    const counted = await countTermsInParallel(paragraphTexts(articles), options);
    return new PassageSearch(articles, thesaurus, options.selectivity, counted);
  }

  /** Index terms of a query, in order. Empty when it has no searchable word. */
  static queryTerms(query: string): string[] {
    return tokenizeWords(query).flatMap((word) => indexTerm(word) ?? []);
  }

  search(query: string, options: PassageSearchOptions): PassageHit[] {
    const typed = PassageSearch.queryTerms(query);
    if (typed.length === 0) return [];
    const expanded = this.#thesaurus.expand(typed, EXPANSION_WEIGHT);
    const expansion = new Map([...expanded].map(([term, { weight }]) => [term, weight]));
    const standsIn = this.#standsIn(expanded);
    const distinctTyped = [...new Set(typed)];
    // As-you-type: only a last word that is not yet a whole indexed word is completed as a prefix.
    const last = typed.at(-1) ?? "";
    const prefixLast = (options.prefixLastTerm ?? true) && !this.#terms.has(last);
    const inScope = options.articleIds;
    const filter = inScope ? (result: MiniResult) => inScope.has(this.#paragraphs[result.id as number]?.article.id ?? "") : undefined;
    const run = (terms: { typed: readonly string[]; expansion: readonly string[] }, fuzzy: number, only?: Uint8Array): MiniResult[] => {
      const queries = [
        ...(terms.typed.length > 0 ? [{ queries: [terms.typed.join(" ")], prefix: (term: string) => prefixLast && term === last, fuzzy }] : []),
        ...(terms.expansion.length > 0
          ? [{ queries: [terms.expansion.join(" ")], boostTerm: (term: string) => expansion.get(term) ?? 0, boostDocument: (id: number, term: string) => ((only ? (only[id] ?? 0) : 1) && standsIn(id, term) ? 1 : 0) }]
          : []),
      ];
      // The terms are index terms already: split on spaces and take them as they are. A paragraph
      // outside `only` gets a boost of 0, which minisearch skips before scoring it.
      return this.#passageIndex.search(
        { combineWith: "OR", queries },
        {
          tokenize: splitOnSpaces,
          processTerm: (term) => term,
          ...(filter ? { filter } : {}),
          ...(only ? { boostDocument: (id: number) => only[id] ?? 0 } : {}),
          weights: { fuzzy: 0.3, prefix: 0.6 },
        },
      );
    };
    const all = this.#scoredTerms(distinctTyped, [...expansion.keys()], prefixLast ? last : undefined);
    const picking = this.#candidateTerms(all.typed, all.expansion, prefixLast ? last : undefined);
    const narrowed = (fuzzy: number): MiniResult[] => {
      if (picking === undefined) return run(all, fuzzy);
      // Exact terms: their paragraphs are known from the build. Fuzzy ones: ask minisearch.
      const candidates = new Uint8Array(this.#paragraphs.length);
      if (fuzzy === 0) for (const term of picking) for (const id of this.#terms.documentsWith(term)) candidates[id] = 1;
      else for (const result of run({ typed: picking, expansion: [] }, fuzzy)) candidates[result.id as number] = 1;
      return run(all, fuzzy, candidates);
    };
    let results = narrowed(0);
    if (results.length < FUZZY_FALLBACK_BELOW) {
      const seen = new Set(results.map((result) => result.id as number));
      results = results
        .concat(narrowed(0.2).filter((result) => !seen.has(result.id as number)).map((result) => ({ ...result, score: result.score * 0.5 })))
        .sort((a, b) => b.score - a.score);
    }
    const hits: PassageHit[] = [];
    // The best `limit` scores so far, ascending. A window scores at most its paragraph's bound, so
    // once the next bound is below the limit-th best score no later paragraph can enter the results.
    const best: number[] = [];
    for (const { result, indexed, bound } of this.#byBound(results, query)) {
      if (best.length >= options.limit && bound < (best[0] ?? 0)) break;
      const weights = new Map<string, number>();
      // Every typed word helps choose the window inside a paragraph, matched or not.
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
   * Whether a thesaurus term scores in a paragraph. A synonym group counts once per paragraph:
   * through the words the user typed when the paragraph has them, else through its strongest
   * synonym there (weight × BM25 idf). Summing them instead let a paragraph with three synonyms of
   * one word outrank the paragraph with the word itself.
   */
  #standsIn(expanded: ReadonlyMap<string, Expansion>): (paragraph: number, term: string) => boolean {
    const n = this.#paragraphs.length;
    const strengths = new Map<string, number>();
    for (const [term, { weight }] of expanded) {
      const df = this.#terms.documentFrequency(term);
      strengths.set(term, weight * Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    }
    // Per term, what outranks it: its groups' typed members, and their stronger added terms, each
    // as the paragraphs of its words. They are looked up once here: this runs for every posting.
    const paragraphsOf = (word: string) => this.#terms.documentsWith(word);
    const outranking = new Map<string, { members: Int32Array[][]; terms: Int32Array[] }>();
    for (const [term, { groups }] of expanded) {
      const mine = strengths.get(term) ?? 0;
      const stronger = (other: string) => {
        const theirs = strengths.get(other) ?? 0;
        return other !== term && (theirs > mine || (theirs === mine && other < term));
      };
      outranking.set(term, {
        members: groups.flatMap((group) => group.typed).map((member) => member.map(paragraphsOf)),
        terms: [...new Set(groups.flatMap((group) => group.added.filter(stronger)))].map(paragraphsOf),
      });
    }
    return (paragraph, term) => {
      const above = outranking.get(term);
      if (!above) return true;
      return !above.members.some((member) => member.every((words) => includesSorted(words, paragraph))) && !above.terms.some((other) => includesSorted(other, paragraph));
    };
  }

  /**
   * The terms a search scores. A term in a fifth of a large library's paragraphs (and more than
   * 500 of them, so small corpora are never affected) is left out while a rarer typed term
   * remains: it is a stop word of that library, and its small BM25 weight, summed over a long
   * query's many such words, buried the paragraphs that match its distinctive ones (ArguAna
   * nDCG@10: 0.314 with them, 0.329 without). It still helps choose the window in a paragraph.
   */
  #scoredTerms(typed: readonly string[], expansion: readonly string[], prefix: string | undefined): { typed: string[]; expansion: string[] } {
    const df = (term: string) => this.#terms.documentFrequency(term);
    const kept = (term: string) => df(term) <= this.#leaveOutAbove;
    // A word the library does not have (a typo, say) is no rarer word: it finds nothing.
    if (!typed.some((term) => kept(term) && (df(term) > 0 || term === prefix))) {
      return { typed: [...typed], expansion: [...expansion] };
    }
    return { typed: typed.filter(kept), expansion: expansion.filter(kept) };
  }

  /**
   * The typed terms that pick the paragraphs a search considers, or undefined to consider every
   * paragraph with any query term. minisearch scores every posting of every query term, and the
   * postings of common terms (and of their thesaurus synonyms) are most of that work in a large
   * library. So when a query has common terms (in more than 0.5% of the paragraphs and more than
   * 500 of them by default, so small corpora are never affected), only paragraphs with
   * one of its selective typed terms are candidates, as a reader who types a rare word expects it
   * in what comes back; each candidate is then scored on all the terms #scoredTerms keeps. A query of common terms only
   * takes its rarest as selective. The prefix of an unfinished word counts as common: it reaches
   * terms of any frequency.
   */
  #candidateTerms(typed: readonly string[], expansion: readonly string[], prefix: string | undefined): string[] | undefined {
    const cut = this.#commonAbove;
    const df = (term: string) => (term === prefix ? Infinity : this.#terms.documentFrequency(term));
    const present = typed.filter((term) => df(term) > 0);
    const selective = present.filter((term) => df(term) <= cut);
    if (selective.length === typed.length && expansion.every((term) => df(term) <= cut)) return undefined;
    if (selective.length > 0) return selective;
    const rarest = present.filter((term) => term !== prefix).sort((a, b) => df(a) - df(b))[0];
    return rarest === undefined ? undefined : [rarest];
  }

  /**
   * The results with their paragraphs, best bound first: a paragraph's score lifted by a title or
   * author match of its article. minisearch returns them by score, so only lifted ones move.
   */
  *#byBound(results: readonly MiniResult[], query: string): Generator<{ result: MiniResult; indexed: IndexedParagraph; bound: number }> {
    const articleLift = this.#articleLift(query);
    const entry = (result: MiniResult) => {
      const indexed = this.#paragraphs[result.id as number];
      if (!indexed) throw new RangeError(`no paragraph ${String(result.id)}`);
      return { result, indexed, bound: result.score * (1 + ARTICLE_FIELD_LIFT * (articleLift.get(indexed.article.id) ?? 0)) };
    };
    const liftOf = (result: MiniResult) => articleLift.get(this.#paragraphs[result.id as number]?.article.id ?? "") ?? 0;
    const lifted = results.filter((result) => liftOf(result) > 0).map(entry);
    lifted.sort((a, b) => b.bound - a.bound);
    let next = 0;
    for (const result of results) {
      if (liftOf(result) > 0) continue;
      const plain = entry(result);
      while (next < lifted.length && (lifted[next]?.bound ?? 0) >= plain.bound) yield lifted[next++] as (typeof lifted)[number];
      yield plain;
    }
    while (next < lifted.length) yield lifted[next++] as (typeof lifted)[number];
  }

  /** Title/author relevance per article id, scaled to 0..1. */
  #articleLift(query: string): Map<string, number> {
    const results = this.#articleIndex.search(query, { ...tokenizerOptions, prefix: false });
    const top = results[0]?.score ?? 0;
    return new Map(results.map((result) => [result.id as string, top > 0 ? result.score / top : 0]));
  }

  /** Up to two non-overlapping windows of one paragraph that best cover the matched terms. */
  #bestWindows(indexed: IndexedParagraph, weights: ReadonlyMap<string, number>, paragraphScore: number): PassageHit[] {
    const { article, paragraph } = indexed;
    const windows = (indexed.windows ??= passageWindows(paragraph));
    // Kept with the paragraph: tokenising and stemming it again for every search that reaches it
    // was a third of a query's time, and a paragraph that matched once tends to match again.
    const words = (indexed.terms ??= paragraphTerms(article.body, paragraph));
    const matched: { term: string; start: number; end: number }[] = [];
    words.terms.forEach((term, i) => {
      if (weights.has(term)) matched.push({ term, start: words.starts[i] ?? 0, end: words.ends[i] ?? 0 });
    });
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

/** Each paragraph's text, in index order: article by article, paragraph by paragraph. */
function paragraphTexts(articles: readonly SegmentedArticle[]): string[] {
  return articles.flatMap(({ article, paragraphs }) => paragraphs.map((paragraph) => article.body.slice(paragraph.start, paragraph.end)));
}

function paragraphTerms(body: string, paragraph: Paragraph): ParagraphTerms {
  const terms: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const token of tokenize(body.slice(paragraph.start, paragraph.end))) {
    const term = indexTerm(token.word);
    if (term === null) continue;
    terms.push(term);
    starts.push(paragraph.start + token.start);
    ends.push(paragraph.start + token.end);
  }
  return { terms, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}
