/**
 * `npm run eval`: retrieval quality of the engine against a plain-minisearch baseline.
 *
 *   npm run eval                         own set on corpus/: the frozen test split (tests/eval/queries-test.jsonl,
 *                                        figures only) and the dev split (tests/eval/queries.jsonl, with misses)
 *   npm run eval -- --beir <folder>      nDCG@10 on a BEIR-layout folder
 *   npm run eval -- --debate <folder>    contrast on the IBM Debater speeches folder (eval/debate.ts)
 *   npm run eval -- --evaldata <folder>  all of them in one run: the own set, then the folder's beir_scifact,
 *                                        beir_arguana and ibm_debater_speeches (ArguAna's baseline is slow)
 *   npm run eval -- --embeddings         the own set's splits, engine lexical vs hybrid with the configured embeddings
 *                                        provider (eval/embeddings.ts); says so and exits 0 when none is configured
 *   options: --json (print JSON), --out FILE (write JSON), --corpus DIR, --queries FILE (dev),
 *            --test-queries FILE, --no-test,
 *            --first N (BEIR: only the first N judged queries, said so in the output),
 *            --no-baseline (BEIR: the engine only; plain minisearch takes ~30 min on ArguAna)
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../src/corpus/load.js";
import { loadEngine } from "../src/engine.js";
import { beirEngine, beirPlainMinisearch, evaluateBeir, judgedQueries, loadBeir, type BeirRun } from "./beir.js";
import { debateReport } from "./debate.js";
import { embeddingsReport, NO_PROVIDER } from "./embeddings.js";
import { engineRanker, figuresOf, loadEvalQueries, plainMinisearchRanker, runQueries, type EvalQuery, type QueryOutcome } from "./own-set.js";
import { clip, fixed3, ownSetRows, seconds, table } from "./report.js";

const ENGINE = "engine";
const BASELINE = "minisearch defaults";

interface Output {
  json: boolean;
  out: string | undefined;
}

/** One evaluation's figures as data, and as the text printed. */
interface Report {
  figures: unknown;
  text: string;
}

/**
 * `--evaldata <folder>`: every set in one run, each beside plain minisearch: the own set's splits,
 * then whichever of beir_scifact, beir_arguana and ibm_debater_speeches the folder holds.
 */
async function everySet(folder: string, options: { corpus: string; queries: string; testQueries: string; withBaseline: boolean }, print: (text: string) => void): Promise<Report> {
  const reports: Record<string, Report> = { "own-set": await ownSet(options.corpus, options.queries, options.testQueries) };
  // The dev split's misses are left to `npm run eval` alone: here, figures.
  print(reports["own-set"]?.text.split("\n\nEngine misses")[0] ?? "");
  const external: [string, (dir: string) => Promise<Report>][] = [
    ["beir_scifact", (dir) => beir(dir, undefined, options.withBaseline)],
    ["beir_arguana", (dir) => beir(dir, undefined, options.withBaseline)],
    ["ibm_debater_speeches", (dir) => debate(dir)],
  ];
  for (const [name, run] of external) {
    const dir = path.join(folder, name);
    if (!existsSync(dir)) {
      reports[name] = { figures: { skipped: `${dir} not found` }, text: `${name}: not found in ${folder}, skipped` };
      print(reports[name]?.text ?? "");
      continue;
    }
    reports[name] = await run(dir);
    print(reports[name]?.text ?? "");
  }
  const figures = Object.fromEntries(Object.entries(reports).map(([name, report]) => [name, report.figures]));
  return { figures: { mode: "evaldata", folder, ...figures }, text: Object.values(reports).map((report) => report.text).join("\n\n") };
}

async function emit(figures: unknown, text: string, output: Output): Promise<void> {
  const json = `${JSON.stringify(figures, null, 2)}\n`;
  process.stdout.write(output.json ? json : `${text}\n`);
  if (output.out !== undefined) await writeFile(output.out, json, "utf8");
}

/**
 * The own set in its two splits: dev (tests/eval/queries.jsonl, written beside the engine's tuning)
 * with its misses listed, and test (queries-test.jsonl, frozen, written before any engine result
 * was seen) with figures only, so nobody tunes on its failures.
 */
