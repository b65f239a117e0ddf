/**
 * `npm run eval -- --embeddings`: the engine's lexical ranking beside hybrid search (lexical +
 * an embeddings provider, fused by RRF) on the own set's test and dev splits, the same queries
 * and the same `quote(q, {limit: 10})` as `npm run eval`. It needs a real provider
 * (EMBEDDINGS_URL and EMBEDDINGS_MODEL, in the environment or .env); without one it says so and
 * measures nothing. Vectors go to the bot's cache file (EMBEDDINGS_CACHE_PATH), so a second run
 * or the bot itself re-embeds nothing.
 */
import { config as loadDotenv } from "dotenv";
import { loadEmbeddingsConfig } from "../src/config.js";
import { openHybridSearch } from "../src/embeddings/index.js";
import { loadEngine } from "../src/engine.js";
import { QueryError } from "../src/errors.js";
import { createLogger } from "../src/logging.js";
import { engineRanker, figuresOf, loadEvalQueries, runQueries, type EvalQuery, type PassageRanker, type RankedPassage } from "./own-set.js";
import { ownSetRows, seconds, table } from "./report.js";

export interface EmbeddingsEvalOptions {
  corpus: string;
  queries: string;
  testQueries: string | null;
  /** The settings to read instead of this process's environment and .env (for tests). */
  env?: Record<string, string | undefined>;
  /** Where the log goes (default stderr). */
  log?: NodeJS.WritableStream;
}

/** What `--embeddings` prints when no provider is configured (exit 0: nothing is wrong). */
export const NO_PROVIDER = "eval --embeddings: no embeddings provider configured (set EMBEDDINGS_URL and EMBEDDINGS_MODEL, e.g. in .env); nothing measured.";

/** The report, or null when no provider is configured. */
export async function embeddingsReport(options: EmbeddingsEvalOptions): Promise<{ figures: unknown; text: string } | null> {
  if (options.env === undefined) loadDotenv({ quiet: true });
  const config = options.env === undefined ? loadEmbeddingsConfig() : loadEmbeddingsConfig(options.env);
  if (config === null) return null;
  const started = performance.now();
  const [engine, dev, test] = await Promise.all([
    loadEngine({ corpusDir: options.corpus }),
    loadEvalQueries(options.queries),
    options.testQueries === null ? Promise.resolve(null) : loadEvalQueries(options.testQueries),
  ]);
  // Progress and provider trouble on stderr; the report on stdout.
  const logger = createLogger({ level: "info", destination: options.log ?? process.stderr, secrets: config.apiKey ? [config.apiKey] : [] });
  // Quality, not latency, is measured here: a generous query timeout, so a slow model is not
  // scored as lexical (fallbacks are counted and printed all the same).
  const opened = openHybridSearch(config, engine, logger, { queryTimeoutMs: 30_000, cooldownMs: 0, pauseMs: 10_000 });
  const hybrid = opened.hybrid;
  try {
    hybrid.start();
    await hybrid.settled();
    if (hybrid.state !== "ready") throw new Error(`the library could not be embedded with ${config.model} at ${config.url} (see the log above)`);
    const embedMs = performance.now() - started;
    const lexical = engineRanker(engine, 10);
    const splits = Object.entries({ test, dev }).filter((entry): entry is [string, EvalQuery[]] => entry[1] !== null);
    const figures: Record<string, unknown> = {};
    const lines = [`hybrid = RRF (k=60) of engine.quote(q, {limit: 10}) and cosine over every passage vector of ${config.model} (${config.url})`, ""];
    const latencies: number[] = [];
    for (const [name, queries] of splits) {
      const hybridRank = await precomputed(queries, async (q) => {
        const t = performance.now();
        const results = await hybrid.quote(q, { limit: 10 });
        latencies.push(performance.now() - t);
        return results;
      });
      const systems = { "engine (lexical)": figuresOf(runQueries(queries, lexical)), [`hybrid (${config.model})`]: figuresOf(runQueries(queries, hybridRank)) };
      figures[name] = { queries: queries.length, systems };
      lines.push(`${name === "test" ? "Test split (frozen, never tuned on)" : "Dev split"}: ${queries.length} queries`, "", table(["system", "queries", "n", "hit@1", "hit@3", "MRR"], ownSetRows(systems)), "");
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)] ?? 0;
    lines.push(`embedding the library (or reading it from ${config.cacheFile}): ${seconds(embedMs)}; hybrid quote p50 ${p50.toFixed(0)} ms; queries answered lexically for want of a vector: ${hybrid.fallbacks}`);
    return { figures: { mode: "embeddings", model: config.model, url: config.url, ...figures, embedMs, p50QueryMs: p50, fallbacks: hybrid.fallbacks }, text: lines.join("\n") };
  } finally {
    await opened.close();
  }
}

/** An async ranker run once per query up front, served to the synchronous `runQueries`. */
async function precomputed(queries: readonly EvalQuery[], rank: (q: string) => Promise<RankedPassage[]>): Promise<PassageRanker> {
  const answers = new Map<string, RankedPassage[]>();
  for (const { q } of queries) {
    try {
      answers.set(q, (await rank(q)).map(({ citation, text }) => ({ citation, text })));
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      answers.set(q, []);
    }
  }
  return (q) => answers.get(q) ?? [];
}
