/**
 * Where build and query time goes, phase by phase, on a synthetic corpus:
 *
 *   node --expose-gc --import tsx src/bench/phases.ts [--size 1000] [--seed N] [--queries 40 (0: build only)]
 *
 * Rebuilds what createEngine/PassageSearch build, with the same exported pieces, timing each
 * step; then, for a few benchmark queries, compares minisearch's own search with the full
 * engine.search (the difference is the per-hit passage scoring). Diagnostic only: prints text.
 */
import { parseArgs } from "node:util";
import MiniSearch from "minisearch";
import { loadCorpus } from "../corpus/load.js";
import { createEngine } from "../engine.js";
import { Thesaurus } from "../search/thesaurus.js";
import { passageWindows } from "../text/passages.js";
import { segmentBody, type Paragraph } from "../text/segment.js";
import { indexTerm, tokenize, tokenizeWords } from "../text/tokenize.js";
import { collectGarbage, mb, stats, timed } from "./measure.js";
import { buildQueries } from "./queries.js";
import { buildVocabulary, generateCorpus } from "./synthetic.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "1000" },
    seed: { type: "string", default: "20250601" },
    queries: { type: "string", default: "40" },
    corpus: { type: "string", default: "corpus" },
  },
});
const size = Number(values.size);
const seed = Number(values.seed);
const out = (text: string): void => void process.stdout.write(`${text}\n`);

const real = await loadCorpus(values.corpus);
const bodies = real.articles.map((article) => article.body);
const thesaurus = await Thesaurus.load(`${values.corpus}/thesaurus.yml`);
const articles = generateCorpus(buildVocabulary(bodies, { seed }), { seed, count: size }).articles;
collectGarbage();
out(`synthetic-${size}: ${articles.length} articles`);

// Heap retained by what each phase keeps (after a full GC when run with --expose-gc).
const retained = (): number => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
out(`  generated articles retained: ${mb(retained())} MB heap in all (gc ${typeof gc === "function" ? "on" : "off: run with --expose-gc"})`);
const phase = <T>(name: string, fn: () => T): T => {
  const before = retained();
  const { value, ms } = timed(fn);
  out(`  ${name.padEnd(46)} ${ms.toFixed(0).padStart(7)} ms   ${`+${mb(retained() - before)}`.padStart(7)} MB retained`);
  return value;
};

out("build phases (the steps of createEngine / PassageSearch):");
const segmented = phase("segmentBody (paragraphs + ICU sentences)", () =>
  articles.map((article) => ({ article, paragraphs: segmentBody(article.body) })),
);
const paragraphs: { text: string; paragraph: Paragraph }[] = segmented.flatMap(({ article, paragraphs: ps }) =>
  ps.map((paragraph) => ({ text: article.body.slice(paragraph.start, paragraph.end), paragraph })),
);
const windows = phase("passageWindows (kept, as the engine does)", () => paragraphs.map((p) => passageWindows(p.paragraph)));
out(`    ${paragraphs.length} paragraphs, ${windows.reduce((n, w) => n + w.length, 0)} passage windows, ${articles.reduce((n, a) => n + a.body.length, 0)} body chars`);
const tokens = phase("tokenizeWords over all paragraphs", () => paragraphs.reduce((n, p) => n + tokenizeWords(p.text).length, 0));
const distinct = new Set<string>();
const uncached = phase("indexTerm on every token (no cache)", () => {
  let terms = 0;
  for (const p of paragraphs) {
    for (const word of tokenizeWords(p.text)) {
      const term = indexTerm(word);
      if (term !== null) {
        terms++;
        distinct.add(term);
      }
    }
  }
  return terms;
});
out(`    ${tokens} tokens, ${uncached} index terms, ${distinct.size} distinct terms`);
phase("indexTerm via a Map cache (what-if)", () => {
  const cache = new Map<string, string | null>();
  let terms = 0;
  for (const p of paragraphs) {
    for (const word of tokenizeWords(p.text)) {
      let term = cache.get(word);
      if (term === undefined) cache.set(word, (term = indexTerm(word)));
      if (term !== null) terms++;
    }
  }
  return terms;
});
const options = { tokenize: tokenizeWords, processTerm: (word: string) => indexTerm(word) ?? null };
const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...options });
phase("minisearch addAll (paragraphs, engine options)", () => index.addAll(paragraphs.map((p, id) => ({ id, text: p.text }))));
const preTerms = paragraphs.map((p) => tokenizeWords(p.text).flatMap((w) => indexTerm(w) ?? []));
const pretokenized = new MiniSearch<{ id: number; terms: string[] }>({
  fields: ["terms"],
  extractField: (doc, field) => (field === "terms" ? doc.terms.join(" ") : String(doc.id)),
  tokenize: (text) => text.split(" "),
  processTerm: (term) => term,
});
phase("minisearch addAll on pre-stemmed terms", () => pretokenized.addAll(preTerms.map((terms, id) => ({ id, terms }))));
collectGarbage();
const engine = phase("createEngine (all of it, for comparison)", () => createEngine("phases", articles, [], thesaurus));
if (Number(values.queries) === 0) process.exit(0);

out("queries (minisearch alone vs engine.search; the rest is per-hit window scoring):");
const queries = buildQueries({ bodies, thesaurusMembers: [], count: Number(values.queries), seed });
const searchOptions = { ...options, prefix: (_t: string, i: number, terms: string[]) => i === terms.length - 1, weights: { fuzzy: 0.3, prefix: 0.6 } };
engine.search(queries[0]?.text ?? "war", { limit: 10 });
const miniMs: number[] = [];
const engineMs: number[] = [];
const rows: string[] = [];
for (const query of queries) {
  const mini = timed(() => index.search(query.text, searchOptions));
  const full = timed(() => engine.search(query.text, { limit: 10 }));
  miniMs.push(mini.ms);
  engineMs.push(full.ms);
  const hitTokens = mini.value.reduce((n, hit) => n + tokenize(paragraphs[hit.id as number]?.text ?? "").length, 0);
  rows.push(
    `  ${JSON.stringify(query.text).padEnd(44)} hits ${String(mini.value.length).padStart(6)} (${((100 * mini.value.length) / paragraphs.length).toFixed(0).padStart(3)}% of paragraphs, ${hitTokens} tokens)  minisearch ${mini.ms.toFixed(1).padStart(7)} ms  engine ${full.ms.toFixed(1).padStart(8)} ms`,
  );
}
rows.forEach((row) => out(row));
const m = stats(miniMs);
const e = stats(engineMs);
out(`  minisearch p50/p95 ${m.p50}/${m.p95} ms; engine.search p50/p95 ${e.p50}/${e.p95} ms; minisearch share of total ${((100 * miniMs.reduce((a, b) => a + b, 0)) / engineMs.reduce((a, b) => a + b, 0)).toFixed(0)}%`);
