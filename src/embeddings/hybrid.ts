import { LRUCache } from "lru-cache";
import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { parseCitation, verifyPassage } from "../text/passages.js";
import type { PassageResult, SearchOptions } from "../types.js";
import type { VectorCache } from "./cache.js";
import { embedLibrary } from "./embed-library.js";
import { reciprocalRankFusion } from "./fusion.js";
import { PassageVectors, type PassageRef } from "./passage-vectors.js";
import type { EmbeddingsError, EmbeddingsProvider } from "./provider.js";

export interface HybridOptions {
  /** Longest wait for a query's vector; past it the lexical answer goes out alone. */
  queryTimeoutMs?: number;
  /** After a query's vector failed, queries skip the provider this long (no 1.5 s wait each). */
  cooldownMs?: number;
  /** At most one warning about the provider per this many ms; the rest go to debug. */
  warnEveryMs?: number;
  /** Background embedding: wait between a failed batch and its next try. */
  pauseMs?: number;
  /** How deep each ranking goes into the fusion. */
  candidates?: number;
  /** Up to this many distinct passage texts, a query's vector is compared with every passage; past it, with the lexical candidates'. */
  bruteForceLimit?: number;
  /** Past this many distinct passage texts the library is not embedded (vectors live in memory: texts × dimensions × 4 bytes). */
  maxTexts?: number;
}

export type HybridState = "idle" | "embedding" | "ready" | "failed" | "stopped";

/**
 * Hybrid retrieval: the engine's lexical ranking fused (RRF) with a ranking by embedding
 * similarity. Vectors only reorder exact passages of the engine; every result is a body slice
 * verified before it is returned, as with the engine alone. Until every passage has a vector,
 * and whenever the provider is slow or down, the answer is the engine's lexical one.
 */
export class HybridSearch {
  readonly #engine: Engine;
  readonly #provider: EmbeddingsProvider;
  readonly #cache: VectorCache;
  readonly #logger: Logger;
  readonly #options: Required<HybridOptions>;
  readonly #queryVectors = new LRUCache<string, Float32Array>({ max: 500 });
  readonly #abort = new AbortController();
  #vectors: PassageVectors | undefined;
  #state: HybridState = "idle";
  #background: Promise<void> = Promise.resolve();
  #skipUntil = 0;
  #lastWarning = -Infinity;
  #fallbacks = 0;

  constructor(engine: Engine, provider: EmbeddingsProvider, cache: VectorCache, logger: Logger, options: HybridOptions = {}) {
    this.#engine = engine;
    this.#provider = provider;
    this.#cache = cache;
    this.#logger = logger;
    this.#options = { queryTimeoutMs: 1500, cooldownMs: 30_000, warnEveryMs: 10 * 60_000, pauseMs: 5 * 60_000, candidates: 50, bruteForceLimit: 20_000, maxTexts: 100_000, ...options };
  }

  get state(): HybridState {
    return this.#state;
  }

  /** Queries answered lexically although the library was ready (no query vector in time). */
  get fallbacks(): number {
    return this.#fallbacks;
  }

