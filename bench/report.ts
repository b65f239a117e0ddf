/** The benchmark's result shapes, its goals, and the human summary. */
import type { DiscordLatency } from "./discord-latency.js";
import type { CorpusFilesResult } from "./corpus-files.js";
import type { QueryRun } from "./measure.js";
import type { LibraryBenchResult } from "./library.js";
import type { LoadResult } from "./load.js";
import type { ResponsivenessResult } from "./responsiveness.js";
import type { RestartResult } from "./restart.js";

/** How a worker marks its one result line on stdout. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** What one worker measures for one corpus. */
export interface CorpusResult {
  /** "shipped", or "multi-topic-<articles>" / "single-topic-<articles>" for synthetic corpora. */
  name: string;
  kind: "shipped" | "synthetic";
  /**
   * Synthetic: "multi", articles on many subjects (topical.ts: what the goals are judged on), or
   * "single", every article from the shipped op-eds' vocabulary (the worst case, shown beside).
   */
  topics?: "multi" | "single";
  articles: number;
  paragraphs: number;
  /** Quotable windows (1–3 sentences) over all paragraphs. */
  passages: number;
  bodyChars: number;
  /** Synthetic only: generating the Article objects (vocabulary included), not timed as build. */
  generationMs?: number;
  /** Shipped: loadEngine (read, validate, index), cold. Synthetic: createEngine on ready articles. */
  buildMs: number;
  /** Process CPU time during the build (GC threads included): steadier than wall time on a busy machine. */
  buildCpuMs: number;
  /** Shipped only: a second, warm load split into its phases. */
  warm?: { loadMs: number; indexMs: number };
  queries: QueryRun & { count: number; fingerprint: string };
  memory: {
    rssAtStartMb: number;
    /** After the build and a full GC (when --expose-gc is on). */
    heapUsedAfterBuildMb: number;
    rssAfterBuildMb: number;
    peakRssAfterBuildMb: number;
    /** process.resourceUsage().maxRSS at the end of the queries. */
    peakRssMb: number;
    /** After the queries and a full GC: close to heapUsedAfterBuildMb unless queries retain memory. */
    heapUsedAfterQueriesMb: number;
    gcExposed: boolean;
  };
}

export interface Goal {
  corpus: string;
  goal: string;
  actual: number;
  limit: number;
  unit: "ms" | "MB" | "interactions";
  pass: boolean;
  /** For latency goals: how many queries were timed. */
  sample?: number;
  /** The single-topic worst case measured against the same limit: shown, not counted in allGoalsPass. */
  informational?: true;
}

export interface CorpusReport extends CorpusResult {
  goals: Goal[];
}

export interface BenchResults {
  date: string;
  node: string;
  platform: string;
  arch: string;
  cpu: string;
  cores: number;
  totalMemMb: number;
  /** 1/5/15-minute load averages when the run started: other work on the machine skews timings. */
  loadAverage: number[];
  git: { commit: string | null; dirty: boolean | null };
  options: { sizes: number[]; topics: string[]; shipped: boolean; queries: number; seed: number; budgetSeconds: number; corpus: string };
  corpora: CorpusReport[];
  /** Interaction → callback latency of the real bot through the fake Discord. */
  discord?: DiscordLatency;
  /** The real bot on large libraries from the first interaction after a restart (responsiveness.ts). */
  responsiveness?: ResponsivenessResult[];
  /** A server library of 1k / 10k added articles: first build, swap after a change, memory (library.ts). */
  library?: LibraryBenchResult[];
  /** loadEngine on a folder of real stories as corpus files (--reuters). */
  corpusFiles?: CorpusFilesResult;
  /** Restarts on a generated 17k-story corpus folder, with and without snapshots (restart.ts). */
  restart?: RestartResult;
  /** The sharded bot under sustained open-loop load through the fake Discord (load.ts). */
  load?: LoadResult;
  /** Workers that failed, with their error output. */
  failures: { corpus: string; error: string }[];
  goals: Goal[];
  allGoalsPass: boolean;
}

