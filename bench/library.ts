/**
 * A server library at scale: `size` articles added through the real path (ServerLibraries.add:
 * validation, then a SQLite file), then what a server pays when its library changes. Run alone:
 *
 *   node --expose-gc --import tsx bench/library.ts --size 1000 [--corpus corpus] [--seed N]
 *
 * Measures the first build of the server's engine (on its first interaction), the swap after
 * one more article is added (the view the next interaction gets), the rebuild after the shared
 * corpus reloads, the heap the server's view holds, and a query on it. Prints `BENCH_RESULT <json>`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus, type Article } from "../src/corpus/load.js";
import { loadEngine } from "../src/engine.js";
import { ServerLibraries, type ArticleDraft } from "../src/library/server-libraries.js";
import { createLogger } from "../src/logging.js";
import { openDatabase } from "../src/storage/db.js";
import { ServerLibraryStore } from "../src/storage/server-library-store.js";
import { collectGarbage, mb, peakRssMb, round, stats, timedAsync, type LatencyStats } from "./measure.js";
import { RESULT_PREFIX } from "./report.js";
import { generateTopicalCorpus } from "./topical.js";

export interface LibraryBenchResult {
  name: string;
  serverArticles: number;
  /** ServerLibraries.add per article (validation + one SQLite transaction), ms. */
  add: LatencyStats;
  /** The server's first interaction: its engine built from the stored files, ms. */
  firstBuildMs: number;
  /** One article more: the rebuilt view that the next interaction gets (the old one serves until then), ms. */
  swapAfterAddMs: number;
  /** The shared corpus reloaded: the server's view rebuilt on its next interaction, ms. */
  swapAfterSharedReloadMs: number;
  /** Heap held by the server's view (after GC, with and without it), MB. */
  viewHeapMb: number;
  /** One /quote on the server's view, p50 of 20, ms. */
  quoteP50Ms: number;
  peakRssMb: number;
}

const GUILD = "100000000000000001";

function draftOf(article: Article): ArticleDraft {
  const { body, file: _file, date: _date, published, ...meta } = article;
  return { meta: { ...meta, published: published ?? "2025-01-01" }, body };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: "string", default: "1000" }, corpus: { type: "string", default: "corpus" }, seed: { type: "string", default: "20250601" } }, strict: true });
  const size = Number(values.size);
  const real = await loadCorpus(values.corpus);
  const articles = generateTopicalCorpus(
    real.articles.map((a) => a.body),
    { seed: Number(values.seed), count: size + 1 },
  ).articles;
  const shared = await loadEngine({ corpusDir: values.corpus });
  const dir = await mkdtemp(path.join(os.tmpdir(), "agora-library-bench-"));
  const db = openDatabase(path.join(dir, "agora.sqlite"));
  let clock = 1;
  const libraries = new ServerLibraries({
    store: new ServerLibraryStore(db),
    shared,
    logger: createLogger({ level: "silent" }),
    now: () => clock++,
    limits: { maxArticles: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER },
    cacheSize: 1,
  });
  try {
    const adds: number[] = [];
    for (const article of articles.slice(0, size)) {
      const started = performance.now();
      await libraries.add(GUILD, draftOf(article), "bench");
      adds.push(performance.now() - started);
    }
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const first = await timedAsync(() => libraries.view(GUILD));
    collectGarbage();
    const viewHeapMb = mb(process.memoryUsage().heapUsed - heapBefore);
    const quotes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      first.value.engine.quote(["ceasefire", "security guarantees", "sanctions on banks", "peacekeepers"][i % 4] ?? "ceasefire");
      quotes.push(performance.now() - started);
    }
    const extra = articles[size];
    if (extra) await libraries.add(GUILD, draftOf(extra), "bench");
    const afterAdd = await timedAsync(() => libraries.view(GUILD));
    libraries.useShared(await loadEngine({ corpusDir: values.corpus }));
    const afterReload = await timedAsync(() => libraries.view(GUILD));
    const result: LibraryBenchResult = {
      name: `server-library-${size}`,
      serverArticles: afterReload.value.serverArticles.length,
      add: stats(adds),
      firstBuildMs: round(first.ms),
      swapAfterAddMs: round(afterAdd.ms),
      swapAfterSharedReloadMs: round(afterReload.ms),
      viewHeapMb,
      quoteP50Ms: stats(quotes).p50,
      peakRssMb: peakRssMb(),
    };
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
