/**
 * Summary quality on the BBC News Summary dataset (research use only: read from a folder at run
 * time, never copied into the project): the summarizer (pickSummarySentences) against lead-k,
 * scored with ROUGE against the dataset's extractive reference summaries.
 *
 * Layout: articles/<category>/NNN.txt (title line, blank line, paragraphs) and
 * summaries/<category>/NNN.txt (the reference sentences concatenated without spaces).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isPositionStatement, pickSummarySentences, type SummaryCandidate, type SummaryOptions } from "../src/analysis/summarize.js";
import { segmentBody } from "../src/text/segment.js";
import { indexTerms } from "../src/text/tokenize.js";
import { ROUGE_MEASURES, rougeLTokens, rougeNTokens, rougeTokens, type RougeMeasure, type RougeOptions, type RougeScores } from "./rouge.js";

export interface BbcArticle {
  /** "<category>/NNN". */
  id: string;
  category: string;
  title: string;
  /** Everything after the title line. */
  body: string;
  /** The reference summary, with a space restored after each sentence end. */
  reference: string;
}

/** UTF-8 text, or Latin-1 when the bytes are not valid UTF-8 (one file in the dataset). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("latin1").decode(bytes);
  }
}

/**
 * The reference with a space after each sentence end that the dataset lost: "$10.9bn.For the year"
 * becomes "$10.9bn. For the year". A break needs terminal punctuation (optionally a closing quote)
 * directly followed by a capital or an opening quote, so decimals ("10.9") stay whole. A straight
 * quote after the period closes a quotation when an odd number of them precede it, else it opens
 * the next sentence. (ROUGE drops punctuation, so this only matters for counting sentences.)
 */
