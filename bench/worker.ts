/**
 * One benchmark corpus in its own process, so memory figures are this corpus's alone.
 *
 *   node --expose-gc --import tsx bench/worker.ts --kind shipped|synthetic [--size N]
 *        [--topics multi|single] [--queries N] [--seed N] [--corpus DIR] [--budget SECONDS]
 *
 * --topics (synthetic): "multi", articles on many subjects (topical.ts), or "single", every
 * article from the shipped op-eds' vocabulary (synthetic.ts, the worst case for search).
 *
 * Prints one line, `BENCH_RESULT <json>` (a CorpusResult), on stdout; progress goes to stderr.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { loadCorpus } from "../src/corpus/load.js";
import { createEngine, loadEngine, type Engine } from "../src/engine.js";
import { Thesaurus, thesaurusSchema } from "../src/search/thesaurus.js";
import { collectGarbage, cpuMs, mb, peakRssMb, round, runQueries, timed, timedAsync } from "./measure.js";
import { buildQueries, fingerprint } from "./queries.js";
import { RESULT_PREFIX, type CorpusResult } from "./report.js";
import { buildVocabulary, generateCorpus } from "./synthetic.js";
import { generateTopicalCorpus } from "./topical.js";

const { values } = parseArgs({
  options: {
    kind: { type: "string" },
    size: { type: "string" },
    topics: { type: "string", default: "multi" },
    queries: { type: "string", default: "240" },
    seed: { type: "string", default: "20250601" },
    corpus: { type: "string", default: "corpus" },
    budget: { type: "string", default: "120" },
  },
  strict: true,
});

const kind = values.kind;
if (kind !== "shipped" && kind !== "synthetic") throw new Error(`--kind must be shipped or synthetic, not ${String(kind)}`);
const topics = values.topics;
if (topics !== "multi" && topics !== "single") throw new Error(`--topics must be multi or single, not ${String(topics)}`);
const queryCount = positiveInt(values.queries, "--queries");
const seed = positiveInt(values.seed, "--seed");
const corpusDir = path.resolve(values.corpus);
const thesaurusFile = path.join(corpusDir, "thesaurus.yml");
const progress = (text: string): void => void process.stderr.write(`  [${kind}${values.size ? ` ${topics} ${values.size}` : ""}] ${text}\n`);

const rssAtStartMb = mb(process.memoryUsage().rss);
// The real bodies feed both the synthetic vocabulary and the query set.
const real = await loadCorpus(corpusDir);
const realBodies = real.articles.map((article) => article.body);

let engine: Engine;
let buildMs: number;
let buildCpuMs: number;
let generationMs: number | undefined;
let warm: CorpusResult["warm"];
if (kind === "shipped") {
  // Cold: the first load in a fresh process, as the bot starts.
  const cpuStart = process.cpuUsage();
  const cold = await timedAsync(() => loadEngine({ corpusDir }));
  buildCpuMs = cpuMs(cpuStart);
  engine = cold.value;
  buildMs = cold.ms;
  // Warm phases, for where the time goes: reading + validating files vs building the index.
  const load = await timedAsync(async () => ({ corpus: await loadCorpus(corpusDir), thesaurus: await Thesaurus.load(thesaurusFile) }));
  const index = timed(() => createEngine(corpusDir, load.value.corpus.articles, load.value.corpus.problems, load.value.thesaurus));
  warm = { loadMs: round(load.ms), indexMs: round(index.ms) };
} else {
  const size = positiveInt(values.size, "--size");
  const thesaurus = await Thesaurus.load(thesaurusFile);
  progress(`generating ${size} articles`);
  const generated = timed(() =>
    topics === "multi"
      ? generateTopicalCorpus(realBodies, { seed, count: size }).articles
      : generateCorpus(buildVocabulary(realBodies, { seed }), { seed, count: size }).articles,
  );
  generationMs = generated.ms;
  collectGarbage();
  progress(`generated in ${Math.round(generated.ms)} ms; building the engine`);
  const cpuStart = process.cpuUsage();
  const built = timed(() => createEngine(`${topics}-topic-${size}`, generated.value, [], thesaurus));
  buildCpuMs = cpuMs(cpuStart);
  engine = built.value;
  buildMs = built.ms;
}
progress(`built in ${Math.round(buildMs)} ms; querying`);

collectGarbage();
const memoryAfterBuild = process.memoryUsage();
const peakAfterBuildMb = peakRssMb();

const queries = buildQueries({ bodies: realBodies, thesaurusMembers: await thesaurusMembers(thesaurusFile), count: queryCount, seed });
const run = runQueries(engine, queries, { budgetMs: positiveInt(values.budget, "--budget") * 1000 });
const peak = peakRssMb();
// What the queries left behind once collected: query-time garbage raises the peak, not this.
collectGarbage();
const heapAfterQueries = process.memoryUsage().heapUsed;

// Counted after the peak is read, so counting cannot raise it.
let paragraphs = 0;
let passages = 0;
let bodyChars = 0;
const infos = engine.articles();
for (const info of infos) {
  const windows = engine.passages(info.id);
  passages += windows.length;
  paragraphs += new Set(windows.map((window) => window.citation.slice(info.id.length + 1).split(".")[0])).size;
  bodyChars += engine.article(info.id).body.length;
}

const result: CorpusResult = {
  name: kind === "shipped" ? "shipped" : `${topics}-topic-${infos.length}`,
  kind,
  ...(kind === "synthetic" ? { topics } : {}),
  articles: infos.length,
  paragraphs,
  passages,
  bodyChars,
  ...(generationMs !== undefined ? { generationMs: round(generationMs, 1) } : {}),
  buildMs: round(buildMs, 1),
  buildCpuMs: round(buildCpuMs, 1),
  ...(warm ? { warm } : {}),
  queries: { count: queries.length, fingerprint: fingerprint(queries), ...run },
  memory: {
    rssAtStartMb,
    heapUsedAfterBuildMb: mb(memoryAfterBuild.heapUsed),
    rssAfterBuildMb: mb(memoryAfterBuild.rss),
    peakRssAfterBuildMb: peakAfterBuildMb,
    peakRssMb: peak,
    heapUsedAfterQueriesMb: mb(heapAfterQueries),
    gcExposed: typeof gc === "function",
  },
};
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);

function positiveInt(text: string | undefined, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number, not ${String(text)}`);
  return n;
}

/** Every member of every thesaurus group; none when the file is missing. */
async function thesaurusMembers(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  return thesaurusSchema.parse(YAML.parse(text)).groups.flat();
}
