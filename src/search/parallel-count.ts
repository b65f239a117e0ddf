import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { tokenizerOptions } from "../text/tokenize.js";
import { countTerms, type TermCounts } from "./term-counts.js";

/**
 * From this many texts on, a build counts terms in worker threads too. Starting a worker (tsx
 * and the tokenizer's modules) takes about 0.3 s, more than a smaller library's count saves.
 */
export const PARALLEL_FROM_TEXTS = 20_000;

export interface ParallelCountOptions {
  /**
   * Worker threads that count beside this one. Default: one per spare core, at most 3, and none
   * below PARALLEL_FROM_TEXTS texts.
   */
  workers?: number;
}

/** How many workers a build of `textCount` texts starts when not told. */
export function defaultWorkers(textCount: number): number {
  if (textCount < PARALLEL_FROM_TEXTS) return 0;
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

/**
 * Counts the index terms of `texts` (with the index's tokenizer) in consecutive runs, one per
 * thread: this thread counts the first run while the workers count the rest. The runs come back
 * in text order, ready for assembleTextIndex. A run whose worker fails is counted here instead:
 * the build is slower, never different.
 */
export async function countTermsInParallel(texts: readonly string[], options: ParallelCountOptions = {}): Promise<TermCounts[]> {
  const workers = options.workers ?? defaultWorkers(texts.length);
  if (workers < 1) return [countTerms(texts, tokenizerOptions)];
  const share = Math.ceil(texts.length / (workers + 1));
  const runs = Array.from({ length: workers + 1 }, (_, i) => texts.slice(i * share, (i + 1) * share));
  // The workers get their texts first, so they start while this thread counts.
  const inWorkers = runs.slice(1).map((run) => countTermsInWorker(run));
  const first = countTerms(runs[0] ?? [], tokenizerOptions);
  const settled = await Promise.allSettled(inWorkers);
  return [first, ...settled.map((result, i) => (result.status === "fulfilled" ? result.value : countTerms(runs[i + 1] ?? [], tokenizerOptions)))];
}

/** Counts the index terms of `texts` in a worker thread of its own (count-worker.ts). */
export function countTermsInWorker(texts: readonly string[]): Promise<TermCounts> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./typescript-worker.mjs", import.meta.url), {
      workerData: { entry: new URL("./count-worker.ts", import.meta.url).href, texts },
    });
    let counted = false;
    worker.once("message", (counts: TermCounts) => {
      counted = true;
      resolve(counts);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!counted) reject(new Error(`the term-counting worker exited with code ${code} before it answered`));
    });
  });
}
