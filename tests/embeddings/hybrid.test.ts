import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VectorCache } from "../../src/embeddings/cache.js";
import { HybridSearch, type HybridOptions } from "../../src/embeddings/hybrid.js";
import { EmbeddingsProvider } from "../../src/embeddings/provider.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { createLogger, type Logger } from "../../src/logging.js";
import { startFakeProvider, type FakeProvider } from "./fake-provider.js";

// The real engine on the shipped corpus; only the provider is a fake (no model can run here).
let engine: Engine;
let fake: FakeProvider;
let dir: string;
let logs: Record<string, unknown>[];
let logger: Logger;
const open: { hybrid: HybridSearch; cache: VectorCache }[] = [];

const OIL = "punish countries that keep buying Russian oil";
const OIL_ANSWER = "secondary measures against buyers of Russian oil";
const OCCUPATION = "protecting the parts of the country not under occupation";
const OCCUPATION_ANSWER = "unoccupied portions of Ukraine";

beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});
beforeEach(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), "agora-embeddings-"));
  logs = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  logger = createLogger({ level: "debug", destination });
});
afterEach(async () => {
  for (const { hybrid, cache } of open.splice(0)) {
    await hybrid.stop();
    cache.close();
  }
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function hybridSearch(options: HybridOptions & { batchSize?: number; attempts?: number; backoffMs?: number; engine?: Engine } = {}): HybridSearch {
  const { batchSize, attempts, backoffMs, engine: other, ...rest } = options;
  const provider = new EmbeddingsProvider({ url: fake.url, model: "fake-model", batchSize: batchSize ?? 16, attempts: attempts ?? 3, backoffMs: backoffMs ?? 20 });
  const cache = VectorCache.open(path.join(dir, "embeddings.sqlite"));
  const hybrid = new HybridSearch(other ?? engine, provider, cache, logger, rest);
  open.push({ hybrid, cache });
  return hybrid;
}

async function ready(options: Parameters<typeof hybridSearch>[0] = {}): Promise<HybridSearch> {
  const hybrid = hybridSearch(options);
  hybrid.start();
  await hybrid.settled();
  expect(hybrid.state).toBe("ready");
  return hybrid;
}

const rankOf = (results: { text: string }[], phrase: string) => results.findIndex((result) => result.text.includes(phrase)) + 1 || null;
const warnings = () => logs.filter((line) => line["level"] === 40);

describe("fusion", () => {
  it("finds a paraphrase the lexical ranking misses, as exact passages of the corpus", async () => {
    const hybrid = await ready();
    for (const [query, answer] of [
      [OIL, OIL_ANSWER],
      [OCCUPATION, OCCUPATION_ANSWER],
    ] as const) {
      const lexical = engine.quote(query, { limit: 3 });
      expect(rankOf(lexical, answer), `lexical rank of "${answer}"`).toBeNull();
      const fused = await hybrid.quote(query, { limit: 3 });
      expect(rankOf(fused, answer), `hybrid rank of "${answer}"`).toBe(1);
      for (const result of fused) expect(engine.article(result.articleId).body.slice(result.start, result.end)).toBe(result.text);
    }
  });

  it("keeps quote's one passage per paragraph and the engine's filters", async () => {
    const hybrid = await ready();
    const results = await hybrid.quote(OIL, { limit: 10 });
    const paragraphs = results.map((result) => result.citation.replace(/\.\d+(-\d+)?$/, ""));
    expect(new Set(paragraphs).size).toBe(results.length);
    const filtered = await hybrid.quote(OIL, { limit: 50, article: "more-russia-loses-better-chances-for-diplomacy" });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((result) => result.articleId === "more-russia-loses-better-chances-for-diplomacy")).toBe(true);
    await expect(hybrid.quote(OIL, { author: "nobody-at-all" })).rejects.toThrow(/nobody-at-all/);
  });

  it("answers lexically, exactly as the engine, until every passage has a vector", async () => {
    fake.hang = true;
    const hybrid = hybridSearch();
    hybrid.start();
    expect(hybrid.state).toBe("embedding");
    expect(await hybrid.quote(OIL, { limit: 5 })).toEqual(engine.quote(OIL, { limit: 5 }));
    expect(await hybrid.search(OIL)).toEqual(engine.search(OIL));
  });
});

describe("which passages the query's vector is compared with", () => {
  const NO_SHARED_WORD = "penalize purchasers of crude";

  it("in a small library every passage: one sharing no word with the query can be found", async () => {
    expect(engine.quote(NO_SHARED_WORD, { limit: 50 })).toEqual([]);
    const hybrid = await ready();
    expect(rankOf(await hybrid.quote(NO_SHARED_WORD), OIL_ANSWER)).toBe(1);
  });

  it("past bruteForceLimit texts only the lexical candidates, which the vectors rerank", async () => {
    const hybrid = await ready({ bruteForceLimit: 100 });
    expect(await hybrid.quote(NO_SHARED_WORD)).toEqual([]);
    const lexical = engine.quote(OIL, { limit: 50 });
    const paragraphs = new Set(lexical.map((result) => result.citation.replace(/\.\d+(-\d+)?$/, "")));
    const results = await hybrid.quote(OIL, { limit: 10 });
    expect(rankOf(results, OIL_ANSWER)).toBe(1);
    expect(results.every((result) => paragraphs.has(result.citation.replace(/\.\d+(-\d+)?$/, "")))).toBe(true);
  });

  it("does not embed a library past maxTexts, and says so once", async () => {
    const hybrid = hybridSearch({ maxTexts: 100 });
    hybrid.start();
    await hybrid.settled();
    expect(hybrid.state).toBe("failed");
    expect(fake.requests).toEqual([]);
    expect(warnings().map((line) => line["msg"])).toEqual(["embeddings: the library is too large to embed every passage; search stays lexical"]);
  });
});

describe("the library's vectors", () => {
  it("sends batches of at most batchSize inputs, each distinct passage text once", async () => {
    await ready({ batchSize: 16 });
    const sizes = fake.requests.map((request) => request.input.length);
    expect(Math.max(...sizes)).toBe(16);
    const texts = fake.requests.flatMap((request) => request.input);
    const passages = engine.articles().flatMap((article) => engine.passages(article.id).map((passage) => passage.text));
    expect(new Set(texts)).toEqual(new Set(passages));
    expect(texts).toHaveLength(new Set(passages).size);
    expect(fake.requests.length).toBe(Math.ceil(texts.length / 16));
    expect(fake.requests.every((request) => request.model === "fake-model")).toBe(true);
  });

  it("is cached on disk: a second start makes no embedding request and ranks the same", async () => {
    const first = await ready();
    const before = await first.quote(OIL, { limit: 5 });
    const sent = fake.requests.length;
    expect(sent).toBeGreaterThan(0);
    await first.stop();
    const second = await ready();
    expect(fake.requests.length).toBe(sent);
    expect(await second.quote(OIL, { limit: 5 })).toEqual(before);
    // Only the query's vector went out for that answer.
    expect(fake.requests.slice(sent).map((request) => request.input)).toEqual([[OIL]]);
  });

  it("after an article is edited, embeds only the passage texts that changed", async () => {
    await ready();
    const sent = new Set(fake.requests.flatMap((request) => request.input));
    const corpusDir = path.join(dir, "corpus");
    cpSync("corpus", corpusDir, { recursive: true });
    const file = path.join(corpusDir, "us-cant-pretend-putin-is-ready-for-peace.md");
    const sentence = "Simultaneously, American officials should let the Kremlin know";
    writeFileSync(file, readFileSync(file, "utf8").replace(sentence, "At the same time, American officials should let the Kremlin know"));
    const edited = await loadEngine({ corpusDir });
    const before = fake.requests.length;
    await ready({ engine: edited });
    const resent = fake.requests.slice(before).flatMap((request) => request.input);
    expect(resent.length).toBeGreaterThan(0);
    // Only windows holding the edited sentence: every other text was in the cache already.
    expect(resent.every((text) => text.includes("At the same time, American officials") && !sent.has(text))).toBe(true);
  });

  it("retries a batch on 429 and 5xx with a growing backoff, and still gets ready", async () => {
    fake.failNext(429, 503, 500);
    await ready({ attempts: 4, backoffMs: 40 });
    const [a, b, c, d] = fake.requests.map((request) => request.at);
    expect(fake.requests.slice(0, 4).map((request) => request.input)).toEqual(Array(4).fill(fake.requests[0]?.input));
    // 40, 80 then 160 ms between the attempts (a little timer slack allowed).
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(35);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(75);
    expect((d ?? 0) - (c ?? 0)).toBeGreaterThanOrEqual(155);
  });

  it("gives up for good on a refusal (401: a bad key) and stays lexical, with one error in the log", async () => {
    fake.failNext(401);
    const hybrid = hybridSearch();
    hybrid.start();
    await hybrid.settled();
    expect(hybrid.state).toBe("failed");
    expect(fake.requests).toHaveLength(1);
    expect(logs.filter((line) => line["level"] === 50).map((line) => line["msg"])).toEqual(["embeddings: cannot embed the library; search stays lexical"]);
    expect(await hybrid.quote(OIL)).toEqual(engine.quote(OIL));
  });
});

describe("a slow or failing provider at query time", () => {
  it("answers lexically within the query timeout, with one warning for many queries", async () => {
    const hybrid = await ready({ queryTimeoutMs: 300, cooldownMs: 60_000 });
    fake.hang = true;
    const queries = [OIL, OCCUPATION, "boots on the ground", "security guarantees"];
    for (const [i, query] of queries.entries()) {
      const started = performance.now();
      const results = await hybrid.quote(query, { limit: 3 });
      const elapsed = performance.now() - started;
      expect(results).toEqual(engine.quote(query, { limit: 3 }));
      // The first waits out the timeout; the rest skip the provider while it cools off.
      expect(elapsed).toBeLessThan(i === 0 ? 800 : 100);
    }
    expect(warnings().map((line) => line["msg"])).toEqual(["embeddings: no query vector; answering with lexical search only"]);
  });

  it("tries the provider again after the cooldown, still warning once per period", async () => {
    const hybrid = await ready({ queryTimeoutMs: 2000, cooldownMs: 50, warnEveryMs: 60_000 });
    fake.failNext(503, 503);
    expect(await hybrid.quote(OIL, { limit: 3 })).toEqual(engine.quote(OIL, { limit: 3 }));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await hybrid.quote(OCCUPATION, { limit: 3 })).toEqual(engine.quote(OCCUPATION, { limit: 3 }));
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The provider is back: the answer is hybrid again.
    expect(rankOf(await hybrid.quote(OIL, { limit: 3 }), OIL_ANSWER)).toBe(1);
    expect(warnings()).toHaveLength(1);
  });
});
