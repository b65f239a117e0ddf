/**
 * Restart time on a large corpus folder, with and without snapshots (issue 16: a restart on an
 * unchanged 17k-story corpus is ready in ≤ 1.5 s).
 *
 *   node --expose-gc --import tsx bench/restart.ts [--size 17000] [--seed N] [--corpus DIR] [--restarts 3]
 *
 * Writes `size` synthetic stories (bench/topical.ts, from the shipped corpus's vocabulary, each
 * cut to its first 6 paragraphs: a news story's length, as Reuters-21578's) as corpus files in a temporary folder, then starts a fresh process for each measurement, so none
 * sees another's memory or warm caches of its own: a cold load without snapshots, a first load
 * that writes them, and `restarts` restarts that read them. "Ready" is loadEngine resolved and a
 * /quote answered. Prints `BENCH_RESULT <json>` (a RestartResult).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { loadCorpus } from "../src/corpus/load.js";
import { GAP_MARKER } from "../src/corpus/schema.js";
import { loadEngine } from "../src/engine.js";
import { peakRssMb, round } from "./measure.js";
import { RESULT_PREFIX } from "./report.js";
import { generateTopicalCorpus } from "./topical.js";

/** One start in its own process. */
export interface RestartRun {
  /** loadEngine called → the first /quote answered, in ms. */
  readyMs: number;
  /** The process's age when it was ready (Node and module start-up included), in ms. */
  uptimeMs: number;
  cpuMs: number;
  peakRssMb: number;
  articles: number;
}

export interface RestartResult {
  name: string;
  files: number;
  articles: number;
  problems: number;
  /** No snapshot folder: every file read, validated, segmented and indexed. */
  cold: RestartRun;
  /** An empty snapshot folder: the cold load, then the snapshots written. */
  first: RestartRun;
  /** The unchanged folder again, from the snapshots. */
  restarts: RestartRun[];
}

const SCRIPT = fileURLToPath(import.meta.url);
/** Paragraphs kept of each generated article. */
const STORY_PARAGRAPHS = 6;

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "17000" },
    seed: { type: "string", default: "20250601" },
    corpus: { type: "string", default: "corpus" },
    restarts: { type: "string", default: "3" },
    /** Internal: one measured start. */
    child: { type: "string" },
    dir: { type: "string" },
    snapshots: { type: "string" },
  },
  strict: true,
});

if (values.child !== undefined) await child(values.child, values.dir ?? "", values.snapshots);
else await main();

async function child(mode: string, dir: string, snapshotDir: string | undefined): Promise<void> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const engine = await loadEngine({ corpusDir: dir, ...(mode === "cold" || snapshotDir === undefined ? {} : { snapshotDir }) });
  const answered = engine.quote("the budget deficit").length;
  const readyMs = performance.now() - started;
  const uptimeMs = process.uptime() * 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (answered === 0) throw new Error("the first /quote found nothing");
  const run: RestartRun = { readyMs: round(readyMs, 1), uptimeMs: round(uptimeMs, 1), cpuMs: round((cpu.user + cpu.system) / 1000, 1), peakRssMb: peakRssMb(), articles: engine.articles().length };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...run, problems: engine.problems.length })}\n`);
}

async function main(): Promise<void> {
  const size = Number(values.size);
  const seed = Number(values.seed);
  const restarts = Number(values.restarts);
  const temporary = await mkdtemp(path.join(os.tmpdir(), "agora-restart-"));
  const dir = path.join(temporary, "corpus");
  const snapshotDir = path.join(temporary, "snapshots");
  try {
    process.stderr.write(`  [restart] writing ${size} synthetic stories as corpus files in ${dir}\n`);
    const files = await writeSyntheticCorpus(dir, size, seed, path.resolve(values.corpus));
    const cold = await measure("cold", dir, snapshotDir);
    const first = await measure("first", dir, snapshotDir);
    const again: RestartRun[] = [];
    for (let i = 0; i < restarts; i++) again.push(await measure("restart", dir, snapshotDir));
    const result: RestartResult = { name: `restart-${size}-files`, files, articles: cold.articles, problems: cold.problems, cold, first, restarts: again };
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * `size` stories of bench/topical.ts as corpus files. Their times are set a minute back: files
 * written within the last 2 s are "racy" (src/search/snapshot-files.ts), and a corpus folder on a
 * server has not just been written.
 */
async function writeSyntheticCorpus(dir: string, size: number, seed: number, realCorpus: string): Promise<number> {
  const real = await loadCorpus(realCorpus);
  const { articles } = generateTopicalCorpus(real.articles.map((article) => article.body), { seed, count: size });
  await rm(dir, { recursive: true, force: true });
  await import("node:fs/promises").then(({ mkdir }) => mkdir(dir, { recursive: true }));
  const then = new Date(Date.now() - 60_000);
  for (const [i, generated] of articles.entries()) {
    // A news story's length, as Reuters-21578's (5.5 paragraphs and 130 words on average), not an op-ed's.
    const article = { ...generated, body: generated.body.split("\n\n").slice(0, STORY_PARAGRAPHS).join("\n\n") };
    const meta = {
      id: article.id,
      title: article.title,
      authors: article.authors,
      outlet: article.outlet,
      published: article.published,
      ...(article.published === null ? { published_note: "synthetic" } : {}),
      source: { site: "synthetic" },
      gaps: article.body.split(GAP_MARKER).length - 1,
    };
    const file = path.join(dir, `story-${String(i).padStart(5, "0")}.md`);
    await writeFile(file, `---\n${YAML.stringify(meta)}---\n\n${article.body}\n`);
    await utimes(file, then, then);
  }
  // The ctime cannot be set back: wait until the last file is past the racy window.
  await new Promise((resolve) => setTimeout(resolve, 2100));
  return (await readdir(dir)).filter((name) => name.endsWith(".md")).length;
}

function measure(mode: "cold" | "first" | "restart", dir: string, snapshotDir: string): Promise<RestartRun & { problems: number }> {
  process.stderr.write(`  [restart] ${mode}\n`);
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--expose-gc", "--import", "tsx", SCRIPT, "--child", mode, "--dir", dir, "--snapshots", snapshotDir], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    process_.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    process_.on("error", reject);
    process_.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) reject(new Error(`${mode} start exited ${String(code)}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as RestartRun & { problems: number });
    });
  });
}
