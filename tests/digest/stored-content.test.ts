import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DigestContent } from "../../src/digest/content.js";
import { digestMarker } from "../../src/digest/content.js";
import { scheduledAt } from "../../src/digest/schedule.js";
import { DigestSendError } from "../../src/digest/sender.js";
import { renderDigest, renderDigestPayload } from "../../src/discord/digest-message.js";
import { digestPayloadBody } from "../../src/discord/digest-sender.js";
import type { Reply } from "../../src/discord/render.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS, type TestDatabase } from "../storage/backends.js";
import { FakeSender, ManualClock, scheduler, type SentMessage } from "./helpers.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

const G = "1100000000000000010";
const C = "2100000000000000010";
const ZONE = "Europe/Kyiv";
const DAY = "2025-06-02";
const AT = scheduledAt(DAY, "09:00", ZONE);
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

// Both backends: the SQLite file and a PostgreSQL database.
describe.each(BACKENDS)("stored content on $name", (backend) => {
  async function database(options: { empty?: boolean } = {}): Promise<TestDatabase> {
    const db = await backend.create(options);
    cleanups.push(() => db.cleanup());
    return db;
  }

  const rawRun = async (db: TestDatabase, date: string) =>
    (await db.query("SELECT content, legacy_reply FROM digest_runs WHERE guild_id = $1 AND local_date = $2", [G, date]))[0] as { content: string | null; legacy_reply: string | null };

  describe("a run stores the digest's content as data", () => {
    it("citations, ids and the words as quoted; never a rendered message, and the post is that data rendered", async () => {
      const handle = await database();
      const db = await handle.open();
      const clock = new ManualClock(Date.parse("2025-06-01T12:00:00Z"));
      const sender = new FakeSender(clock);
      const s = scheduler(db.digest, engine, sender, clock);
      await s.setup({ guildId: G, channelId: C, time: "09:00", timezone: ZONE, topic: null, roleId: "42" });
      clock.set(AT);
      await s.tick();
      expect(sender.world).toHaveLength(1);

      const row = await rawRun(handle, DAY);
      expect(row.legacy_reply).toBeNull();
      const content = JSON.parse(row.content ?? "null") as DigestContent;
      // Data: no Discord shapes, no Markdown of the digest's own.
      expect(Object.keys(content).sort()).toEqual(["debate", "localDate", "newArticleCount", "newArticles", "passage", "roleId", "rotation", "topic"]);
      expect(row.content).not.toMatch(/embeds|footer|\*\*|daily digest/);
      expect(content).toMatchObject({ localDate: DAY, roleId: "42", topic: null, rotation: 0 });
      // Each passage is a citation (article, offsets, id) and its words exactly as in the article.
      const passages = [content.passage, ...(content.debate?.columns.map((c) => c.passage) ?? [])];
      expect(passages).toHaveLength(3);
      for (const p of passages) {
        if (!p) throw new Error("a passage is missing");
        expect(engine.article(p.articleId).body.slice(p.start, p.end)).toBe(p.text);
        expect(p.citation.startsWith(`${p.articleId}:`)).toBe(true);
      }
      expect((await s.store.run(G, DAY))?.citation).toBe(content.passage?.citation);
      // What was posted is this data, rendered.
      expect(sender.world[0]?.reply).toEqual(renderDigest(content));
      expect(sender.world[0]?.reply.embeds?.at(-1)?.footer?.text).toBe(digestMarker(DAY));
    });

    it("a resend renders the same bytes as the first send, from the stored data", async () => {
      const handle = await database();
      const db = await handle.open();
      const clock = new ManualClock(Date.parse("2025-06-01T12:00:00Z"));
      const sender = new FakeSender(clock);
      const s = scheduler(db.digest, engine, sender, clock);
      await s.setup({ guildId: G, channelId: C, time: "09:00", timezone: ZONE, topic: null, roleId: null });
      sender.failures.push(new DigestSendError("Discord answered 502", "transient", 0, 502));
      clock.set(AT);
      await s.tick(); // fails, retried in 30 s
      clock.set(AT + 31_000);
      await s.tick();
      expect(sender.world).toHaveLength(1);
      expect(sender.renders).toHaveLength(2);
      const [first, second] = sender.renders;
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      // A restarted process reads the run from disk and renders the same message, and the real
      // sender's HTTP body (message + nonce) is the same too.
      const run = await s.store.run(G, DAY);
      const reread = await (await handle.open()).digest.run(G, DAY);
      if (!run || !reread) throw new Error("no run");
      expect(JSON.stringify(renderDigestPayload(reread.payload))).toBe(JSON.stringify(first?.reply));
      expect(JSON.stringify(digestPayloadBody(reread.payload, reread.nonce))).toBe(JSON.stringify(digestPayloadBody(run.payload, run.nonce)));
    });
  });

  describe("runs claimed by a build that stored rendered messages (schema 1)", () => {
    const NOW = AT + 90_000; // 90 s after the claim: the lease has run out, Discord's nonce window has not

    /** Schema 1 in the database, with the server's settings and today's run as the old build wrote them. */
    async function oldDatabase(status: "claimed" | "failed", claimedAt = AT): Promise<{ db: () => Promise<Storage>; raw: TestDatabase; legacy: Reply; nonce: string }> {
      const handle = await database({ empty: true });
      const old = await handle.open({ migrations: MIGRATIONS.filter((m) => m.version <= 1) });
      expect(await handle.schemaVersion()).toBe(1);
      await handle.query(
        `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, topic, role_id, enabled, created_at, schedule_since, updated_at)
         VALUES ($1, $2, '09:00', $3, NULL, NULL, 1, 0, 0, 0)`,
        [G, C, ZONE],
      );
      const legacy: Reply = {
        content: `**Agora daily digest** · Monday 2 June 2025 (as an older build rendered it)`,
        embeds: [{ color: 0x5865f2, title: "New in the library", description: "Nothing new since the last digest.", fields: [], footer: { text: digestMarker(DAY) } }],
      };
      const nonce = "dlegacy000000000000000001";
      await handle.query(
        `INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, payload, citation, cycle, library_until, error, attempts, lease_until, claimed_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL, 0, $7, $8, $9, $10, $11)`,
        [G, DAY, status, C, nonce, JSON.stringify(legacy), claimedAt, status === "failed" ? "gave up" : null, status === "failed" ? 6 : 0, claimedAt + 60_000, claimedAt],
      );
      await old.close();
      return { db: () => handle.open(), raw: handle, legacy, nonce };
    }

    it("one left claimed by a crash before the upgrade is resumed after it: its stored message is sent as it is, with its nonce", async () => {
      const { db, legacy, nonce } = await oldDatabase("claimed");
      const clock = new ManualClock(NOW);
      const sender = new FakeSender(clock);
      const s = scheduler((await db()).digest, engine, sender, clock);
      expect((await s.store.run(G, DAY))?.payload).toEqual({ kind: "legacy", reply: legacy });
      await s.tick();
      expect(sender.world).toHaveLength(1);
      expect(sender.world[0]).toMatchObject({ nonce, reply: legacy });
      expect((await s.store.run(G, DAY))?.status).toBe("sent");
      // /digest preview shows the message that was posted.
      expect(renderDigestPayload((await s.preview(G)).payload)).toEqual(legacy);
    });

    it("one the old build posted before crashing is found in the channel, not posted again", async () => {
      const { db, legacy, nonce } = await oldDatabase("claimed");
      const clock = new ManualClock(AT + 10 * 60_000); // past the nonce window: only the history can tell
      const world: SentMessage[] = [{ id: "77", channelId: C, nonce, payload: { kind: "legacy", reply: legacy }, reply: legacy, at: AT, by: "old build" }];
      const sender = new FakeSender(clock, world);
      const s = scheduler((await db()).digest, engine, sender, clock);
      await s.tick();
      expect(sender.sendCalls).toBe(0);
      expect(world).toHaveLength(1);
      expect(await s.store.run(G, DAY)).toMatchObject({ status: "sent", messageId: "77" });
    });

    it("/digest now after one that failed builds fresh content and drops the old message", async () => {
      const { db, raw } = await oldDatabase("failed");
      const conn = await db();
      const clock = new ManualClock(NOW);
      const sender = new FakeSender(clock);
      const s = scheduler(conn.digest, engine, sender, clock);
      expect((await s.postNow(G)).kind).toBe("sent");
      const row = await rawRun(raw, DAY);
      expect(row.legacy_reply).toBeNull();
      const content = JSON.parse(row.content ?? "null") as DigestContent;
      expect(content.localDate).toBe(DAY);
      expect(sender.world[0]?.reply).toEqual(renderDigest(content));
    });
  });
});