/** Issue 12's goal for a large folder of real stories: loaded in 4 s within 600 MB. */
export function corpusFilesGoals(result: CorpusFilesResult): Goal[] {
  return [
    { corpus: result.name, goal: `loadEngine on ${result.files} corpus files`, actual: result.loadMs, limit: 4000, unit: "ms", pass: result.loadMs <= 4000 },
    { corpus: result.name, goal: "peak RSS loading them", actual: result.peakRssMb, limit: 600, unit: "MB", pass: result.peakRssMb <= 600 },
  ];
}

/** Issue 16's goal: a restart on an unchanged 17k-story corpus is ready in 1.5 s (the slowest restart measured). */
export function restartGoals(result: RestartResult): Goal[] {
  const slowest = Math.max(...result.restarts.map((run) => run.readyMs));
  return [
    { corpus: result.name, goal: `restart on ${result.files} unchanged corpus files, from the snapshot, to the first /quote (slowest of ${result.restarts.length})`, actual: slowest, limit: 1500, unit: "ms", pass: slowest <= 1500, sample: result.restarts.length },
  ];
}

/** One line per start of the restart measurement. */
export function restartLines(result: RestartResult): string {
  const run = (name: string, r: RestartResult["cold"]) => `${name} ${(r.readyMs / 1000).toFixed(2)} s (process ready at ${(r.uptimeMs / 1000).toFixed(2)} s, cpu ${(r.cpuMs / 1000).toFixed(2)} s, peak RSS ${r.peakRssMb} MB)`;
  return [
    `restart on ${result.files} corpus files (${result.articles} articles, ${result.problems} problems), loadEngine → first /quote:`,
    `  ${run("without snapshot", result.cold)}`,
    `  ${run("first load, writing the snapshot", result.first)}`,
    ...result.restarts.map((r, i) => `  ${run(`restart ${i + 1} from the snapshot`, r)}`),
  ].join("\n");
}

/** Event-loop and autocomplete goals of the real bot on a large library (issue 11). */
export function responsivenessGoals(result: ResponsivenessResult): Goal[] {
  return [
    { corpus: result.name, goal: "longest interaction handler block, first interaction after a restart on (fake Discord)", actual: result.handlerBlock.max, limit: 100, unit: "ms", pass: result.handlerBlock.max <= 100, sample: result.handlerBlock.n },
    // Interactions that arrive in one tick add up, and garbage collection shows: measured against the same limit, shown.
    { corpus: result.name, goal: "longest event-loop block, any cause (fake Discord)", actual: result.maxEventLoopBlockMs, limit: 100, unit: "ms", pass: result.maxEventLoopBlockMs <= 100, informational: true },
    { corpus: result.name, goal: "slowest autocomplete answer (fake Discord)", actual: result.autocomplete.max, limit: 1000, unit: "ms", pass: result.autocomplete.max <= 1000, sample: result.autocomplete.n },
  ];
}

/** Issue 16's goals for the sharded bot at a sustained 200 interactions a second: p99 to the callback ≤ 100 ms, none left unanswered. */
export function loadGoals(result: LoadResult): Goal[] {
  const at = `${result.ratePerSecond}/s for ${result.seconds} s over ${result.shards} shards in ${result.processes} processes (fake Discord)`;
  const unanswered = result.late + result.lost;
  return [
    { corpus: result.name, goal: `interaction → callback p99 at ${at}`, actual: result.callback.p99, limit: 100, unit: "ms", pass: result.callback.p99 <= 100, sample: result.callback.n },
    { corpus: result.name, goal: `interactions left unanswered (no callback within 3 s) at ${at}`, actual: unanswered, limit: 0, unit: "interactions", pass: unanswered === 0, sample: result.sent },
  ];
}

/**
 * The goals that apply to a corpus (none for synthetic sizes other than 1,000 and 10,000). They
 * are judged on the multi-topic corpora; the single-topic ones get the same limits, informational.
 */
