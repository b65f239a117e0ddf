import { readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { z } from "zod";
import type { Article } from "../src/corpus/load.js";
import { createEngine, type Engine } from "../src/engine.js";
import { QueryError } from "../src/errors.js";
import { Thesaurus } from "../src/search/thesaurus.js";
import { firstOccurrences, mean, ndcgAt } from "./metrics.js";

/** A BEIR collection: documents, test queries and graded judgments (query id → doc id → grade). */
export interface BeirSet {
  docs: { id: string; title: string; text: string }[];
  queries: { id: string; text: string }[];
  qrels: Map<string, Map<string, number>>;
}

const docSchema = z.object({ _id: z.union([z.string(), z.number()]).transform(String), title: z.string().default(""), text: z.string() });
const querySchema = z.object({ _id: z.union([z.string(), z.number()]).transform(String), text: z.string() });

function parseJsonLines<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  const rows: T[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = schema.safeParse(JSON.parse(line) as unknown);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    rows.push(parsed.data);
  });
  return rows;
}

/** Parses `qrels/test.tsv` (header `query-id corpus-id score`, tab-separated). */
export function parseQrels(text: string, file = "qrels/test.tsv"): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header = lines[0]?.trim().split(/\t/) ?? [];
  if (header[0] !== "query-id" || header[1] !== "corpus-id" || header[2] !== "score") {
    throw new Error(`${file}: expected the header "query-id\tcorpus-id\tscore"`);
  }
  lines.slice(1).forEach((line, i) => {
    const [query, doc, score] = line.trim().split(/\t/);
    const grade = Number(score);
    if (query === undefined || doc === undefined || !Number.isFinite(grade)) throw new Error(`${file}:${i + 2}: bad line`);
    const judged = qrels.get(query) ?? new Map<string, number>();
    judged.set(doc, grade);
    qrels.set(query, judged);
  });
  return qrels;
}

export async function loadBeir(folder: string): Promise<BeirSet> {
  const read = (name: string): Promise<string> => readFile(path.join(folder, name), "utf8");
  const [corpus, queries, qrels] = await Promise.all([read("corpus.jsonl"), read("queries.jsonl"), read(path.join("qrels", "test.tsv"))]);
  return {
    docs: parseJsonLines(corpus, docSchema, "corpus.jsonl").map(({ _id, title, text }) => ({ id: _id, title, text })),
    queries: parseJsonLines(queries, querySchema, "queries.jsonl").map(({ _id, text }) => ({ id: _id, text })),
    qrels: parseQrels(qrels),
  };
}

/** Article ids are lowercase slugs; BEIR ids are not always. Each doc gets a unique slug. */
export function slugIds(ids: readonly string[]): { slugOf: Map<string, string>; idOf: Map<string, string> } {
  const slugOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  for (const id of ids) {
    if (slugOf.has(id)) continue;
    const base =
      id
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "") || "doc";
    let slug = base;
    for (let n = 2; idOf.has(slug); n++) slug = `${base}-${n}`;
    slugOf.set(id, slug);
    idOf.set(slug, id);
  }
  return { slugOf, idOf };
}

/** A document ranker: doc ids, best first. */
export type DocRanker = (query: string) => string[];

/** The engine over the docs as articles, no thesaurus; a doc ranks by its best passage. */
export function beirEngine(set: BeirSet): { engine: Engine; rank: DocRanker } {
  const { slugOf, idOf } = slugIds(set.docs.map((doc) => doc.id));
  const articles: Article[] = [];
  const used = new Set<string>();
  for (const doc of set.docs) {
    const id = slugOf.get(doc.id) ?? "";
    if (used.has(id)) continue; // a repeated _id: the first copy is kept
    used.add(id);
    articles.push({
      id,
      title: doc.title,
      authors: [],
      outlet: "BEIR",
      published: null,
      source: { site: "BEIR" },
      gaps: 0,
      bios: [],
      notes: "",
      body: doc.text,
      file: "corpus.jsonl",
    });
  }
  const engine = createEngine("beir", articles, [], Thesaurus.empty());
  const rank: DocRanker = (query) => {
    try {
      return firstOccurrences(engine.search(query, { limit: 100 }).map((hit) => idOf.get(hit.articleId) ?? hit.articleId));
    } catch (error) {
      if (error instanceof QueryError) return [];
      throw error;
    }
  };
  return { engine, rank };
}

/** The baseline: minisearch defaults over whole docs, fields title and text. */
export function beirPlainMinisearch(set: BeirSet): DocRanker {
  const index = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ["title", "text"] });
  const byId = new Map<string, BeirSet["docs"][number]>();
  for (const doc of set.docs) if (!byId.has(doc.id)) byId.set(doc.id, doc); // a repeated _id: the first copy is kept
  index.addAll([...byId.values()]);
  return (query) => index.search(query).map((result) => String(result.id));
}

export interface BeirRun {
  ndcg10: number;
  /** Queries whose own id came back and was dropped (BEIR's default ignore_identical_ids). */
  selfHitsDropped: number;
  /** Wall time for all queries, milliseconds. */
  queryMs: number;
}

/** The judged queries, in file order. */
export function judgedQueries(set: BeirSet): BeirSet["queries"] {
  return set.queries.filter((query) => (set.qrels.get(query.id)?.size ?? 0) > 0);
}

/**
 * Mean nDCG@10 of a ranker over the judged queries. As in BEIR's evaluation, a result whose id
 * equals the query id is ignored (ArguAna's queries are themselves corpus documents).
 */
export function evaluateBeir(set: BeirSet, rank: DocRanker, onProgress?: (done: number, total: number) => void): BeirRun {
  const queries = judgedQueries(set);
  const scores: number[] = [];
  let selfHitsDropped = 0;
  const started = performance.now();
  queries.forEach((query, i) => {
    const ranked = rank(query.text);
    const ranking = ranked.filter((id) => id !== query.id);
    if (ranking.length !== ranked.length) selfHitsDropped++;
    scores.push(ndcgAt(ranking, set.qrels.get(query.id) ?? new Map(), 10));
    onProgress?.(i + 1, queries.length);
  });
  return { ndcg10: mean(scores), selfHitsDropped, queryMs: performance.now() - started };
}
