/**
 * Where build and query time goes, phase by phase, on a synthetic corpus:
 *
 *   node --expose-gc --import tsx bench/phases.ts [--size 1000] [--topics multi|single] [--seed N]
 *        [--queries 40 (0: build only)] [--compare (also minisearch's own addAll, slow)]
 *
 * Rebuilds what createEngine/PassageSearch build, with the same exported pieces, timing each
 * step; then runs benchmark queries through PassageSearch as shipped (candidates narrowed to
 * paragraphs with a selective word) and with narrowing off (every paragraph with any query word
 * scored), and prints how much of the full search's top 10 (and top 1) the narrowed one keeps.
 * Diagnostic only: prints text.
 */
import { parseArgs } from "node:util";
import MiniSearch from "minisearch";
import { loadCorpus, type Article } from "../src/corpus/load.js";
import { buildEngine, createEngine } from "../src/engine.js";
import { assembleTextIndex } from "../src/search/bulk-index.js";
import { countTermsInParallel, defaultWorkers } from "../src/search/parallel-count.js";
import { PassageSearch, type PassageHit, type SegmentedArticle } from "../src/search/passage-search.js";
import { countTerms } from "../src/search/term-counts.js";
import { Thesaurus } from "../src/search/thesaurus.js";
import { segmentBody } from "../src/text/segment.js";
import { tokenizerOptions, tokenizeWords } from "../src/text/tokenize.js";
import { collectGarbage, cpuMs, mb, stats, timed, timedAsync } from "./measure.js";
import { buildQueries } from "./queries.js";
import { buildVocabulary, generateCorpus } from "./synthetic.js";
import { generateTopicalCorpus } from "./topical.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "1000" },
    topics: { type: "string", default: "multi" },
    seed: { type: "string", default: "20250601" },
    queries: { type: "string", default: "40" },
    corpus: { type: "string", default: "corpus" },
    compare: { type: "boolean", default: false },
  },
});
const size = Number(values.size);
const seed = Number(values.seed);
const out = (text: string): void => void process.stdout.write(`${text}\n`);

const real = await loadCorpus(values.corpus);
const bodies = real.articles.map((article) => article.body);
const thesaurus = await Thesaurus.load(`${values.corpus}/thesaurus.yml`);
const articles: Article[] =
  values.topics === "single" ? generateCorpus(buildVocabulary(bodies, { seed }), { seed, count: size }).articles : generateTopicalCorpus(bodies, { seed, count: size }).articles;
collectGarbage();
out(`${values.topics}-topic-${size}: ${articles.length} articles`);

// Heap retained by what each phase keeps (after a full GC when run with --expose-gc).
const retained = (): number => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
const report = (name: string, ms: number, cpu: NodeJS.CpuUsage, before: number): void =>
  out(`  ${name.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms (cpu ${cpuMs(cpu).toFixed(0).padStart(6)})  ${`+${mb(retained() - before)}`.padStart(7)} MB retained`);
const phase = <T>(name: string, fn: () => T): T => {
  const before = retained();
  const cpu = process.cpuUsage();
  const { value, ms } = timed(fn);
  report(name, ms, cpu, before);
  return value;
};
const phaseAsync = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const before = retained();
  const cpu = process.cpuUsage();
  const { value, ms } = await timedAsync(fn);
  report(name, ms, cpu, before);
  return value;
};

out("build phases (the steps of createEngine / PassageSearch):");
const segmented: SegmentedArticle[] = phase("segmentBody (paragraphs; sentences lazily)", () =>
  articles.map((article) => ({ article, paragraphs: segmentBody(article.body) })),
);
const texts = segmented.flatMap(({ article, paragraphs }) => paragraphs.map((p) => article.body.slice(p.start, p.end)));
out(`    ${texts.length} paragraphs, ${articles.reduce((n, a) => n + a.body.length, 0)} body chars`);
phase("tokenizeWords over all paragraphs (what-if)", () => texts.reduce((n, text) => n + tokenizeWords(text).length, 0));
phase("countTerms, all on this thread (what-if)", () => countTerms(texts, tokenizerOptions).rowTerms.length);
const counted = await phaseAsync(`countTermsInParallel (${defaultWorkers(texts.length)} workers beside this thread)`, () => countTermsInParallel(texts));
const built = phase("assembleTextIndex (sort, fill the minisearch index)", () => assembleTextIndex(counted, tokenizerOptions));
out(`    ${built.terms.size} terms, ${built.index.documentCount} paragraphs indexed`);
if (values.compare) {
  const added = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...tokenizerOptions });
  phase("minisearch addAll, for comparison (the old build)", () => added.addAll(texts.map((text, id) => ({ id, text }))));
}
phase("createEngine (all of it on this thread)", () => createEngine("phases", articles, [], thesaurus));
await phaseAsync("buildEngine (all of it, as loadEngine builds)", () => buildEngine("phases", articles, [], thesaurus));
if (Number(values.queries) === 0) process.exit(0);

out("queries (PassageSearch as shipped, vs narrowing off: every paragraph with a query word scored):");
const narrowed = new PassageSearch(segmented, thesaurus);
const full = new PassageSearch(segmented, thesaurus, { floor: Infinity });
const queries = buildQueries({ bodies, thesaurusMembers: [], count: Number(values.queries), seed });
const key = (hit: PassageHit): string => `${hit.article.id}:${hit.span.start}`;
const narrowedMs: number[] = [];
const fullMs: number[] = [];
let kept = 0;
let compared = 0;
let sameTop = 0;
// Warmed up first, as the benchmark does.
for (const query of queries) {
  narrowed.search(query.text, { limit: 10 });
  full.search(query.text, { limit: 10 });
}
for (const query of queries) {
  const a = timed(() => narrowed.search(query.text, { limit: 10 }));
  const b = timed(() => full.search(query.text, { limit: 10 }));
  narrowedMs.push(a.ms);
  fullMs.push(b.ms);
  const theirs = new Set(b.value.map(key));
  kept += a.value.filter((hit) => theirs.has(key(hit))).length;
  compared += theirs.size;
  if (a.value[0] && b.value[0] && key(a.value[0]) === key(b.value[0])) sameTop++;
  out(`  ${JSON.stringify(query.text).padEnd(48)} narrowed ${a.ms.toFixed(1).padStart(7)} ms   full ${b.ms.toFixed(1).padStart(8)} ms`);
}
const n = stats(narrowedMs);
const f = stats(fullMs);
out(`  narrowed p50/p95 ${n.p50}/${n.p95} ms; full p50/p95 ${f.p50}/${f.p95} ms`);
out(`  the narrowed top 10 keeps ${kept} of the full search's ${compared} passages (${((100 * kept) / Math.max(1, compared)).toFixed(1)}%); same first passage for ${sameTop} of ${queries.length} queries`);
