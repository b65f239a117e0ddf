import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VectorCache } from "../../src/embeddings/cache.js";
import { HybridSearch } from "../../src/embeddings/hybrid.js";
import { EmbeddingsProvider } from "../../src/embeddings/provider.js";
import { loadEngine } from "../../src/engine.js";
import { createLogger } from "../../src/logging.js";
import { startFakeProvider, type FakeProvider } from "../embeddings/fake-provider.js";
import { bodyOf, startBot, unescape, type Harness } from "./bot-harness.js";

// The real bot, engine and corpus against the fake Discord, with hybrid search on a fake
// embeddings provider (tests/embeddings/fake-provider.ts: chosen paraphrases share a concept axis).
let h: Harness;
let fake: FakeProvider;
let hybrid: HybridSearch;
let cache: VectorCache;
let dir: string;
/** What the hybrid search logged (JSON lines). */
const hybridLogs: { level: number; msg: string }[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), "agora-e2e-embeddings-"));
  cache = VectorCache.open(path.join(dir, "embeddings.sqlite"));
  const engine = await loadEngine({ corpusDir: "corpus" });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) hybridLogs.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  hybrid = new HybridSearch(engine, new EmbeddingsProvider({ url: fake.url, model: "fake-model", batchSize: 32 }), cache, createLogger({ level: "debug", destination }), {
    queryTimeoutMs: 400,
    cooldownMs: 60_000,
  });
  h = await startBot({ engine, hybrid });
  // The bot started the background embedding once ready; wait for it rather than race it.
  await hybrid.settled();
});
afterAll(async () => {
  await h.close();
  cache.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const shownQuote = (reply: { callback: { data?: unknown } }) => unescape(bodyOf(reply.callback.data as Parameters<typeof bodyOf>[0]).embeds[0]?.description?.replace(/^> /, "") ?? "");
const shownCitation = (reply: { callback: { data?: unknown } }) =>
  bodyOf(reply.callback.data as Parameters<typeof bodyOf>[0]).embeds[0]?.fields?.find((f) => f.name === "Citation")?.value.replace(/`/g, "") ?? "";

describe("hybrid search through the bot", () => {
  it("embedded the library in the background after the bot was ready", () => {
    expect(hybrid.state).toBe("ready");
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it("/quote finds a reworded question's passage that lexical search ranks lower, shown exactly", async () => {
    const query = "punish countries that keep buying Russian oil";
    expect(h.engine.quote(query, { limit: 1 })[0]?.text).not.toContain("buyers of Russian oil");
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query } }));
    expect(reply.callback.type).toBe(4);
    expect(shownQuote(reply)).toContain("secondary measures against buyers of Russian oil");
    const citation = shownCitation(reply);
    const passage = h.engine.passages("us-cant-pretend-putin-is-ready-for-peace").find((p) => p.citation === citation);
    expect(shownQuote(reply)).toBe(passage?.text);
  });

  it("/search ranks the reworded question's passage first too, its citation shown", async () => {
    const query = "punish countries that keep buying Russian oil";
    expect(h.engine.search(query, { limit: 1 })[0]?.text).not.toContain("buyers of Russian oil");
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "search", options: { query } }));
    const first = bodyOf(reply.callback.data).embeds[0]?.fields?.[0]?.value ?? "";
    expect(unescape(first.replace(/\*\*/g, ""))).toContain("secondary measures against buyers of Russian oil");
    expect(first).toContain("`us-cant-pretend-putin-is-ready-for-peace:10.");
  });

  it("Find passages on a chat message ranks by meaning too", async () => {
    const content = "What about protecting the parts of the country not under occupation?";
    expect(h.engine.quote(content, { limit: 1 })[0]?.text).not.toContain("unoccupied portions of Ukraine");
    const reply = await h.fake.interact(h.fake.payloads.messageContextMenu({ name: "Find passages", target: { content } }));
    expect(shownQuote(reply)).toContain("unoccupied portions of Ukraine");
  });

  it("answers lexically, in time and without an error, when the provider hangs; the log warns once", async () => {
    fake.hang = true;
    const queries = ["should Ukraine give up land for peace", "boots on the ground", "security guarantees for Ukraine"];
    for (const query of queries) {
      const started = performance.now();
      const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query } }));
      expect(performance.now() - started).toBeLessThan(2500);
      expect(reply.callback.type).toBe(4);
      expect(shownCitation(reply)).toBe(h.engine.quote(query, { limit: 1 })[0]?.citation);
    }
    expect(h.logs.filter((line) => Number(line["level"]) >= 50)).toEqual([]);
    expect(hybridLogs.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual(["embeddings: no query vector; answering with lexical search only"]);
  });
});
