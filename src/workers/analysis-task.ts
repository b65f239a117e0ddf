/**
 * The analysis worker: builds its own engine once from the main thread's source, warms what
 * every server needs first (topics, the digest's passage pool), then answers one request at a
 * time. Runs off the main thread so a long contrast never delays another user's interaction.
 */
import { Piscina } from "piscina";
import type { SummaryLength } from "../analysis/summarize.js";
import type { SummaryScope } from "../analysis/summary-scope.js";
import { buildDigest, eligiblePassages, type DigestInput } from "../digest/content.js";
import { createEngine, type EngineSource } from "../engine.js";
import { NotFoundError, QueryError } from "../errors.js";
import { Thesaurus } from "../search/thesaurus.js";

export type AnalysisRequest =
  | { op: "warm" }
  | { op: "topics" }
  | { op: "summarize"; scope: SummaryScope; length: SummaryLength }
  | { op: "contrast"; topic: string; authors?: string[] }
  | { op: "timeline"; topic: string }
  | { op: "digest"; input: DigestInput };

/** A user error thrown in the worker, as plain data (an Error's own fields do not cross threads). */
export type WorkerFailure =
  | { name: "NotFoundError"; kind: "article" | "author"; input: string; suggestions: string[]; message: string }
  | { name: "QueryError"; message: string };

export type AnalysisResponse = { ok: true; value: unknown } | { ok: false; error: WorkerFailure };

const source = Piscina.workerData as EngineSource;
const engine = createEngine(source.corpusDir, source.articles, source.problems, new Thesaurus(source.thesaurus), source.curatedTopics);

function run(request: AnalysisRequest): unknown {
  switch (request.op) {
    case "warm":
      eligiblePassages(engine, null);
      return null;
    case "topics":
      return engine.topics();
    case "summarize":
      return engine.summarize(request.scope, request.length);
    case "contrast":
      return engine.contrast(request.topic, request.authors ? { authors: request.authors } : {});
    case "timeline":
      return engine.timeline(request.topic);
    case "digest":
      // Plain data (the content and its passage cycle): no rendered message crosses the thread.
      return buildDigest(engine, request.input);
  }
}

export default function handle(request: AnalysisRequest): AnalysisResponse {
  try {
    return { ok: true, value: run(request) };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: { name: "NotFoundError", kind: error.kind, input: error.input, suggestions: error.suggestions, message: error.message } };
    if (error instanceof QueryError) return { ok: false, error: { name: "QueryError", message: error.message } };
    throw error;
  }
}
