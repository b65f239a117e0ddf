/**
 * `npm run bench [-- --sizes 1000,10000] [--topics multi,single] [--queries 240] [--seed N] [--budget SECONDS] [--skip-shipped] [--skip-load] [--load-rate 200] [--load-seconds 60] [--strict]`
 *
 * Runs each corpus (the shipped one, then for each synthetic size the multi-topic corpus, which
 * the goals judge, and the single-topic worst case, shown beside it) in its own child process, so
 * memory figures do not bleed into one another, and writes bench-results/<date-time>.json and
 * bench-results/latest.json. Exits 1 when a worker fails, and with --strict also when a goal fails.
 * --budget caps each corpus's timed query pass (seconds), so a slow engine still finishes.
 * The load run (load.ts) drives the sharded bot, 4 shards in 2 processes, at --load-rate interactions a
 * second for --load-seconds through the fake Discord; --skip-load leaves it out.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdir, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureDiscordLatency } from "./discord-latency.js";
import type { CorpusFilesResult } from "./corpus-files.js";
import type { LibraryBenchResult } from "./library.js";
import type { LoadResult } from "./load.js";
import type { ResponsivenessResult } from "./responsiveness.js";
import type { RestartResult } from "./restart.js";
import { restartGoals, restartLines } from "./report.js";
import { corpusFilesGoals, goalsFor, loadGoals, responsivenessGoals, RESULT_PREFIX, summarize, type BenchResults, type CorpusReport, type CorpusResult, type Goal } from "./report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
const RESPONSIVENESS = fileURLToPath(new URL("./responsiveness.ts", import.meta.url));
const CORPUS_FILES = fileURLToPath(new URL("./corpus-files.ts", import.meta.url));
const LIBRARY = fileURLToPath(new URL("./library.ts", import.meta.url));
const RESTART = fileURLToPath(new URL("./restart.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./load.ts", import.meta.url));

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: "string", default: "1000,10000" },
    topics: { type: "string", default: "multi,single" },
    queries: { type: "string", default: "240" },
    seed: { type: "string", default: "20250601" },
    corpus: { type: "string", default: "corpus" },
    out: { type: "string", default: "bench-results" },
    budget: { type: "string", default: "120" },
    "skip-shipped": { type: "boolean", default: false },
    "skip-discord": { type: "boolean", default: false },
    "skip-responsiveness": { type: "boolean", default: false },
    "skip-library": { type: "boolean", default: false },
    "skip-restart": { type: "boolean", default: false },
    "skip-load": { type: "boolean", default: false },
    "load-rate": { type: "string", default: "200" },
    "load-seconds": { type: "string", default: "60" },
    /** Reuters-21578's SGML folder: its ~19,000 stories are written as corpus files and loaded. */
    reuters: { type: "string" },
    strict: { type: "boolean", default: false },
  },
  strict: true,
});

const sizes = values.sizes
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "")
  .map((s) => wholeNumber(s, "--sizes"));
const topics = values.topics
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "");
for (const kind of topics) if (kind !== "multi" && kind !== "single") throw new Error(`--topics takes multi and/or single, not "${kind}"`);
const queries = wholeNumber(values.queries, "--queries");
const seed = wholeNumber(values.seed, "--seed");
const budget = wholeNumber(values.budget, "--budget");
const corpusDir = path.resolve(ROOT, values.corpus);
const outDir = path.resolve(ROOT, values.out);
if (queries < 200) process.stderr.write(`note: ${queries} queries; the goals assume at least 200\n`);

const jobs: { name: string; args: string[] }[] = [
  ...(values["skip-shipped"] ? [] : [{ name: "shipped", args: ["--kind", "shipped"] }]),
  ...sizes.flatMap((size) => topics.map((kind) => ({ name: `${kind}-topic-${size}`, args: ["--kind", "synthetic", "--topics", kind, "--size", String(size)] }))),
];

const date = new Date().toISOString();
const loadAverage = os.loadavg().map((x) => Math.round(x * 100) / 100);
const corpora: CorpusReport[] = [];
const failures: BenchResults["failures"] = [];
for (const job of jobs) {
  process.stderr.write(`bench: ${job.name}\n`);
  const outcome = await runWorker<CorpusResult>(WORKER, [...job.args, "--queries", String(queries), "--seed", String(seed), "--corpus", corpusDir, "--budget", String(budget)]);
  if ("error" in outcome) {
    failures.push({ corpus: job.name, error: outcome.error });
    process.stderr.write(`bench: ${job.name} failed: ${outcome.error}\n`);
    continue;
  }
  corpora.push({ ...outcome.result, goals: goalsFor(outcome.result) });
}