async function ownSet(corpusDir: string, queriesFile: string, testQueriesFile: string | null): Promise<Report> {
  const started = performance.now();
  const [engine, corpus, queries, testQueries] = await Promise.all([
    loadEngine({ corpusDir }),
    loadCorpus(corpusDir),
    loadEvalQueries(queriesFile),
    testQueriesFile === null ? Promise.resolve(null) : loadEvalQueries(testQueriesFile),
  ]);
  const engineRank = engineRanker(engine, 10);
  const baselineRank = plainMinisearchRanker(corpus.articles, 10);
  const engineOutcomes = runQueries(queries, engineRank);
  const baselineOutcomes = runQueries(queries, baselineRank);
  const systems = { [ENGINE]: figuresOf(engineOutcomes), [BASELINE]: figuresOf(baselineOutcomes) };
  const test =
    testQueries === null
      ? null
      : {
          queries: testQueries.length,
          direct: testQueries.filter((q) => q.kind === "direct").length,
          paraphrase: testQueries.filter((q) => q.kind === "paraphrase").length,
          systems: { [ENGINE]: figuresOf(runQueries(testQueries, engineRank)), [BASELINE]: figuresOf(runQueries(testQueries, baselineRank)) },
        };
  const baselineRanks = new Map(baselineOutcomes.map((outcome) => [outcome.id, outcome.rank]));
  const byId = new Map(queries.map((query) => [query.id, query]));
  const misses = engineOutcomes
    .filter((outcome) => outcome.rank !== 1)
    .map((outcome) => missOf(outcome, byId.get(outcome.id), baselineRanks.get(outcome.id) ?? null));
  const elapsedMs = performance.now() - started;
  const kinds = { direct: queries.filter((q) => q.kind === "direct").length, paraphrase: queries.filter((q) => q.kind === "paraphrase").length };

  const lines = [
    `engine = loadEngine + quote(q, {limit: 10}); ${BASELINE} = new MiniSearch({fields: ["text"]}) over every passage window, search(q)`,
    "",
    ...(test === null
      ? []
      : [
          `Test split (frozen, never tuned on): ${test.queries} queries (${test.direct} direct, ${test.paraphrase} paraphrase) from ${testQueriesFile ?? ""}`,
          "",
          table(["system", "queries", "n", "hit@1", "hit@3", "MRR"], ownSetRows(test.systems)),
          "",
        ]),
    `Dev split: ${queries.length} queries (${kinds.direct} direct, ${kinds.paraphrase} paraphrase) from ${queriesFile} on ${corpusDir} (${corpus.articles.length} articles)`,
    "",
    table(["system", "queries", "n", "hit@1", "hit@3", "MRR"], ownSetRows(systems)),
    "",
    `Engine misses at rank 1 on the dev split (${misses.length}):`,
    ...misses.flatMap((miss) => [
      `  ${miss.id} [${miss.kind}] "${miss.query}"`,
      `      expected (${miss.article}): "${miss.expect}" — engine rank ${miss.engineRank ?? "none in top 10"}, baseline rank ${miss.baselineRank ?? "none in top 10"}`,
      `      engine #1: ${miss.returned === null ? "(nothing)" : `${miss.returned.citation} "${clip(miss.returned.text)}"`}`,
    ]),
    "",
    `elapsed ${seconds(elapsedMs)}`,
  ];
  return { figures: { mode: "own-set", corpusDir, queriesFile, queries: queries.length, ...kinds, systems, misses, ...(test ? { test: { file: testQueriesFile, ...test } } : {}), elapsedMs }, text: lines.join("\n") };
}

function missOf(outcome: QueryOutcome, query: EvalQuery | undefined, baselineRank: number | null) {
  return {
    id: outcome.id,
    kind: outcome.kind,
    query: query?.q ?? "",
    expect: query?.expect ?? "",
    article: query?.article ?? "",
    engineRank: outcome.rank,
    baselineRank,
    returned: outcome.top,
  };
}