export function restoreSentenceSpaces(summary: string): string {
  return summary
    .replace(/[.!?](["”’']?)(?=[\p{Lu}"“‘])/gu, (match: string, quote: string, offset: number) => {
      const closes = quote !== "" && (quote !== '"' || (summary.slice(0, offset).split('"').length - 1) % 2 === 1);
      return closes ? `${match} ` : `${match.slice(0, 1)} ${quote}`;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** Sentences of a restored reference, for counting. */
export function referenceSentences(reference: string): string[] {
  return reference.split(/(?<=[.!?]["”’']?) (?=[\p{Lu}"“‘])/u).filter((s) => s.trim() !== "");
}

/** Splits an article file into its title line and the body after it. */
export function splitArticle(text: string): { title: string; body: string } {
  const normalised = text.replace(/\r\n?/g, "\n");
  const newline = normalised.indexOf("\n");
  if (newline < 0) return { title: normalised.trim(), body: "" };
  return { title: normalised.slice(0, newline).trim(), body: normalised.slice(newline + 1).replace(/^\s+/, "") };
}

/** Whether `dir` looks like the dataset (has articles/ and summaries/). */
export async function isBbcFolder(dir: string): Promise<boolean> {
  try {
    await Promise.all([readdir(join(dir, "articles")), readdir(join(dir, "summaries"))]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every article with its reference, ordered by file number then category (business/001,
 * entertainment/001, …, business/002, …) so that a `limit` samples every category evenly.
 */
export async function loadBbc(dir: string, limit = Infinity): Promise<BbcArticle[]> {
  const categories = (await readdir(join(dir, "articles"), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const entries: { category: string; file: string }[] = [];
  for (const category of categories) {
    const files = (await readdir(join(dir, "articles", category))).filter((file) => file.endsWith(".txt"));
    for (const file of files) entries.push({ category, file });
  }
  entries.sort((a, b) => a.file.localeCompare(b.file, "en", { numeric: true }) || a.category.localeCompare(b.category));
  const chosen = entries.slice(0, Math.min(limit, entries.length));
  return Promise.all(
    chosen.map(async ({ category, file }) => {
      const [article, summary] = await Promise.all([
        readFile(join(dir, "articles", category, file)),
        readFile(join(dir, "summaries", category, file)),
      ]);
      const { title, body } = splitArticle(decodeText(article));
      return { id: `${category}/${file.replace(/\.txt$/, "")}`, category, title, body, reference: restoreSentenceSpaces(decodeText(summary)) };
    }),
  );
}

/** An article prepared once for every system: its sentences, their candidates, the reference tokens. */
export interface PreparedArticle {
  id: string;
  category: string;
  sentences: string[];
  candidates: SummaryCandidate[];
  referenceTokens: string[];
  referenceSentenceCount: number;
}

/** The summary candidates of a body: every sentence, position = rank / (n - 1). */
export function articleCandidates(body: string): { sentences: string[]; candidates: SummaryCandidate[] } {
  const sentences = segmentBody(body).flatMap((paragraph) => paragraph.sentences.map((s) => body.slice(s.start, s.end)));
  const last = Math.max(1, sentences.length - 1);
  const candidates = sentences.map((text, i) => ({ position: i / last, terms: indexTerms(text), normative: isPositionStatement(text) }));
  return { sentences, candidates };
}

export function prepareArticle(article: BbcArticle, rougeOptions: RougeOptions = {}): PreparedArticle {
  const { sentences, candidates } = articleCandidates(article.body);
  return {
    id: article.id,
    category: article.category,
    sentences,
    candidates,
    referenceTokens: rougeTokens(article.reference, rougeOptions),
    referenceSentenceCount: referenceSentences(article.reference).length,
  };
}

/** A summarizing system: the indexes of the sentences it keeps. */
export type SummarySystem = (article: PreparedArticle) => readonly number[];

export function leadSystem(k: number): SummarySystem {
  return (article) => article.sentences.slice(0, k).map((_, i) => i);
}

export function summarizerSystem(k: number, options: Omit<SummaryOptions, "count"> = {}): SummarySystem {
  return (article) => pickSummarySentences(article.candidates, { ...options, count: k });
}

/** The summary text: the kept sentences in reading order, joined by spaces. */
export function summaryText(article: PreparedArticle, picked: readonly number[]): string {
  return [...picked]
    .sort((a, b) => a - b)
    .map((i) => article.sentences[i] ?? "")
    .join(" ");
}

/** ROUGE of one system's summary of an article, and the summary's length in ROUGE tokens. */
export function scoreArticle(article: PreparedArticle, system: SummarySystem, rougeOptions: RougeOptions = {}): RougeScores & { tokens: number } {
  const candidate = rougeTokens(summaryText(article, system(article)), rougeOptions);
  const reference = article.referenceTokens;
  return {
    rouge1: rougeNTokens(candidate, reference, 1),
    rouge2: rougeNTokens(candidate, reference, 2),
    rougeL: rougeLTokens(candidate, reference),
    tokens: candidate.length,
  };
}

/** Mean recall and F1 of each measure. */
export type MeanScores = Record<RougeMeasure, { recall: number; f1: number }>;

export interface SystemFigures {
  n: number;
  /** Mean summary length in ROUGE tokens (longer summaries gain recall). */
  meanTokens: number;
  mean: MeanScores;
  /** Mean ROUGE-2 F1 per category. */
  rouge2F1ByCategory: Record<string, number>;
  /** Per-article ROUGE-2 F1, in article order. */
  rouge2F1: number[];
}

export function meanScores(scores: readonly RougeScores[]): MeanScores {
  const n = Math.max(1, scores.length);
  const mean = (measure: RougeMeasure, field: "recall" | "f1"): number => scores.reduce((sum, s) => sum + s[measure][field], 0) / n;
  return Object.fromEntries(ROUGE_MEASURES.map((m) => [m, { recall: mean(m, "recall"), f1: mean(m, "f1") }])) as MeanScores;
}

export function evaluateSystem(articles: readonly PreparedArticle[], system: SummarySystem, rougeOptions: RougeOptions = {}): SystemFigures {
  const scores = articles.map((article) => scoreArticle(article, system, rougeOptions));
  const byCategory = new Map<string, number[]>();
  articles.forEach((article, i) => {
    const list = byCategory.get(article.category) ?? [];
    list.push(scores[i]?.rouge2.f1 ?? 0);
    byCategory.set(article.category, list);
  });
  const rouge2F1ByCategory = Object.fromEntries(
    [...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([category, values]) => [category, values.reduce((s, v) => s + v, 0) / values.length]),
  );
  const meanTokens = scores.reduce((sum, s) => sum + s.tokens, 0) / Math.max(1, scores.length);
  return { n: articles.length, meanTokens, mean: meanScores(scores), rouge2F1ByCategory, rouge2F1: scores.map((s) => s.rouge2.f1) };
}

/** How often `a` beats, ties and loses to `b`, article by article. */
export function headToHead(a: readonly number[], b: readonly number[]): { wins: number; ties: number; losses: number } {
  const result = { wins: 0, ties: 0, losses: 0 };
  a.forEach((value, i) => {
    const other = b[i] ?? 0;
    if (Math.abs(value - other) < 1e-12) result.ties++;
    else if (value > other) result.wins++;
    else result.losses++;
  });
  return result;
}

export const SWEEP_LEAD_BIAS = [0, 0.5, 1, 2, 4] as const;
export const SWEEP_POSITION_BOOST = [1, 1.3] as const;

export interface SweepCell {
  leadBias: number;
  positionBoost: number;
  rouge2F1: number;
}

/** Mean ROUGE-2 F1 of the summarizer over the leadBias × positionBoost grid. */
export function sweep(articles: readonly PreparedArticle[], k: number, rougeOptions: RougeOptions = {}): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const leadBias of SWEEP_LEAD_BIAS) {
    for (const positionBoost of SWEEP_POSITION_BOOST) {
      const figures = evaluateSystem(articles, summarizerSystem(k, { leadBias, positionBoost }), rougeOptions);
      cells.push({ leadBias, positionBoost, rouge2F1: figures.mean.rouge2.f1 });
    }
  }
  return cells;
}
