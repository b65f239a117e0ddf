import type { ContrastResult } from "../analysis/contrast.js";
import type { Summary, SummaryScope } from "../analysis/summary-scope.js";
import { SUMMARY_LENGTHS, type SummaryLength } from "../analysis/summarize.js";
import type { TimelineResult } from "../analysis/timeline.js";
import type { Topic } from "../analysis/topics.js";
import type { Engine } from "../engine.js";
import type { PassageResult } from "../types.js";
import { byline, dateText } from "../text/attribution.js";
import { passageJson } from "./format.js";
import { UsageError, type CliIo } from "./io.js";

/** The CLI options the analysis commands read. */
export interface AnalysisValues {
  json?: boolean | undefined;
  article?: string | undefined;
  author?: string[] | undefined;
  topic?: string | undefined;
  length?: string | undefined;
  authors?: string | undefined;
}

/** `summarize`, `contrast`, `topics`, `timeline`; returns the exit code, or undefined for another command. */
export function runAnalysisCommand(command: string, args: readonly string[], values: AnalysisValues, engine: Engine, io: CliIo): number | undefined {
  const print = (json: unknown, text: string): number => {
    io.stdout(values.json ? JSON.stringify(json, null, 2) : text);
    return 0;
  };
  switch (command) {
    case "summarize": {
      const summary = engine.summarize(summaryScope(values), summaryLength(values.length));
      return print(summaryJson(summary), formatSummary(summary));
    }
    case "contrast": {
      const authors = values.authors?.split(",").map((a) => a.trim()).filter(Boolean);
      const result = engine.contrast(topicArg(args, "contrast"), authors && authors.length > 0 ? { authors } : {});
      return print(contrastJson(result), formatContrast(result));
    }
    case "topics": {
      const topics = engine.topics();
      return print(topics.map(({ name, synonyms, authors, passageCount }) => ({ name, synonyms, authors, passageCount })), formatTopics(topics));
    }
    case "timeline": {
      const result = engine.timeline(topicArg(args, "timeline"));
      return print(
        { topic: result.topic, entries: result.entries.map((e) => ({ published: e.published, undated: e.undated, ...passageJson(e) })) },
        formatTimeline(result),
      );
    }
    default:
      return undefined;
  }
}

function summaryScope(values: AnalysisValues): SummaryScope {
  const authors = values.author ?? [];
  const given = [values.article !== undefined, authors.length > 0, values.topic !== undefined].filter(Boolean).length;
  if (given !== 1 || authors.length > 1) throw new UsageError('summarize needs exactly one of --article ID, --author NAME or --topic "T"');
  if (values.article !== undefined) return { article: values.article };
  if (authors[0] !== undefined) return { author: authors[0] };
  return { topic: values.topic ?? "" };
}

function summaryLength(value: string | undefined): SummaryLength {
  if (value === undefined) return "short";
  if (value in SUMMARY_LENGTHS) return value as SummaryLength;
  throw new UsageError(`--length must be short, medium or long, not "${value}"`);
}

function topicArg(args: readonly string[], command: string): string {
  const topic = args.join(" ").trim();
  if (topic === "") throw new UsageError(`${command} needs a topic: ${command} "<topic>"`);
  return topic;
}

function summaryJson(summary: Summary) {
  return {
    scope: summary.scope,
    sentences: summary.sentences.map(({ articleId, text, start, end, citation, authors, title, elidedBefore }) => ({
      articleId, text, start, end, citation, authors, title, elidedBefore,
    })),
  };
}

function contrastJson(result: ContrastResult) {
  return {
    topic: result.topic,
    columns: result.columns.map((c) => ({ author: c.author, articleIds: c.articleIds, passages: c.passages.map(passageJson), terms: c.terms })),
    omitted: result.omitted,
    hints: result.hints,
  };
}

const cite = (p: PassageResult) => `[${p.citation}]`;

function formatSummary(summary: Summary): string {
  const { kind, value, length } = summary.scope;
  if (summary.sentences.length === 0) return `No sentences to summarize for ${kind} "${value}".`;
  const lines = [`Summary of ${kind} "${value}" (${length}):`];
  let previous: PassageResult | undefined;
  for (const sentence of summary.sentences) {
    if (previous?.articleId !== sentence.articleId) lines.push("", `${sentence.title} — ${byline(sentence.authors)}, ${sentence.outlet}, ${dateText(sentence)}`);
    else if (sentence.elidedBefore) lines.push("  …");
    lines.push(`  “${sentence.text}” ${cite(sentence)}`);
    previous = sentence;
  }
  return lines.join("\n");
}

function formatContrast(result: ContrastResult): string {
  const lines = [`Contrast on "${result.topic}" (columns by publication date):`];
  for (const column of result.columns) {
    lines.push("", `## ${column.author}${column.terms.length > 0 ? `  (leaning terms: ${column.terms.join(", ")})` : ""}`);
    if (column.passages.length === 0) lines.push("  no passage on this topic");
    for (const p of column.passages) lines.push(`  “${p.text}” ${cite(p)}`);
  }
  if (result.omitted.length > 0) lines.push("", `Left out (at most 6 columns): ${result.omitted.join(", ")}`);
  if (result.hints.length > 0) lines.push("", "Hints (about the passages, not quotes):", ...result.hints.map((h) => `  - ${h}`));
  return lines.join("\n");
}

function formatTopics(topics: readonly Topic[]): string {
  return topics.map((t) => `${t.name} (${t.passageCount} passages): ${t.authors.join(", ") || "no named author"}`).join("\n");
}

function formatTimeline(result: TimelineResult): string {
  if (result.entries.length === 0) return `No article addresses "${result.topic}".`;
  return [
    `Timeline of "${result.topic}":`,
    ...result.entries.map((e) => `\n${e.undated ? "undated" : dateText(e)} — ${byline(e.authors)}, ${e.title}\n  “${e.text}” ${cite(e)}`),
  ].join("\n");
}