async function beir(folder: string, first: number | undefined, withBaseline: boolean): Promise<Report> {
  const loadStarted = performance.now();
  const loaded = await loadBeir(folder);
  const allJudged = judgedQueries(loaded);
  // --first N: a subset of the judged queries, never a silent one (it is printed and in the JSON).
  const set = first === undefined ? loaded : { ...loaded, queries: allJudged.slice(0, first) };
  const loadMs = performance.now() - loadStarted;
  const judged = judgedQueries(set);
  const subset = first !== undefined && judged.length < allJudged.length ? `ONLY THE FIRST ${judged.length} of ${allJudged.length} judged queries (--first)` : null;
  const words = judged.map((query) => query.text.split(/\s+/).filter(Boolean).length);
  const progress = process.stderr.isTTY
    ? (name: string) => (done: number, total: number) => {
        if (done % 50 === 0 || done === total) process.stderr.write(`\r${name}: ${done}/${total} queries${done === total ? "\n" : ""}`);
      }
    : () => undefined;

  let started = performance.now();
  const { rank: engineRank } = beirEngine(set);
  const engineBuildMs = performance.now() - started;
  const engineRun = evaluateBeir(set, engineRank, progress(ENGINE));

  const systems: Record<string, BeirRun & { buildMs: number }> = { [ENGINE]: { ...engineRun, buildMs: engineBuildMs } };
  if (withBaseline) {
    started = performance.now();
    const baselineRank = beirPlainMinisearch(set);
    const baselineBuildMs = performance.now() - started;
    systems[BASELINE] = { ...evaluateBeir(set, baselineRank, progress(BASELINE)), buildMs: baselineBuildMs };
  }
  const queryWords = { max: Math.max(0, ...words), mean: words.reduce((a, b) => a + b, 0) / Math.max(1, words.length) };
  const lines = [
    `BEIR ${folder}: ${set.docs.length} docs, ${judged.length} judged queries of ${loaded.queries.length} (query length: mean ${queryWords.mean.toFixed(1)} words, max ${queryWords.max}; not truncated)`,
    ...(subset === null ? [] : [subset]),
    `engine = createEngine(Thesaurus.empty()), docs ranked by best passage of search(q, {limit: 100}); ${withBaseline ? `${BASELINE} = new MiniSearch({fields: ["title", "text"]}) over whole docs` : `${BASELINE}: not run (--no-baseline)`}`,
    `results whose id equals the query id are ignored (BEIR's ignore_identical_ids)`,
    "",
    table(
      ["system", "nDCG@10", "index build", "queries", "per query", "self-hits dropped"],
      Object.entries(systems).map(([name, run]) => [
        name,
        fixed3(run.ndcg10),
        seconds(run.buildMs),
        seconds(run.queryMs),
        `${(run.queryMs / Math.max(1, judged.length)).toFixed(1)} ms`,
        String(run.selfHitsDropped),
      ]),
    ),
    "",
    `loading ${seconds(loadMs)}, total ${seconds(performance.now() - loadStarted)}`,
  ];
  const figures = { mode: "beir", folder, docs: set.docs.length, queries: judged.length, judgedQueries: allJudged.length, subset, queryWords, truncated: false, loadMs, systems };
  return { figures, text: lines.join("\n") };
}

/** `--debate <folder>`: contrast on the IBM Debater recorded debate speeches (eval/debate.ts). */
async function debate(folder: string): Promise<Report> {
  const { figures, text } = await debateReport(folder, { engine: ENGINE, baseline: BASELINE });
  return { figures, text };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      beir: { type: "string" },
      debate: { type: "string" },
      evaldata: { type: "string" },
      embeddings: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      out: { type: "string" },
      corpus: { type: "string", default: "corpus" },
      queries: { type: "string", default: "tests/eval/queries.jsonl" },
      "test-queries": { type: "string", default: "tests/eval/queries-test.jsonl" },
      "no-test": { type: "boolean", default: false },
      first: { type: "string" },
      "no-baseline": { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const output: Output = { json: values.json, out: values.out };
  const first = values.first === undefined ? undefined : Number(values.first);
  if (first !== undefined && (!Number.isInteger(first) || first < 1)) throw new Error(`--first must be a positive whole number, not ${values.first}`);
  let report: Report;
  if (values.evaldata !== undefined) {
    // Each part is printed as it finishes (ArguAna takes minutes); the JSON of all comes at the end.
    const print = (text: string) => (values.json ? undefined : process.stdout.write(`${text}\n\n`));
    report = await everySet(values.evaldata, { corpus: values.corpus, queries: values.queries, testQueries: values["test-queries"], withBaseline: !values["no-baseline"] }, print);
    if (values.json) process.stdout.write(`${JSON.stringify(report.figures, null, 2)}\n`);
    if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(report.figures, null, 2)}\n`, "utf8");
    return;
  }
  if (values.embeddings) {
    const measured = await embeddingsReport({ corpus: values.corpus, queries: values.queries, testQueries: values["no-test"] ? null : values["test-queries"] });
    if (measured === null) return void process.stdout.write(`${NO_PROVIDER}\n`);
    return emit(measured.figures, measured.text, output);
  }
  if (values.beir !== undefined) report = await beir(values.beir, first, !values["no-baseline"]);
  else if (values.debate !== undefined) report = await debate(values.debate);
  else report = await ownSet(values.corpus, values.queries, values["no-test"] ? null : values["test-queries"]);
  await emit(report.figures, report.text, output);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
