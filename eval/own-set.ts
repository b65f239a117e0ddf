import { readFile } from "node:fs/promises";
import MiniSearch from "minisearch";
import { z } from "zod";
import type { Article } from "../src/corpus/load.js";
import { type Engine } from "../src/engine.js";
import { QueryError } from "../src/errors.js";
import { citationOf, passageWindows } from "../src/text/passages.js";
import { segmentBody } from "../src/text/segment.js";
import { hitRank, summarizeRanks, type RankSummary } from "./metrics.js";

/** One line of `tests/eval/queries.jsonl`. */
export const evalQuerySchema = z
  .object({
    /** q… in the dev split, t… in the frozen test split. */
    id: z.string().regex(/^[qt]\d+$/),
    q: z.string().trim().min(1),
    /** A phrase copied verbatim from the expected passage of the article's body. */
    expect: z.string().trim().min(1),
    article: z.string().min(1),
    /** "paraphrase": shares no index term with the sentence holding `expect`. */
    kind: z.enum(["direct", "paraphrase"]),
  })
  .strict();

export type EvalQuery = z.output<typeof evalQuerySchema>;

/** Parses a JSON-lines query set; blank lines are skipped, a bad line throws with its number. */
export function parseEvalQueries(text: string, file = "queries.jsonl"): EvalQuery[] {
  const queries: EvalQuery[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not JSON: ${(error as Error).message}`);
    }
    const parsed = evalQuerySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}:${i + 1}: ${issue?.path.join(".") || "line"}: ${issue?.message ?? "invalid"}`);
    }
    queries.push(parsed.data);
  });
  return queries;
}

export async function loadEvalQueries(file: string): Promise<EvalQuery[]> {
  return parseEvalQueries(await readFile(file, "utf8"), file);
}

/** A quotable passage as a ranked result: enough to judge a hit and to show a miss. */
export interface RankedPassage {
  citation: string;
  text: string;
}

/** Anything that ranks passages for a query (most relevant first). */
export type PassageRanker = (query: string) => RankedPassage[];

/** The engine's quote(), ten deep; a query with no searchable words returns nothing. */
export function engineRanker(engine: Engine, limit = 10): PassageRanker {
  return (query) => {
    try {
      return engine.quote(query, { limit }).map(({ citation, text }) => ({ citation, text }));
    } catch (error) {
      if (error instanceof QueryError) return [];
      throw error;
    }
  };
}

/**
 * The baseline: minisearch with its defaults (tokenizer, term processing, BM25 parameters, search
 * options) over the same passages the engine can quote — every window of every paragraph.
 */
export function plainMinisearchRanker(articles: readonly Article[], limit = 10): PassageRanker {
  const passages: RankedPassage[] = [];
  for (const article of articles) {
    for (const paragraph of segmentBody(article.body)) {
      for (const span of passageWindows(paragraph)) {
        passages.push({ citation: citationOf(article.id, span), text: article.body.slice(span.start, span.end) });
      }
    }
  }
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  index.addAll(passages.map((passage, id) => ({ id, text: passage.text })));
  return (query) =>
    index
      .search(query)
      .slice(0, limit)
      .flatMap((result) => passages[result.id as number] ?? []);
}

/** One query's outcome for one system. */
export interface QueryOutcome {
  id: string;
  kind: EvalQuery["kind"];
  /** 1-based rank of the first passage containing `expect`, or null. */
  rank: number | null;
  /** The first result, when there was one. */
  top: RankedPassage | null;
}

export interface SystemFigures {
  all: RankSummary;
  direct: RankSummary;
  paraphrase: RankSummary;
}

export function runQueries(queries: readonly EvalQuery[], rank: PassageRanker): QueryOutcome[] {
  return queries.map((query) => {
    const results = rank(query.q);
    return {
      id: query.id,
      kind: query.kind,
      rank: hitRank(
        results.map((result) => result.text),
        query.expect,
      ),
      top: results[0] ?? null,
    };
  });
}

export function figuresOf(outcomes: readonly QueryOutcome[]): SystemFigures {
  const ranksOf = (kind?: EvalQuery["kind"]): (number | null)[] =>
    outcomes.filter((outcome) => kind === undefined || outcome.kind === kind).map((outcome) => outcome.rank);
  return { all: summarizeRanks(ranksOf()), direct: summarizeRanks(ranksOf("direct")), paraphrase: summarizeRanks(ranksOf("paraphrase")) };
}