process.stderr.write("bench: discord latency\n");
const discord = values["skip-discord"] ? undefined : await measureDiscordLatency({ corpusDir });
const discordGoal = discord
  ? [{ corpus: "shipped", goal: "interaction → callback p95 (fake Discord)", actual: discord.all.p95, limit: discord.goal.limitMs, unit: "ms" as const, pass: discord.goal.pass }]
  : [];
const responsiveness: ResponsivenessResult[] = [];
for (const size of values["skip-responsiveness"] ? [] : sizes) {
  process.stderr.write(`bench: responsiveness of the bot at ${size} articles\n`);
  const outcome = await runWorker<ResponsivenessResult>(RESPONSIVENESS, ["--size", String(size), "--seed", String(seed), "--corpus", corpusDir]);
  if ("error" in outcome) {
    failures.push({ corpus: `responsiveness-${size}`, error: outcome.error });
    process.stderr.write(`bench: responsiveness at ${size} failed: ${outcome.error}\n`);
  } else responsiveness.push(outcome.result);
}
const library: LibraryBenchResult[] = [];
for (const size of values["skip-library"] ? [] : sizes) {
  process.stderr.write(`bench: a server library of ${size} added articles\n`);
  const outcome = await runWorker<LibraryBenchResult>(LIBRARY, ["--size", String(size), "--seed", String(seed), "--corpus", corpusDir]);
  if ("error" in outcome) {
    failures.push({ corpus: `server-library-${size}`, error: outcome.error });
    process.stderr.write(`bench: server library of ${size} failed: ${outcome.error}\n`);
  } else library.push(outcome.result);
}
let load: LoadResult | undefined;
if (!values["skip-load"]) {
  const rate = wholeNumber(values["load-rate"], "--load-rate");
  const loadSeconds = wholeNumber(values["load-seconds"], "--load-seconds");
  process.stderr.write(`bench: the sharded bot under load, ${rate} interactions a second for ${loadSeconds} s over 4 shards\n`);
  const outcome = await runWorker<LoadResult>(LOAD, ["--rate", String(rate), "--seconds", String(loadSeconds), "--seed", String(seed), "--corpus", corpusDir]);
  if ("error" in outcome) {
    failures.push({ corpus: "load-4-shards", error: outcome.error });
    process.stderr.write(`bench: the load run failed: ${outcome.error}\n`);
  } else load = outcome.result;
}
let corpusFiles: CorpusFilesResult | undefined;
if (values.reuters !== undefined) {
  process.stderr.write("bench: loading the Reuters-21578 stories as corpus files\n");
  const outcome = await runWorker<CorpusFilesResult>(CORPUS_FILES, ["--reuters", path.resolve(values.reuters)]);
  if ("error" in outcome) failures.push({ corpus: "reuters-21578-files", error: outcome.error });
  else corpusFiles = outcome.result;
} else process.stderr.write("bench: no --reuters folder given; the corpus-files load is not measured\n");
let restart: RestartResult | undefined;
if (!values["skip-restart"]) {
  process.stderr.write("bench: restart on a generated 17k-story corpus folder, with and without snapshots\n");
  const outcome = await runWorker<RestartResult>(RESTART, ["--size", "17000", "--seed", String(seed), "--corpus", corpusDir]);
  if ("error" in outcome) failures.push({ corpus: "restart-17000-files", error: outcome.error });
  else restart = outcome.result;
}
const goals: Goal[] = [
  ...(restart ? restartGoals(restart) : []),
  ...(corpusFiles ? corpusFilesGoals(corpusFiles) : []),...corpora.flatMap((corpus) => corpus.goals), ...discordGoal, ...responsiveness.flatMap(responsivenessGoals), ...(load ? loadGoals(load) : [])];
const cpus = os.cpus();
const results: BenchResults = {
  date,
  node: process.version,
  platform: os.platform(),
  arch: os.arch(),
  cpu: cpus[0]?.model.trim() ?? "unknown",
  cores: cpus.length,
  totalMemMb: Math.round(os.totalmem() / (1024 * 1024)),
  loadAverage,
  git: gitInfo(),
  options: { sizes, topics, shipped: !values["skip-shipped"], queries, seed, budgetSeconds: budget, corpus: path.relative(ROOT, corpusDir) || "." },
  corpora,
  ...(discord ? { discord } : {}),
  ...(responsiveness.length > 0 ? { responsiveness } : {}),
  ...(library.length > 0 ? { library } : {}),
  ...(corpusFiles ? { corpusFiles } : {}),
  ...(restart ? { restart } : {}),
  ...(load ? { load } : {}),
  failures,
  goals,
  allGoalsPass: failures.length === 0 && goals.every((goal) => goal.pass || goal.informational === true),
};