  /** Starts embedding the library in the background; returns at once. */
  start(): void {
    if (this.#state !== "idle") return;
    this.#state = "embedding";
    this.#background = this.#embedLibrary();
  }

  /** Resolves when the background work has ended (ready, failed or stopped); for tests and shutdown. */
  settled(): Promise<void> {
    return this.#background;
  }

  /** Stops the background work and waits for it to end (the cache stays open: its owner closes it). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#background;
    if (this.#state !== "ready") this.#state = "stopped";
  }

  /** As `engine.quote`: the best passages, at most one per paragraph. */
  quote(query: string, options: SearchOptions = {}): Promise<PassageResult[]> {
    return this.#rank(query, options, 3, 1, (opts) => this.#engine.quote(query, opts));
  }

  /** As `engine.search`: ranked passages, at most two per paragraph. */
  search(query: string, options: SearchOptions = {}): Promise<PassageResult[]> {
    return this.#rank(query, options, 10, 2, (opts) => this.#engine.search(query, opts));
  }

  async #embedLibrary(): Promise<void> {
    const started = performance.now();
    try {
      const vectors = await PassageVectors.collect(this.#engine, this.#abort.signal);
      if (vectors.distinctTexts > this.#options.maxTexts) {
        this.#state = "failed";
        this.#logger.warn({ texts: vectors.distinctTexts, maxTexts: this.#options.maxTexts }, "embeddings: the library is too large to embed every passage; search stays lexical");
        return;
      }
      const cached = await vectors.loadCached(this.#cache, this.#provider.model, this.#abort.signal);
      this.#logger.info({ passages: vectors.size, cached, toEmbed: vectors.missing, model: this.#provider.model }, "embeddings: library passages collected");
      await embedLibrary(vectors, this.#provider, this.#cache, {
        signal: this.#abort.signal,
        pauseMs: this.#options.pauseMs,
        onFailure: (error) => this.#warn(error, "embeddings: a batch failed after retries; will try again"),
      });
      this.#vectors = vectors;
      this.#state = "ready";
      this.#logger.info({ passages: vectors.size, ms: Math.round(performance.now() - started) }, "embeddings: ready, search is hybrid");
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      this.#state = "failed";
      this.#logger.error({ err: error }, "embeddings: cannot embed the library; search stays lexical");
    }
  }

  async #rank(
    query: string,
    options: SearchOptions,
    defaultLimit: number,
    perParagraph: number,
    lexical: (options: SearchOptions) => PassageResult[],
  ): Promise<PassageResult[]> {
    const limit = options.limit ?? defaultLimit;
    // A bad limit, an unknown author or an empty query fails exactly as the engine alone fails.
    if (!Number.isInteger(limit) || limit < 1) return lexical(options);
    const lexicalResults = lexical({ ...options, limit: Math.max(limit, this.#options.candidates) });
    const vectors = this.#vectors;
    if (vectors === undefined) return lexicalResults.slice(0, limit);
    const queryVector = await this.#queryVector(query);
    if (queryVector === null) {
      this.#fallbacks++;
      return lexicalResults.slice(0, limit);
    }
    // Fused by paragraph: a paragraph both rankings find is one piece of evidence, not two
    // windows competing. It is shown through the lexical windows when there are any (they cover
    // the typed words and carry highlights), else through its most similar window.
    const lexicalWindows = new Map<string, PassageResult[]>();
    for (const result of lexicalResults) {
      const key = paragraphKey(result);
      lexicalWindows.set(key, [...(lexicalWindows.get(key) ?? []), result]);
    }
    // A small library is scanned whole, so a passage sharing no word with the query can surface;
    // past `bruteForceLimit` texts a scan would block the bot, and the vectors rerank the
    // lexical candidates only.
    const nearest = vectors.nearestParagraphs(queryVector, {
      scope: this.#engine.articlesIn(options),
      paragraphKeys: vectors.distinctTexts > this.#options.bruteForceLimit ? [...lexicalWindows.keys()] : undefined,
      limit: this.#options.candidates,
    });
    const vectorWindows = new Map(nearest.map((paragraph) => [paragraph.key, paragraph.windows]));
    const fused = reciprocalRankFusion([[...lexicalWindows.keys()], nearest.map((paragraph) => paragraph.key)]);
    const order = [...fused.entries()].sort((a, b) => b[1] - a[1]);

    const results: PassageResult[] = [];
    for (const [key, score] of order) {
      if (results.length >= limit) break;
      const shown = lexicalWindows.get(key) ?? this.#windowsAsResults(vectorWindows.get(key) ?? [], perParagraph);
      for (const result of shown.slice(0, limit - results.length)) {
        const fusedResult = { ...result, score: Math.round(score * 10_000) / 10_000 };
        verifyPassage(this.#engine.article(result.articleId), fusedResult);
        results.push(fusedResult);
      }
    }
    return results;
  }

  /** A paragraph's most similar windows as results: up to `count`, not overlapping one another. */
  #windowsAsResults(windows: readonly PassageRef[], count: number): PassageResult[] {
    const picked: PassageRef[] = [];
    for (const window of windows) {
      if (picked.length >= count) break;
      if (picked.every((other) => window.end <= other.start || window.start >= other.end)) picked.push(window);
    }
    return picked.map((ref) => {
      const passage = this.#engine.passages(ref.articleId).find((p) => p.start === ref.start && p.end === ref.end);
      if (!passage) throw new Error(`no passage ${ref.articleId}:${ref.start}-${ref.end}`);
      return passage;
    });
  }

  /** The query's vector, or null (lexical only) when the provider is slow, down or cooling off. */
  async #queryVector(query: string): Promise<Float32Array | null> {
    const key = query.trim();
    const known = this.#queryVectors.get(key);
    if (known) return known;
    if (Date.now() < this.#skipUntil) return null;
    try {
      const vector = await this.#provider.embedQuery(key, this.#options.queryTimeoutMs);
      this.#queryVectors.set(key, vector);
      return vector;
    } catch (error) {
      this.#skipUntil = Date.now() + this.#options.cooldownMs;
      this.#warn(error as EmbeddingsError, "embeddings: no query vector; answering with lexical search only");
      return null;
    }
  }

  /** One warning per `warnEveryMs`: a provider that is down would otherwise log on every query. */
  #warn(error: EmbeddingsError | Error, message: string): void {
    const now = Date.now();
    if (now - this.#lastWarning >= this.#options.warnEveryMs) {
      this.#lastWarning = now;
      this.#logger.warn({ err: error.message, url: this.#provider.url, model: this.#provider.model }, message);
    } else {
      this.#logger.debug({ err: error.message }, message);
    }
  }
}

function paragraphKey(result: PassageResult): string {
  return `${result.articleId}:${parseCitation(result.citation)?.paragraph ?? 0}`;
}
