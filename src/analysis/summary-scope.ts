import type { PassageResult } from "../types.js";
import type { SegmentedArticle } from "../search/passage-search.js";
import { byPublication, type AnalysisContext } from "./context.js";
import { isPositionStatement, pickSummarySentences, SUMMARY_LENGTHS, type SummaryCandidate, type SummaryLength } from "./summarize.js";

/** What to summarize: one article, one author's articles, or a topic across the corpus. */
export type SummaryScope = { article: string } | { author: string } | { topic: string };

/** One sentence of a summary: an exact passage, with whether text was skipped just before it. */
export interface SummarySentence extends PassageResult {
  /** True when the previous summary sentence is earlier in the same paragraph and text between them is left out. */
  elidedBefore: boolean;
}

export interface Summary {
  scope: { kind: "article" | "author" | "topic"; value: string; articleIds: string[]; length: SummaryLength };
  sentences: SummarySentence[];
}

/** Lead bias for one article: news-style op-eds put their thesis early. Chosen on BBC ROUGE (see README). */
const ARTICLE_LEAD_BIAS = 1;
/** Across several articles, position matters less than what recurs. */
const AUTHOR_LEAD_BIAS = 0.3;
/** Passages of a topic search considered for a topic summary. */
const TOPIC_PASSAGES = 40;

interface Candidate extends SummaryCandidate {
  entry: SegmentedArticle;
  paragraph: number;
  sentence: number;
  start: number;
  end: number;
}

/** An extractive summary: sentences picked by LexRank + MMR, shown in reading order. */
export function summarize(ctx: AnalysisContext, scope: SummaryScope, length: SummaryLength = "short"): Summary {
  const count = SUMMARY_LENGTHS[length];
  if ("article" in scope) {
    const article = ctx.article(scope.article);
    const entries = ctx.articles.filter((e) => e.article.id === article.id);
    const picked = pick(ctx, candidatesOf(ctx, entries), count, ARTICLE_LEAD_BIAS);
    return { scope: { kind: "article", value: article.id, articleIds: [article.id], length }, sentences: inReadingOrder(ctx, picked) };
  }
  if ("author" in scope) {
    const names = new Set(ctx.resolveAuthor(scope.author));
    const entries = ctx.articles.filter((e) => e.article.authors.some((a) => names.has(a)));
    const picked = pick(ctx, candidatesOf(ctx, entries), count, AUTHOR_LEAD_BIAS);
    const value = [...names].join(", ");
    return { scope: { kind: "author", value, articleIds: entries.map((e) => e.article.id), length }, sentences: inReadingOrder(ctx, picked) };
  }
  return summarizeTopic(ctx, scope.topic, count, length);
}

function summarizeTopic(ctx: AnalysisContext, topic: string, count: number, length: SummaryLength): Summary {
  const passages = ctx.search(topic, { limit: TOPIC_PASSAGES });
  const top = passages[0]?.score ?? 1;
  const relevanceBySentence = new Map<string, number>();
  for (const passage of passages) {
    for (const key of sentenceKeysIn(ctx, passage)) relevanceBySentence.set(key, Math.max(relevanceBySentence.get(key) ?? 0, passage.score / top));
  }
  const articleIds = [...new Set(passages.map((p) => p.articleId))];
  const entries = ctx.articles.filter((e) => articleIds.includes(e.article.id));
  const candidates = candidatesOf(ctx, entries)
    .map((c) => ({ ...c, relevance: relevanceBySentence.get(`${c.entry.article.id}:${c.start}`) ?? 0 }))
    .filter((c) => c.relevance > 0);
  const picked = pick(ctx, candidates, count, 0);
  // Grouped by author, authors (and their articles) in publication order: no author is favoured by position.
  const grouped = [...picked].sort(
    (a, b) => byPublication(a.entry.article, b.entry.article) || a.start - b.start,
  );
  return { scope: { kind: "topic", value: topic, articleIds: [...new Set(grouped.map((c) => c.entry.article.id))], length }, sentences: withElisions(ctx, grouped) };
}

function candidatesOf(ctx: AnalysisContext, entries: readonly SegmentedArticle[]): Candidate[] {
  return entries.flatMap((entry) => {
    const terms = ctx.sentenceTerms.get(entry.article.id) ?? [];
    const sentences = entry.paragraphs.flatMap((p) => p.sentences);
    const last = Math.max(1, sentences.length - 1);
    return sentences.map((s, i) => ({
      entry,
      paragraph: s.paragraph,
      sentence: s.index,
      start: s.start,
      end: s.end,
      position: i / last,
      terms: terms[i] ?? [],
      normative: isPositionStatement(entry.article.body.slice(s.start, s.end)),
    }));
  });
}

function pick(ctx: AnalysisContext, candidates: readonly Candidate[], count: number, leadBias: number): Candidate[] {
  const chosen = pickSummarySentences(candidates, { count, leadBias, df: ctx.sentenceDf });
  return chosen.flatMap((i) => candidates[i] ?? []);
}

function inReadingOrder(ctx: AnalysisContext, picked: readonly Candidate[]): SummarySentence[] {
  const order = new Map(ctx.articles.map((e, i) => [e.article.id, i]));
  const sorted = [...picked].sort((a, b) => (order.get(a.entry.article.id) ?? 0) - (order.get(b.entry.article.id) ?? 0) || a.start - b.start);
  return withElisions(ctx, sorted);
}

function withElisions(ctx: AnalysisContext, sorted: readonly Candidate[]): SummarySentence[] {
  return sorted.map((c, i) => {
    const previous = i > 0 ? sorted[i - 1] : undefined;
    const elidedBefore =
      previous !== undefined && previous.entry === c.entry && previous.paragraph === c.paragraph && previous.sentence + 1 < c.sentence;
    const span = { start: c.start, end: c.end, paragraph: c.paragraph, firstSentence: c.sentence, lastSentence: c.sentence };
    return { ...ctx.passage(c.entry.article.id, span), elidedBefore };
  });
}

/** Keys (`<article>:<start>`) of the sentences a passage covers. */
function sentenceKeysIn(ctx: AnalysisContext, passage: PassageResult): string[] {
  const entry = ctx.articles.find((e) => e.article.id === passage.articleId);
  if (!entry) return [];
  return entry.paragraphs
    .flatMap((p) => p.sentences)
    .filter((s) => s.start >= passage.start && s.end <= passage.end)
    .map((s) => `${passage.articleId}:${s.start}`);
}