export function goalsFor(result: CorpusResult): Goal[] {
  const informational = result.kind === "synthetic" && result.topics === "single";
  const goal = (name: string, actual: number, limit: number, unit: Goal["unit"]): Goal => ({
    corpus: result.name,
    goal: name,
    actual,
    limit,
    unit,
    pass: actual <= limit,
    ...(unit === "ms" && name.includes("p95") ? { sample: result.queries.search.n } : {}),
    ...(informational ? { informational: true as const } : {}),
  });
  if (result.kind === "shipped") return [goal("load + index", result.buildMs, 1000, "ms")];
  const p95 = (limit: number): Goal[] => [
    goal("search p95", result.queries.search.p95, limit, "ms"),
    goal("quote p95", result.queries.quote.p95, limit, "ms"),
  ];
  if (result.articles === 1000) return p95(5);
  if (result.articles === 10_000) {
    return [...p95(20), goal("index build", result.buildMs, 10_000, "ms"), goal("peak RSS", result.memory.peakRssMb, 1024, "MB")];
  }
  return [];
}

export function summarize(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(`Agora bench ${results.date} · node ${results.node} · ${results.cpu} × ${results.cores} · git ${results.git.commit ?? "?"}${results.git.dirty ? " (dirty)" : ""} · load ${results.loadAverage.map((x) => x.toFixed(1)).join(" ")}`);
  const header = ["corpus", "articles", "paras", "passages", "gen ms", "build ms (cpu)", "search p50/p95/max ms", "quote p50/p95/max ms", "heap MB", "peak RSS MB"];
  const rows = results.corpora.map((c) => [
    c.name,
    String(c.articles),
    String(c.paragraphs),
    String(c.passages),
    c.generationMs === undefined ? "-" : c.generationMs.toFixed(0),
    `${c.buildMs.toFixed(1)} (${c.buildCpuMs.toFixed(0)})`,
    triple(c.queries.search),
    triple(c.queries.quote),
    c.memory.heapUsedAfterBuildMb.toFixed(1),
    c.memory.peakRssMb.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const format = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  lines.push("", format(header), ...rows.map(format), "");
  for (const c of results.corpora) {
    const q = c.queries;
    const timedCount = q.truncated ? `${q.truncated.timed} of ${q.count} queries timed (budget ran out)` : `${q.count} queries`;
    const notes = [`${timedCount} (set ${q.fingerprint})`, `${q.warmup} warm-up`, `${q.cpuMsPerQuery.toFixed(2)} ms cpu per search+quote`, `${q.empty} empty`, `${q.errors} errors`];
    if (c.warm) notes.push(`warm load ${c.warm.loadMs.toFixed(1)} ms + index ${c.warm.indexMs.toFixed(1)} ms`);
    const slowest = q.slowestSearches[0];
    if (slowest) notes.push(`slowest search "${slowest.query}" ${slowest.ms.toFixed(1)} ms`);
    lines.push(`${c.name}: ${notes.join(", ")}`);
    if (q.firstError !== undefined) lines.push(`  first error: ${q.firstError}`);
  }
  lines.push("");
  for (const g of results.goals) {
    const verdict = g.informational ? (g.pass ? "info" : "over") : g.pass ? "PASS" : "FAIL";
    const note = g.informational ? ", worst case: shown, not a goal" : "";
    const actual = g.unit === "interactions" ? g.actual.toFixed(0) : g.actual.toFixed(1);
    lines.push(`${verdict}  ${g.corpus}: ${g.goal} ${actual} ${g.unit} (goal ≤ ${g.limit} ${g.unit}${note})`);
  }
  for (const failure of results.failures) lines.push(`ERROR ${failure.corpus}: ${failure.error.split("\n").slice(-5).join("\n      ")}`);
  if (results.goals.length > 0) lines.push(results.allGoalsPass ? "All goals pass." : "Some goals fail.");
  return lines.join("\n");
}

function triple(s: { p50: number; p95: number; max: number }): string {
  return `${s.p50.toFixed(2)} / ${s.p95.toFixed(2)} / ${s.max.toFixed(2)}`;
}
