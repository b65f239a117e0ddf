import { Piscina } from "piscina";
import type { ContrastResult } from "../analysis/contrast.js";
import type { SummaryLength } from "../analysis/summarize.js";
import type { Summary, SummaryScope } from "../analysis/summary-scope.js";
import type { TimelineResult } from "../analysis/timeline.js";
import type { Topic } from "../analysis/topics.js";
import type { BuiltDigest, DigestInput } from "../digest/content.js";
import type { Article } from "../corpus/load.js";
import { type Engine } from "../engine.js";
import { NotFoundError, QueryError } from "../errors.js";
import type { AnalysisOp, AnalysisRequest, AnalysisResponse } from "./analysis-task.js";

/** The analysis a command may ask for; each answer arrives without blocking the caller's thread. */
export interface Analysis {
  summarize(scope: SummaryScope, length: SummaryLength): Promise<Summary>;
  contrast(topic: string, authors?: string[]): Promise<ContrastResult>;
  timeline(topic: string): Promise<TimelineResult>;
  topics(): Promise<Topic[]>;
  /** The topics once computed; undefined until then (autocomplete must not wait for them). */
  readyTopics(): Topic[] | undefined;
  /** A day's digest as data (its content and passage cycle); the Discord layer renders it. */
  digest(input: DigestInput): Promise<BuiltDigest>;
  /**
   * The same analysis on a server's library (the shared articles plus `articles`, named by
   * `key`), on the same thread; the articles cross to it only when it does not hold that key.
   */
  forLibrary(key: string, articles: readonly Article[]): Analysis;
  close(): Promise<void>;
}

/** Too many analysis requests are waiting: the user should try again shortly. */
export class AnalysisBusyError extends Error {
  override name = "AnalysisBusyError";
}

export interface AnalysisPoolOptions {
  /**
   * Threads doing analysis. One by default: with it, the main thread keeps a core for
   * interactions, and analysis requests run one at a time (the global concurrency cap).
   */
  threads?: number;
  /** Requests that may wait for a thread before new ones are refused with AnalysisBusyError. Default 32. */
  maxQueue?: number;
}

/**
 * The worker thread's entry. Run from TypeScript (tsx, vitest), a worker gets no module hooks, so a
 * small .mjs registers tsx before loading the task; compiled (`npm run build`, dist/), the task is
 * JavaScript and loads by itself, with no tsx in the process.
 */
const WORKER_FILE = import.meta.url.endsWith(".ts") ? "./analysis-worker.mjs" : "./analysis-task.js";

/**
 * Summaries, contrasts, timelines, topics and digests in a worker thread with its own copy of
 * the engine, built from the same source. The thread starts at once and warms the topics and
 * the digest's passage pool, so the first user after a restart does not pay for them.
 */
export function startAnalysisPool(engine: Engine, options: AnalysisPoolOptions = {}): Analysis {
  const threads = options.threads ?? 1;
  const pool = new Piscina({
    filename: new URL(WORKER_FILE, import.meta.url).href,
    workerData: engine.source,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? 32,
  });
  const send = async (request: AnalysisRequest): Promise<AnalysisResponse> => {
    try {
      return (await pool.run(request)) as AnalysisResponse;
    } catch (error) {
      if (error instanceof Error && error.message === "Task queue is at limit") throw new AnalysisBusyError("too many analysis requests are waiting");
      throw error;
    }
  };
  const ask = async <T>(op: AnalysisOp, library?: { key: string; articles: readonly Article[] }): Promise<T> => {
    let response = await send(library ? { ...op, library: { key: library.key } } : op);
    // The thread does not hold this library (first use, or it made room for others): send it once.
    if (!response.ok && response.error.name === "LibraryMissing" && library) response = await send({ ...op, library });
    if (response.ok) return response.value as T;
    const failure = response.error;
    if (failure.name === "NotFoundError") throw new NotFoundError(failure.kind, failure.input, failure.suggestions);
    throw new QueryError(failure.message);
  };

  const forLibrary = (key: string, articles: readonly Article[]): Analysis => {
    const library = { key, articles };
    let libraryTopics: Promise<Topic[]> | undefined;
    let readyLibraryTopics: Topic[] | undefined;
    const scoped: Analysis = {
      summarize: (scope, length) => ask({ op: "summarize", scope, length }, library),
      contrast: (topic, authors) => ask({ op: "contrast", topic, ...(authors && authors.length > 0 ? { authors } : {}) }, library),
      timeline: (topic) => ask({ op: "timeline", topic }, library),
      topics: () => (libraryTopics ??= ask<Topic[]>({ op: "topics" }, library).then((list) => (readyLibraryTopics = list))),
      readyTopics: () => {
        // Autocomplete never waits: the first keystroke starts the computation, later ones get it.
        if (!libraryTopics) scoped.topics().catch(() => (libraryTopics = undefined));
        return readyLibraryTopics;
      },
      digest: (input) => ask({ op: "digest", input }, library),
      forLibrary,
      close: () => Promise.resolve(),
    };
    return scoped;
  };

  let topics: Topic[] | undefined;
  const topicsPromise = ask<Topic[]>({ op: "topics" }).then((list) => (topics = list));
  // A failure surfaces where topics() is awaited; until then it must not count as unhandled.
  topicsPromise.catch(() => undefined);
  void ask({ op: "warm" }).catch(() => undefined);

  return {
    summarize: (scope, length) => ask({ op: "summarize", scope, length }),
    contrast: (topic, authors) => ask({ op: "contrast", topic, ...(authors && authors.length > 0 ? { authors } : {}) }),
    timeline: (topic) => ask({ op: "timeline", topic }),
    topics: () => topicsPromise,
    readyTopics: () => topics,
    digest: (input) => ask({ op: "digest", input }),
    forLibrary,
    // Gracefully: requests already queued are answered first (a corpus reload closes the old pool).
    close: () => pool.close(),
  };
}
