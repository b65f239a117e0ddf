import path from "node:path";
import { dateOf, overlapsRange } from "./corpus/dates.js";
import { isCorpusFile, loadCorpus, type Article, type CorpusProblem } from "./corpus/load.js";
import type { AnalysisContext } from "./analysis/context.js";
import { contrast, type ContrastOptions, type ContrastResult } from "./analysis/contrast.js";
import { summarize, type Summary, type SummaryScope } from "./analysis/summary-scope.js";
import type { SummaryLength } from "./analysis/summarize.js";
import { timeline, type TimelineResult } from "./analysis/timeline.js";
import { loadCuratedTopics, topics, type CuratedTopic, type Topic } from "./analysis/topics.js";
import { documentFrequencies } from "./analysis/vectors.js";
import { snapshotKey, type SnapshotStore } from "./search/paragraph-index.js";
import { PassageSearch, type SegmentedArticle } from "./search/passage-search.js";
import { corpusSnapshotFolder, listCorpusFolder, snapshotFolder, type CorpusSnapshot } from "./search/snapshot-files.js";
import { Thesaurus } from "./search/thesaurus.js";
import { citationOf, passageWindows, verifyPassage, type PassageSpan } from "./text/passages.js";
import { NotFoundError, QueryError } from "./errors.js";
import type { ArticleInfo, AuthorInfo, PassageResult, SearchOptions } from "./types.js";
import { segmentBody, segmentSentences, type Paragraph, type Sentence } from "./text/segment.js";
import { suggest, surname } from "./text/suggest.js";
import { indexTerms } from "./text/tokenize.js";

export interface EngineOptions {
  corpusDir: string;
  /** Defaults to `<corpusDir>/thesaurus.yml` when present. */
  thesaurusFile?: string;
  /** Defaults to `<corpusDir>/topics.yml` when present. */
  topicsFile?: string;
  /**
   * A folder for snapshots (src/search/snapshot-files.ts): a restart on an unchanged corpus folder
   * (the same files, sizes and times) loads the articles, their paragraphs and the index from two
   * files instead of reading every article and counting every term; on unchanged paragraphs it
   * still loads the saved index. None by default.
   */
  snapshotDir?: string;
}

/** Everything an engine is built from, as plain data a worker thread can rebuild it from. */
export interface EngineSource {
  corpusDir: string;
  articles: readonly Article[];
  problems: readonly CorpusProblem[];
  thesaurus: readonly (readonly string[])[];
  curatedTopics: readonly CuratedTopic[];
}

export interface Engine {
  readonly corpusDir: string;
  /** What the engine was built from (shared, not copied). */
  readonly source: EngineSource;
  /** Files that failed validation and were left out. */
  readonly problems: readonly CorpusProblem[];
  articles(): ArticleInfo[];
  /** The article, or throws NotFoundError with the closest ids. */
  article(id: string): Article;
  authors(): AuthorInfo[];
  /** Every quotable passage of an article (for checks and browsing). */
  passages(articleId: string): PassageResult[];
  /** The whole paragraph around a passage, as an exact passage itself (for "show context"). */
  paragraphAround(passage: Pick<PassageResult, "articleId" | "start">): PassageResult;
  search(query: string, options?: SearchOptions): PassageResult[];
  /** The best passages to quote: at most one per paragraph, verified against the body. */
  quote(query: string, options?: SearchOptions): PassageResult[];
  /** Throws QueryError when a query or topic has no searchable words (what search would refuse). */
  checkQuery(query: string): void;
  /**
   * The ids of the articles a search with these filters (author, article, dates) may return,
   * undefined when unfiltered; throws on an unknown name as search does. For rankers beside the
   * engine's own (the embeddings in src/embeddings/).
   */
  articlesIn(options: SearchOptions): ReadonlySet<string> | undefined;
  /** Resolves an author name (full or surname, any case) to the canonical names it matches. */
  resolveAuthor(name: string): string[];
  /** What the analysis functions use; built on first use, so plain search pays nothing for it. */
  readonly analysis: AnalysisContext;
  /** An extractive summary of an article, an author's articles, or a topic. */
  summarize(scope: SummaryScope, length?: SummaryLength): Summary;
  /** Each author's passages on a topic side by side, with an equal budget and a fixed order. */
  contrast(topic: string, options?: ContrastOptions): ContrastResult;
  /** The corpus's recurring topics, curated ones first, with the authors who address each. */
  topics(): Topic[];
  /** The most relevant passage per article on a topic, by publication date, undated last. */
  timeline(topic: string): TimelineResult;
}

/** The thesaurus and curated topics files of a corpus: as given, else in the corpus folder. */
export function settingsFiles(options: EngineOptions): { thesaurus: string; topics: string } {
  return {
    thesaurus: options.thesaurusFile ?? path.join(options.corpusDir, "thesaurus.yml"),
    topics: options.topicsFile ?? path.join(options.corpusDir, "topics.yml"),
  };
}

