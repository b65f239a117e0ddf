/**
 * The analysis worker: builds its own engine once from the main thread's source, warms what
 * every server needs first (topics, the digest's passage pool), then answers one request at a
 * time. Runs off the main thread so a long contrast never delays another user's interaction.
 */
import { LRUCache } from "lru-cache";
import { Piscina } from "piscina";
import type { SummaryLength } from "../analysis/summarize.js";
import type { SummaryScope } from "../analysis/summary-scope.js";
import { buildDigest, eligiblePassages, type DigestInput } from "../digest/content.js";
import type { Article } from "../corpus/load.js";
import { createEngine, type Engine, type EngineSource } from "../engine.js";
import { NotFoundError, QueryError } from "../errors.js";
import { Thesaurus } from "../search/thesaurus.js";

export type AnalysisOp =
  | { op: "warm" }
  | { op: "topics" }
  | { op: "summarize"; scope: SummaryScope; length: SummaryLength }
  | { op: "contrast"; topic: string; authors?: string[] }
  | { op: "timeline"; topic: string }
  | { op: "digest"; input: DigestInput };

/**
 * A request, on the shared corpus or on a server's library: the shared articles plus the
 * server's own, identified by `key`. The articles travel only when the thread lacks that key.
 */
export type AnalysisRequest = AnalysisOp & { library?: { key: string; articles?: readonly Article[] } };

/** A user error thrown in the worker, as plain data (an Error's own fields do not cross threads). */
export type WorkerFailure =
  | { name: "NotFoundError"; kind: "article" | "author"; input: string; suggestions: string[]; message: string }
  | { name: "QueryError"; message: string }
  | { name: "LibraryMissing"; message: string };

export type AnalysisResponse = { ok: true; value: unknown } | { ok: false; error: WorkerFailure };

const source = Piscina.workerData as EngineSource;
const thesaurus = new Thesaurus(source.thesaurus);
const sharedEngine = createEngine(source.corpusDir, source.articles, source.problems, thesaurus, source.curatedTopics);
// Server libraries recently asked about, each the shared articles plus the server's own.
const libraries = new LRUCache<string, Engine>({ max: 4 });

class LibraryMissing extends Error {}

function engineFor(library: AnalysisRequest["library"]): Engine {
  if (!library) return sharedEngine;
  let engine = libraries.get(library.key);
  if (!engine) {
    if (!library.articles) throw new LibraryMissing(library.key);
    engine = createEngine(source.corpusDir, [...source.articles, ...library.articles], source.problems, thesaurus, source.curatedTopics);
    libraries.set(library.key, engine);
  }
  return engine;
}

function run(request: AnalysisRequest): unknown {
  const engine = engineFor(request.library);
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
    if (error instanceof LibraryMissing) return { ok: false, error: { name: "LibraryMissing", message: error.message } };
    throw error;
  }
}
