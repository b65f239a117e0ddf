/** Timing, percentiles and memory figures for the benchmark. */
import { performance } from "node:perf_hooks";
import type { Engine } from "../src/engine.js";
import type { BenchQuery } from "./queries.js";

export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface SlowQuery {
  query: string;
  ms: number;
}

export interface QueryRun {
  /** Queries run (search and quote) before timing. */
  warmup: number;
  /** Set when the budget ran out before every query was timed. */
  truncated?: { timed: number; of: number; budgetMs: number };
  search: LatencyStats;
  quote: LatencyStats;
  /** Mean process CPU time of one search + quote pair (a check on wall times on a busy machine). */
  cpuMsPerQuery: number;
  /** search p95 by query shape: "1w", "2w", "3w", "5w", "partial", "thesaurus". */
  searchP95ByKind: Record<string, number>;
  /** The slowest searches, slowest first. */
  slowestSearches: SlowQuery[];
  /** Queries that found nothing (search). */
  empty: number;
  errors: number;
  firstError?: string;
}

/** Milliseconds, rounded to microseconds. */
export function round(ms: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function stats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.length > 0 ? sum / sorted.length : Number.NaN),
  };
}

/** Runs `fn` and returns its result with the wall time it took. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

export async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/**
 * Process CPU time (user + system, all threads, GC included) since `since`, in ms. Unlike wall
 * time it barely moves when other work shares the machine.
 */
export function cpuMs(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}

/** Peak resident set size so far, in MB (maxRSS is reported in KiB). */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** Collects garbage when the process runs with --expose-gc, so heap figures are what is retained. */
export function collectGarbage(): boolean {
  if (typeof gc !== "function") return false;
  gc();
  return true;
}

export interface RunOptions {
  /** Wall-time budget for the timed pass; the warm-up gets a quarter of it on top. */
  budgetMs: number;
}

/**
 * Warms up with the query set (all of it, or what fits in a quarter of the budget, at least one),
 * then times search and quote for each query in order until the set or the budget runs out, so
 * a slow engine still finishes; `truncated` then says how many were timed. Errors are counted,
 * not thrown, so one bad query does not lose the whole run.
 */
export function runQueries(engine: Engine, queries: readonly BenchQuery[], options: RunOptions): QueryRun {
  let errors = 0;
  let firstError: string | undefined;
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      errors++;
      firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return undefined;
    }
  };
  const warmupStart = performance.now();
  let warmup = 0;
  for (const query of queries) {
    if (warmup >= 1 && performance.now() - warmupStart > options.budgetMs / 4) break;
    attempt(() => engine.search(query.text, { limit: 10 }));
    attempt(() => engine.quote(query.text));
    warmup++;
  }
  errors = 0;
  firstError = undefined;

  const searchMs: number[] = [];
  const quoteMs: number[] = [];
  const byKind = new Map<string, number[]>();
  const slowest: SlowQuery[] = [];
  let empty = 0;
  const timedStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (const query of queries) {
    if (searchMs.length > 0 && performance.now() - timedStart > options.budgetMs) break;
    const search = timed(() => attempt(() => engine.search(query.text, { limit: 10 })));
    const quote = timed(() => attempt(() => engine.quote(query.text)));
    searchMs.push(search.ms);
    quoteMs.push(quote.ms);
    if (search.value?.length === 0) empty++;
    const kinds = [`${query.words}w`, ...(query.partial ? ["partial"] : []), ...(query.thesaurus ? ["thesaurus"] : [])];
    for (const kind of kinds) byKind.set(kind, [...(byKind.get(kind) ?? []), search.ms]);
    slowest.push({ query: query.text, ms: round(search.ms) });
  }
  const cpuPerQuery = searchMs.length > 0 ? round(cpuMs(cpuStart) / searchMs.length) : Number.NaN;
  slowest.sort((a, b) => b.ms - a.ms);
  const searchP95ByKind: Record<string, number> = {};
  for (const [kind, samples] of [...byKind.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    searchP95ByKind[kind] = stats(samples).p95;
  }
  return {
    warmup,
    ...(searchMs.length < queries.length ? { truncated: { timed: searchMs.length, of: queries.length, budgetMs: options.budgetMs } } : {}),
    search: stats(searchMs),
    quote: stats(quoteMs),
    cpuMsPerQuery: cpuPerQuery,
    searchP95ByKind,
    slowestSearches: slowest.slice(0, 5),
    empty,
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
  };
}