/**
 * Loads a corpus folder once and builds everything queries need. With a snapshot folder, a folder
 * whose listing is unchanged since a snapshot was written starts from the snapshot; any other
 * folder is loaded in full and its snapshot written. thesaurus.yml and topics.yml are read every
 * time: they are small, and the snapshot holds nothing that depends on them.
 */
export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const files = settingsFiles(options);
  const thesaurus = await Thesaurus.load(files.thesaurus);
  const curatedTopics = await loadCuratedTopics(files.topics);
  if (options.snapshotDir === undefined) {
    const corpus = await loadCorpus(options.corpusDir);
    return createEngine(options.corpusDir, corpus.articles, corpus.problems, thesaurus, curatedTopics);
  }
  const indexes = snapshotFolder(options.snapshotDir);
  const corpora = corpusSnapshotFolder(options.snapshotDir);
  const listing = listCorpusFolder(options.corpusDir, isCorpusFile);
  const saved = listing ? corpora.read(listing.key) : undefined;
  if (saved) {
    const segmented = saved.articles.map((article, i) => ({ article, paragraphs: paragraphsAt(article.body, saved.paragraphs[i] ?? new Int32Array(0)) }));
    const source = { corpusDir: options.corpusDir, articles: saved.articles, problems: saved.problems, thesaurus: thesaurus.members, curatedTopics };
    return assembleEngine(source, segmented, new PassageSearch(segmented, thesaurus, indexes, saved.indexKey));
  }
  const corpus = await loadCorpus(options.corpusDir);
  const segmented: SegmentedArticle[] = corpus.articles.map((article) => ({ article, paragraphs: segmentBody(article.body) }));
  const indexKey = snapshotKey(segmented.flatMap(({ article, paragraphs }) => paragraphs.map((p) => article.body.slice(p.start, p.end))));
  const source = { corpusDir: options.corpusDir, articles: corpus.articles, problems: corpus.problems, thesaurus: thesaurus.members, curatedTopics };
  const engine = assembleEngine(source, segmented, new PassageSearch(segmented, thesaurus, indexes, indexKey));
  if (listing && !listing.racy) {
    const snapshot: CorpusSnapshot = {
      articles: corpus.articles,
      problems: corpus.problems,
      paragraphs: segmented.map(({ paragraphs }) => Int32Array.from(paragraphs.flatMap((p) => [p.start, p.end]))),
      indexKey,
    };
    corpora.write(listing.key, snapshot);
  }
  return engine;
}

/** The paragraphs of a body at saved offsets, numbered from 1, their sentences found on first read (as segmentBody's). */
function paragraphsAt(body: string, spans: Int32Array): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const span = { start: spans[i] ?? 0, end: spans[i + 1] ?? 0 };
    const number = i / 2 + 1;
    let sentences: Sentence[] | undefined;
    paragraphs.push({
      ...span,
      number,
      get sentences() {
        return (sentences ??= segmentSentences(body, span, number));
      },
    });
  }
  return paragraphs;
}

/** The engine of articles already loaded, indexed on this thread. */
export function createEngine(
  corpusDir: string,
  articles: readonly Article[],
  problems: readonly CorpusProblem[],
  thesaurus: Thesaurus,
  curatedTopics: readonly CuratedTopic[] = [],
  snapshots?: SnapshotStore,
): Engine {
  const segmented: SegmentedArticle[] = articles.map((article) => ({ article, paragraphs: segmentBody(article.body) }));
  const source = { corpusDir, articles, problems, thesaurus: thesaurus.members, curatedTopics };
  return assembleEngine(source, segmented, new PassageSearch(segmented, thesaurus, snapshots));
}

