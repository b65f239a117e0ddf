import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botHealthChecks } from "../../src/observability/bot-health.js";
import { startHealthServer } from "../../src/observability/health-server.js";
import { createMetrics } from "../../src/observability/metrics.js";
import { openDatabase } from "../../src/storage/db.js";
import { sqliteStorage } from "../../src/storage/storage.js";
import { startBot, type Harness } from "../e2e/bot-harness.js";

let h: Harness;
let health: Awaited<ReturnType<typeof startHealthServer>>;
const metrics = createMetrics();
let dir: string;
let database: ReturnType<typeof openDatabase>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-health-"));
  database = openDatabase(path.join(dir, "agora.sqlite"));
  h = await startBot({ metrics });
  health = await startHealthServer({ port: 0, host: "127.0.0.1", registry: metrics.registry, checks: botHealthChecks(h.bot, sqliteStorage(database)) });
});
afterAll(async () => {
  await health.close();
  await h.close();
  database.close();
  await rm(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${health.url}${path}`);
  return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() };
};

describe("health and metrics", () => {
  it("counts interactions by command and outcome, with their latency", async () => {
    await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "boots on the ground" } }));
    await h.fake.interact(h.fake.payloads.chatInput({ name: "article", options: { article: "no-such-article" } }));
    const { status, type, text } = await get("/metrics");
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    expect(text).toMatch(/^agora_interactions_total\{command="quote",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^agora_interactions_total\{command="article",outcome="user_error"\} 1$/m);
    expect(text).toMatch(/^agora_interaction_duration_seconds_count\{command="quote"\} 1$/m);
    expect(text).toMatch(/^agora_corpus_articles 5$/m);
    expect(text).toMatch(/^agora_process_resident_memory_bytes /m);
  });

  it("says the bot is healthy when the gateway, the database and the corpus are", async () => {
    const { status, text } = await get("/healthz");
    expect(status).toBe(200);
    const body = JSON.parse(text) as { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> };
    expect(body.ok).toBe(true);
    expect(body.checks["gateway"]).toEqual({ ok: true, detail: "shard 0: Ready" });
    expect(body.checks["database"]?.ok).toBe(true);
    expect(body.checks["corpus"]).toEqual({ ok: true, detail: "5 articles" });
  });

  it("answers 503 naming the failed check, and 404 or 405 for anything else", async () => {
    const broken = await startHealthServer({ port: 0, host: "127.0.0.1", registry: metrics.registry, checks: { ...botHealthChecks(h.bot, sqliteStorage(database)), database: () => { throw new Error("database is locked"); } } });
    try {
      const response = await fetch(`${broken.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ok: false, checks: { database: { ok: false, detail: "database is locked" } } });
      expect((await fetch(`${broken.url}/`)).status).toBe(404);
      expect((await fetch(`${broken.url}/metrics`, { method: "POST" })).status).toBe(405);
    } finally {
      await broken.close();
    }
  });
});
