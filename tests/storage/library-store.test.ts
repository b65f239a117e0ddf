import { afterEach, describe, expect, it } from "vitest";
import { LibraryLimitError, type StoredArticle } from "../../src/storage/server-library-store.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS, type TestDatabase } from "./backends.js";

const G = "100000000000000001";
const H = "100000000000000002";
const T = Date.parse("2025-06-02T06:00:00Z");
const LIMITS = { maxArticles: 50, maxBytes: 5_000_000 };

const article = (id: string, addedAt: number, source = `---\nid: ${id}\ntitle: ${id}\n---\nBody of ${id}, «ünïcödé».\n`): Omit<StoredArticle, "bytes"> => ({
  guildId: G,
  articleId: id,
  title: `Title of ${id}`,
  source,
  addedBy: "42",
  addedAt,
});

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

describe.each(BACKENDS)("the library store on $name", (backend) => {
  async function fresh(): Promise<{ db: TestDatabase; store: Storage["library"] }> {
    const db = await backend.create();
    cleanups.push(() => db.cleanup());
    return { db, store: (await db.open()).library };
  }

  it("stores articles with their UTF-8 size, lists them oldest first, and versions a server's library", async () => {
    const { store } = await fresh();
    expect(await store.version(G)).toBe("");
    const b = await store.add(article("b-second", T + 10), LIMITS);
    await store.add(article("a-first", T), LIMITS);
    await store.add(article("c-same-time", T + 10), LIMITS);
    expect(b.bytes).toBe(Buffer.byteLength(b.source, "utf8"));
    expect((await store.list(G)).map((a) => a.articleId)).toEqual(["a-first", "b-second", "c-same-time"]);
    expect((await store.list(G))[0]).toEqual({ ...article("a-first", T), bytes: Buffer.byteLength(article("a-first", T).source, "utf8") });
    expect(await store.list(H)).toEqual([]);
    expect((await store.articleIds(G)).sort()).toEqual(["a-first", "b-second", "c-same-time"]);
    expect(await store.usage(G)).toEqual({ articles: 3, bytes: (await store.list(G)).reduce((n, a) => n + a.bytes, 0) });
    const before = await store.version(G);
    expect(before).not.toBe("");
    await expect(store.add(article("a-first", T + 20), LIMITS)).rejects.toThrow(/already in the library/);
    expect(await store.remove(G, "a-first", T + 30)).toBe(true);
    expect(await store.version(G)).not.toBe(before);
    expect(await store.addedBetween(G, T, T + 10)).toEqual(["b-second", "c-same-time"]);
    expect(await store.addedBetween(G, 0, T + 100)).toEqual(["b-second", "c-same-time"]);
  });

  it("keeps a removed article's id and title, and replaces the tombstone when it is added again", async () => {
    const { store } = await fresh();
    await store.add(article("gone", T), LIMITS);
    expect(await store.remove(G, "gone", T + 5)).toBe(true);
    expect(await store.remove(G, "gone", T + 6)).toBe(false);
    expect(await store.removed(G, "gone")).toEqual({ articleId: "gone", title: "Title of gone", removedAt: T + 5 });
    expect(await store.removed(H, "gone")).toBeNull();
    expect(await store.articleIds(G)).toEqual([]);
    expect(await store.usage(G)).toEqual({ articles: 0, bytes: 0 });
    expect(await store.version(G)).toBe("");
    await store.add(article("gone", T + 7), LIMITS);
    expect(await store.removed(G, "gone")).toBeNull();
    expect((await store.list(G)).map((a) => a.addedAt)).toEqual([T + 7]);
  });

  it("stops at the article and text limits with a message that says which", async () => {
    const { store } = await fresh();
    await store.add(article("one", T), { maxArticles: 1, maxBytes: 1_000_000 });
    await expect(store.add(article("two", T), { maxArticles: 1, maxBytes: 1_000_000 })).rejects.toThrow(/full: 1 of 1 articles/);
    await expect(store.add(article("big", T, "x".repeat(2_000)), { maxArticles: 10, maxBytes: 1_000 })).rejects.toThrow(LibraryLimitError);
    await expect(store.add(article("big", T, "x".repeat(2_000)), { maxArticles: 10, maxBytes: 1_000 })).rejects.toThrow(/past its 1 kB of text/);
    expect((await store.list(G)).map((a) => a.articleId)).toEqual(["one"]);
  });

  it("remembers the editor role per server", async () => {
    const { store } = await fresh();
    expect(await store.editorRole(G)).toBeNull();
    await store.setEditorRole(G, "777", T);
    await store.setEditorRole(H, "888", T);
    expect(await store.editorRole(G)).toBe("777");
    await store.setEditorRole(G, null, T + 1);
    expect(await store.editorRole(G)).toBeNull();
    expect(await store.editorRole(H)).toBe("888");
  });

  it("lets moderators on several processes add at once without passing the last free place", async () => {
    const { db } = await fresh();
    const processes = await Promise.all(Array.from({ length: 4 }, () => db.open()));
    const limits = { maxArticles: 5, maxBytes: 5_000_000 };
    const attempts = Array.from({ length: 12 }, (_, i) => (processes[i % processes.length] as Storage).library.add(article(`race-${i}`, T + i), limits));
    const outcomes = await Promise.allSettled(attempts);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(LibraryLimitError);
    expect((await processes[0]?.library.usage(G))?.articles).toBe(5);
  });
});
