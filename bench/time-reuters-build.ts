/** Times createEngine's index build on the Reuters corpus files (loadCorpus first, untimed). */
import { loadCorpus } from "../src/corpus/load.js";
import { createEngine } from "../src/engine.js";
import { Thesaurus } from "../src/search/thesaurus.js";

const dir = process.argv[2] ?? "/tmp/reuters-corpus";
const runs = Number(process.argv[3] ?? 3);
const corpus = await loadCorpus(dir);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const engine = createEngine(dir, corpus.articles, corpus.problems, Thesaurus.empty());
  times.push(performance.now() - started);
  if (engine.articles().length !== corpus.articles.length) throw new Error("lost articles");
}
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${corpus.articles.length} articles; createEngine ms: ${times.map((t) => t.toFixed(0)).join(", ")}; rss ${rss.toFixed(0)} MiB`);