function assembleEngine(source: EngineSource, segmented: readonly SegmentedArticle[], index: PassageSearch): Engine {
  const { corpusDir, problems, curatedTopics } = source;
  const articles = segmented.map(({ article }) => article);
  const byId = new Map(articles.map((article) => [article.id, article]));
  const segmentedById = new Map(segmented.map((entry) => [entry.article.id, entry]));
  const authorIndex = buildAuthors(articles);

  const getArticle = (id: string): Article => {
    const article = byId.get(id.trim().toLowerCase());
    if (article) return article;
    throw new NotFoundError("article", id, suggest(id, [...byId.keys()]));
  };

  const resolveAuthor = (name: string): string[] => {
    const wanted = name.trim().toLowerCase();
    const names = authorIndex.map((author) => author.name);
    const found = names.filter((full) => full.toLowerCase() === wanted || surname(full) === wanted);
    if (found.length > 0) return found;
    throw new NotFoundError("author", name, suggest(name, names));
  };

  const scope = (options: SearchOptions): Set<string> | undefined => {
    let ids: string[] | undefined;
    if (options.article !== undefined) ids = [getArticle(options.article).id];
    if (options.author !== undefined) {
      const names = new Set(resolveAuthor(options.author));
      const ofAuthor = articles.filter((article) => article.authors.some((author) => names.has(author))).map((article) => article.id);
      ids = ids ? ids.filter((id) => ofAuthor.includes(id)) : ofAuthor;
    }
    if (options.from !== undefined || options.to !== undefined) {
      const from = options.from ?? "0000-01-01";
      const to = options.to ?? "9999-12-31";
      if (from > to) throw new QueryError(`date range is empty: ${from} is after ${to}`);
      const inRange = articles.filter((a) => overlapsRange(dateOf(a), from, to)).map((a) => a.id);
      ids = ids ? ids.filter((id) => inRange.includes(id)) : inRange;
    }
    return ids === undefined ? undefined : new Set(ids);
  };

  const checkQuery = (query: string): void => {
    if (PassageSearch.queryTerms(query).length === 0) {
      throw new QueryError(query.trim() === "" ? "the query is empty" : `the query "${query}" has no searchable words`);
    }
  };

  const runSearch = (query: string, options: SearchOptions, defaultLimit: number, perParagraph = 2): PassageResult[] => {
    checkQuery(query);
    const articleIds = scope(options);
    const limit = options.limit ?? defaultLimit;
    if (!Number.isInteger(limit) || limit < 1) throw new QueryError(`limit must be a positive whole number, not ${limit}`);
    const hits = index.search(query, { limit, perParagraph, ...(articleIds ? { articleIds } : {}) });
    return hits.map((hit) => toResult(hit.article, hit.span, hit.score, hit.matches));
  };

  const toSpanResult = (articleId: string, span: PassageSpan): PassageResult => {
    const result = toResult(getArticle(articleId), span, 0, []);
    verifyPassage(getArticle(articleId), result);
    return result;
  };

  let analysis: AnalysisContext | undefined;
  const buildAnalysis = (): AnalysisContext => {
    const sentenceTerms = new Map(
      segmented.map(({ article, paragraphs }) => [
        article.id,
        paragraphs.flatMap((p) => p.sentences.map((s) => indexTerms(article.body.slice(s.start, s.end)))),
      ]),
    );
    const all = [...sentenceTerms.values()].flat();
    return {
      articles: segmented,
      article: getArticle,
      resolveAuthor,
      search: (query, options = {}) => runSearch(query, options, 10),
      passage: toSpanResult,
      sentenceTerms,
      sentenceDf: { counts: documentFrequencies(all), total: all.length },
    };
  };

  let topicList: Topic[] | undefined;
  const context = (): AnalysisContext => (analysis ??= buildAnalysis());

  return {
    corpusDir,
    source,
    problems,
    get analysis() {
      return context();
    },
    summarize: (scope, length) => summarize(context(), scope, length),
    contrast: (topic, options) => contrast(context(), topic, options),
    topics: () => (topicList ??= topics(context(), curatedTopics)).map((topic) => ({ ...topic })),
    timeline: (topic) => timeline(context(), topic),
    articles: () => articles.map(({ body: _body, ...info }) => info),
    article: getArticle,
    authors: () => authorIndex.map((author) => ({ ...author, articleIds: [...author.articleIds] })),
    passages: (articleId) => {
      const entry = segmentedById.get(getArticle(articleId).id);
      if (!entry) return [];
      return entry.paragraphs.flatMap((paragraph) => passageWindows(paragraph).map((span) => toResult(entry.article, span, 0, [])));
    },
    paragraphAround: ({ articleId, start }) => {
      const entry = segmentedById.get(getArticle(articleId).id);
      const paragraph = entry?.paragraphs.find((p) => p.start <= start && start < p.end);
      const first = paragraph?.sentences[0];
      const last = paragraph?.sentences.at(-1);
      if (!entry || !paragraph || !first || !last) throw new QueryError(`no paragraph at ${articleId}:${start}`);
      const span = { start: paragraph.start, end: paragraph.end, paragraph: paragraph.number, firstSentence: first.index, lastSentence: last.index };
      return toSpanResult(articleId, span);
    },
    search: (query, options = {}) => runSearch(query, options, 10),
    quote: (query, options = {}) => {
      const results = runSearch(query, options, 3, 1);
      for (const result of results) verifyPassage(getArticle(result.articleId), result);
      return results;
    },
    resolveAuthor,
    checkQuery,
    articlesIn: scope,
  };
}

function toResult(article: Article, span: PassageSpan, score: number, matches: readonly { start: number; end: number }[]): PassageResult {
  return {
    articleId: article.id,
    title: article.title,
    authors: [...article.authors],
    outlet: article.outlet,
    published: article.published,
    date: dateOf(article),
    text: article.body.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    citation: citationOf(article.id, span),
    score: Math.round(score * 1000) / 1000,
    highlights: matches.map((match) => ({ start: match.start - span.start, end: match.end - span.start })),
  };
}

function buildAuthors(articles: readonly Article[]): AuthorInfo[] {
  const byName = new Map<string, string[]>();
  for (const article of articles) {
    for (const name of article.authors) byName.set(name, [...(byName.get(name) ?? []), article.id]);
  }
  return [...byName.entries()].map(([name, articleIds]) => ({ name, articleIds })).sort((a, b) => a.name.localeCompare(b.name));
}
