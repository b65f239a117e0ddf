import { afterEach, describe, expect, it } from "vitest";
import type { DigestContent } from "../../src/digest/content.js";
import type { NewRun } from "../../src/digest/store.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS, type TestDatabase } from "./backends.js";

const G = "1100000000000000010";
const H = "1100000000000000011";
const C = "2100000000000000010";
/** Epoch milliseconds past 2^31 (BIGINT in PostgreSQL): they must come back as the same numbers. */
const T = Date.parse("2025-06-02T06:00:00Z");

const content = (date: string): DigestContent => ({ localDate: date, topic: null, roleId: null, rotation: 0, passage: null, debate: null, newArticles: [], newArticleCount: 0 });

function newRun(date: string, overrides: Partial<NewRun> = {}): NewRun {
  return { guildId: G, localDate: date, channelId: C, nonce: `d${date}`, content: content(date), citation: `a:${date}`, cycle: 0, libraryUntil: T, leaseUntil: T + 60_000, claimedAt: T, ...overrides };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

describe.each(BACKENDS)("the digest store on $name", (backend) => {
  async function fresh(): Promise<{ db: TestDatabase; store: Storage["digest"] }> {
    const db = await backend.create();
    cleanups.push(() => db.cleanup());
    return { db, store: (await db.open()).digest };
  }

  it("saves, replaces, disables, pauses and unpauses a server's settings", async () => {
    const { store } = await fresh();
    const saved = await store.saveSettings({ guildId: G, channelId: C, time: "09:00", timezone: "Europe/Kyiv", topic: null, roleId: "42" }, T);
    expect(saved).toEqual({
      guildId: G, channelId: C, time: "09:00", timezone: "Europe/Kyiv", topic: null, roleId: "42", enabled: true,
      pausedReason: null, lastError: null, lastErrorAt: null, createdAt: T, scheduleSince: T, updatedAt: T,
    });
    await store.noteError(G, "missing permission", T + 1, true);
    expect(await store.settings(G)).toMatchObject({ pausedReason: "missing permission", lastError: "missing permission", lastErrorAt: T + 1 });
    await store.noteError(G, "429", T + 2, false);
    expect(await store.settings(G)).toMatchObject({ pausedReason: "missing permission", lastError: "429" });
    await store.clearPause(G);
    expect((await store.settings(G))?.pausedReason).toBeNull();
    expect(await store.disable(G, T + 3)).toBe(true);
    expect(await store.disable(H, T + 3)).toBe(false);
    expect((await store.settings(G))?.enabled).toBe(false);
    // Setup again: enabled, unpaused, a new schedule start, the first creation kept.
    await store.noteError(G, "gone", T + 4, true);
    const again = await store.saveSettings({ guildId: G, channelId: "2100000000000000099", time: "07:30", timezone: "UTC", topic: "ukraine", roleId: null }, T + 5);
    expect(again).toMatchObject({ channelId: "2100000000000000099", time: "07:30", enabled: true, pausedReason: null, createdAt: T, scheduleSince: T + 5, topic: "ukraine", roleId: null });
    await store.saveSettings({ guildId: H, channelId: C, time: "09:00", timezone: "UTC", topic: null, roleId: null }, T);
    expect((await store.allSettings()).map((s) => s.guildId)).toEqual([G, H]);
    expect(await store.settings("1100000000000000099")).toBeNull();
  });

  it("refuses a malformed time or date, as the schema's checks say", async () => {
    const { store } = await fresh();
    await expect(store.saveSettings({ guildId: G, channelId: C, time: "9:00", timezone: "UTC", topic: null, roleId: null }, T)).rejects.toThrow();
    await expect(store.claim(newRun("2025-6-2"))).rejects.toThrow();
  });

  it("claims a server-day once; a closed run can be reclaimed (for /digest now), an open one cannot", async () => {
    const { store } = await fresh();
    const claimed = await store.claim(newRun("2025-06-02"));
    expect(claimed).toMatchObject({ guildId: G, localDate: "2025-06-02", status: "claimed", nonce: "d2025-06-02", attempts: 0, leaseUntil: T + 60_000, claimedAt: T, messageId: null });
    expect(claimed?.payload).toEqual({ kind: "content", content: content("2025-06-02") });
    expect(await store.claim(newRun("2025-06-02", { nonce: "other" }))).toBeNull();
    expect(await store.reclaim(newRun("2025-06-02"))).toBeNull();
    expect((await store.run(G, "2025-06-02"))?.nonce).toBe("d2025-06-02");
    if (!claimed) throw new Error("not claimed");
    await store.markClosed(claimed, "failed", "gave up", 6);
    const again = await store.reclaim(newRun("2025-06-02", { citation: "b:1", leaseUntil: T + 120_000 }));
    expect(again).toMatchObject({ status: "claimed", citation: "b:1", attempts: 0, error: null, leaseUntil: T + 120_000, nonce: "d2025-06-02" });
    expect(await store.reclaim(newRun("2025-06-02"))).toBeNull();
  });

  it("leases an open run to one taker at a time, and only once its lease has run out", async () => {
    const { store } = await fresh();
    const run = await store.claim(newRun("2025-06-02"));
    if (!run) throw new Error("not claimed");
    expect(await store.acquire(G, "2025-06-02", T + 59_999, 60_000)).toBe(false);
    expect(await store.acquire(G, "2025-06-02", T + 60_000, 60_000)).toBe(true);
    expect(await store.acquire(G, "2025-06-02", T + 60_001, 60_000)).toBe(false);
    expect((await store.run(G, "2025-06-02"))?.leaseUntil).toBe(T + 120_000);
    await store.markRetry(run, 1, T + 90_000, "502");
    expect(await store.run(G, "2025-06-02")).toMatchObject({ status: "retrying", attempts: 1, nextAttemptAt: T + 90_000, error: "502", leaseUntil: 0 });
    expect((await store.openRuns()).map((r) => r.localDate)).toEqual(["2025-06-02"]);
    await store.markSent(run, "9001", T + 91_000);
    expect(await store.acquire(G, "2025-06-02", T + 200_000, 60_000)).toBe(false);
    expect(await store.openRuns()).toEqual([]);
  });

  it("records a post with the passage it used; counts, the last post and the passages used go by date", async () => {
    const { store } = await fresh();
    for (const [i, date] of ["2025-06-01", "2025-06-02", "2025-06-03"].entries()) {
      const run = await store.claim(newRun(date, { cycle: i < 2 ? 0 : 1, citation: `a:${i}`, libraryUntil: T + i }));
      if (!run) throw new Error("not claimed");
      await store.markSent(run, `m${i}`, T + i);
      await store.markSent(run, `m${i}`, T + i); // a repeat records nothing twice
    }
    const closed = await store.claim(newRun("2025-06-04"));
    if (closed) await store.markClosed(closed, "missed", "bot was down");
    expect(await store.sentCount(G, "2025-06-03")).toBe(2);
    expect(await store.sentCount(G, "9999-12-31")).toBe(3);
    expect(await store.lastSent(G)).toMatchObject({ localDate: "2025-06-03", messageId: "m2", sentAt: T + 2, libraryUntil: T + 2 });
    expect((await store.lastSent(G, "2025-06-03"))?.localDate).toBe("2025-06-02");
    expect(await store.lastSent(H)).toBeNull();
    expect(await store.usedPassages(G, "2025-06-03")).toEqual({ cycle: 0, citations: new Set(["a:0", "a:1"]) });
    expect(await store.usedPassages(G, "2025-06-04")).toEqual({ cycle: 1, citations: new Set(["a:2"]) });
    expect(await store.usedPassages(H, "2025-06-04")).toEqual({ cycle: 0, citations: new Set() });
  });

  it("counts the library found on the very first start as old, and later articles from when they were first seen", async () => {
    const { store } = await fresh();
    await store.syncLibrary(["a", "b"], T);
    await store.syncLibrary(["a", "b", "c"], T + 10);
    await store.syncLibrary(["a", "b", "c", "d"], T + 20);
    await store.syncLibrary([], T + 30);
    expect(await store.articlesSeen(-1, T + 100)).toEqual(["a", "b", "c", "d"]);
    expect(await store.articlesSeen(0, T + 100)).toEqual(["c", "d"]);
    expect(await store.articlesSeen(T + 10, T + 20)).toEqual(["d"]);
  });

  it("among processes claiming the same server-days at once, exactly one wins each", async () => {
    const { db } = await fresh();
    const processes = await Promise.all(Array.from({ length: 6 }, () => db.open()));
    const dates = Array.from({ length: 12 }, (_, i) => `2025-07-${String(i + 1).padStart(2, "0")}`);
    for (const date of dates) {
      const results = await Promise.all(processes.map((p, i) => p.digest.claim(newRun(date, { nonce: `d${date}-${i}` }))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const winner = results.findIndex((r) => r !== null);
      expect((await processes[0]?.digest.run(G, date))?.nonce).toBe(`d${date}-${winner}`);
    }
    // Taking over a run whose lease ran out, and reclaiming a failed one: one taker each, too.
    for (const date of dates) {
      const leased = await Promise.all(processes.map((p) => p.digest.acquire(G, date, T + 61_000, 60_000)));
      expect(leased.filter(Boolean)).toHaveLength(1);
      const run = await processes[0]?.digest.run(G, date);
      if (run) await processes[0]?.digest.markClosed(run, "failed", "gave up");
      const reclaimed = await Promise.all(processes.map((p) => p.digest.reclaim(newRun(date))));
      expect(reclaimed.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it("two processes starting on an empty library at once agree it is the first start", async () => {
    const { db } = await fresh();
    const [a, b] = await Promise.all([db.open(), db.open()]);
    await Promise.all([a?.digest.syncLibrary(["x", "y"], T), b?.digest.syncLibrary(["x", "y"], T + 5)]);
    expect(await a?.digest.articlesSeen(-1, 0)).toEqual(["x", "y"]);
  });
});