await mkdir(outDir, { recursive: true });
const file = path.join(outDir, `${date.replace(/:/g, "-")}.json`);
await writeAtomically(file, `${JSON.stringify(results, null, 2)}\n`);
await writeAtomically(path.join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
const latencyLine = discord
  ? `\ndiscord (fake, shipped corpus): ${discord.interactions} interactions, callback p50 ${discord.all.p50} ms, p95 ${discord.all.p95} ms (goal ≤ ${discord.goal.limitMs} ms: ${discord.goal.pass ? "pass" : "FAIL"})`
  : "";
const responsivenessLines = responsiveness
  .map(
    (r) =>
      `\nbot at ${r.articles} articles (fake Discord, from ready): longest handler block ${r.handlerBlock.max} ms (goal ≤ 100, p50 ${r.handlerBlock.p50}), longest event-loop block ${r.maxEventLoopBlockMs} ms, ` +
      `autocomplete max ${r.autocomplete.max} ms (goal ≤ 1000), first burst ${Object.entries(r.firstBurst).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")} ms; ` +
      `answers p50/max: ${Object.entries(r.answers).map(([k, v]) => `${k} ${v.p50.toFixed(0)}/${v.max.toFixed(0)}`).join(", ")} ms; topics ready after ${(r.topicsReadyMs / 1000).toFixed(1)} s`,
  )
  .join("");
const libraryLines = library
  .map(
    (r) =>
      `\nserver library of ${r.serverArticles} articles: first build ${(r.firstBuildMs / 1000).toFixed(1)} s, swap after an add ${(r.swapAfterAddMs / 1000).toFixed(1)} s, ` +
      `after a shared reload ${(r.swapAfterSharedReloadMs / 1000).toFixed(1)} s, view holds ${r.viewHeapMb} MB of heap, peak RSS ${r.peakRssMb} MB, add p50 ${r.add.p50} ms, /quote p50 ${r.quoteP50Ms} ms`,
  )
  .join("");
const loadLine = load
  ? `\nsharded bot under load (${load.shards} shards in ${load.processes} processes, ${load.ratePerSecond}/s for ${load.seconds} s, open loop): ${load.sent} sent, callback p50 ${load.callback.p50.toFixed(1)} ms, p99 ${load.callback.p99.toFixed(1)} ms, max ${load.callback.max.toFixed(0)} ms; ` +
    `${load.late} late (> 3 s), ${load.lost} lost; from the schedule p99 ${load.fromSchedule.p99.toFixed(1)} ms (generator lag p99 ${load.sendLagMs.p99.toFixed(1)} ms); /contrast answered p50/p99 ${load.deferredAnswer.p50.toFixed(0)}/${load.deferredAnswer.p99.toFixed(0)} ms; ` +
    `outcomes ${Object.entries(load.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}; load average ${load.loadAverage.before.join(" ")} → ${load.loadAverage.after.join(" ")}`
  : "";
process.stdout.write(`${summarize(results)}${latencyLine}${responsivenessLines}${libraryLines}${restart ? `\n${restartLines(restart)}` : ""}${loadLine}\nWrote ${path.relative(ROOT, file)} and ${path.relative(ROOT, path.join(outDir, "latest.json"))}\n`);
process.exitCode = failures.length > 0 || (values.strict && !results.allGoalsPass) ? 1 : 0;

/** Spawns one measuring process with the tsx loader and --expose-gc, and parses its result line. */
function runWorker<T>(script: string, args: string[]): Promise<{ result: T } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on("error", (error) => resolve({ error: error.message }));
    child.on("close", (code, signal) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        resolve({ error: `exit ${code ?? signal ?? "?"}: ${stderr.trim().split("\n").slice(-8).join("\n") || "no result line"}` });
        return;
      }
      try {
        resolve({ result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T });
      } catch (error) {
        resolve({ error: `unparseable result: ${String(error)}` });
      }
    });
  });
}

function gitInfo(): BenchResults["git"] {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const commit = git("rev-parse", "--short", "HEAD");
  const status = git("status", "--porcelain");
  return { commit, dirty: status === null ? null : status !== "" };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, "utf8");
  await rename(tmp, file);
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes positive whole numbers, not "${text}"`);
  return n;
}
