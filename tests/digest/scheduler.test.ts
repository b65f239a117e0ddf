import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { digestMarker } from "../../src/digest/content.js";
import { scheduledAt } from "../../src/digest/schedule.js";
import type { DigestScheduler, SchedulerOptions } from "../../src/digest/scheduler.js";
import { DigestSendError } from "../../src/digest/sender.js";
import { renderDigestPayload } from "../../src/discord/digest-message.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS } from "../storage/backends.js";
import { FakeSender, ManualClock, crashOf, markerOf, scheduler, type SentMessage } from "./helpers.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

const G = "1100000000000000010";
const C = "2100000000000000010";
const MINUTE = 60_000;
const HOUR = 3_600_000;
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

// Every test runs on both backends: the SQLite file and a PostgreSQL database.
describe.each(BACKENDS)("the digest scheduler on $name", (backend) => {
  interface World {
    clock: ManualClock;
    world: SentMessage[];
    sender: FakeSender;
    storage: Storage;
    s: DigestScheduler;
    /** A new process on the same database (the old one is simply dropped). */
    restart(): Promise<DigestScheduler>;
    /** Ticks from now until `until`: every `step`, or at each next wake-up. */
    tickThrough(until: number, step?: number): Promise<void>;
  }

  async function world(start: string, settings: { time: string; timezone: string }, options: Partial<SchedulerOptions> = {}): Promise<World> {
    const database = await backend.create();
    cleanups.push(() => database.cleanup());
    const clock = new ManualClock(Date.parse(start));
    const messages: SentMessage[] = [];
    const sender = new FakeSender(clock, messages);
    const storage = await database.open();
    const w: World = {
      clock,
      world: messages,
      sender,
      storage,
      s: scheduler(storage.digest, engine, sender, clock, options),
      async restart() {
        w.storage = await database.open();
        w.s = scheduler(w.storage.digest, engine, sender, clock, options);
        return w.s;
      },
      async tickThrough(until, step) {
        // Fixed steps when given; otherwise as the live loop does, waking when there is work.
        while (clock.now() <= until) {
          await w.s.tick();
          clock.set(step !== undefined ? clock.now() + step : Math.max(await w.s.nextWake(), clock.now() + 1_000));
        }
        clock.set(until);
      },
    };
    await w.s.setup({ guildId: G, channelId: C, topic: null, roleId: null, ...settings });
    return w;
  }

  describe("DST days", () => {
    const cases = [
      { zone: "America/New_York", day: "2025-03-09", time: "02:30", expected: "2025-03-09T07:00:00Z", what: "spring forward: 02:30 does not exist → 03:00 EDT" },
      { zone: "America/New_York", day: "2025-11-02", time: "01:30", expected: "2025-11-02T05:30:00Z", what: "fall back: 01:30 twice → once, at the first" },
      { zone: "Europe/Kyiv", day: "2025-03-30", time: "03:30", expected: "2025-03-30T01:00:00Z", what: "spring forward: 03:30 does not exist → 04:00 EEST" },
      { zone: "Europe/Kyiv", day: "2025-10-26", time: "03:30", expected: "2025-10-26T00:30:00Z", what: "fall back: 03:30 twice → once, at the first" },
    ];
    for (const c of cases) {
      it(`${c.zone} ${c.day} ${c.what}`, async () => {
        const w = await world(`${c.day}T00:00:00Z`, { time: c.time, timezone: c.zone });
        w.clock.set(Date.parse(c.expected) - 40 * MINUTE);
        await w.tickThrough(Date.parse(c.expected) + 100 * MINUTE, MINUTE); // every minute, through both occurrences of a repeated hour
        expect(w.world).toHaveLength(1);
        expect(w.world[0]?.at).toBe(Date.parse(c.expected));
        expect(markerOf(w.world[0] as SentMessage)).toBe(digestMarker(c.day));
      });
    }
  });

  describe("catch-up", () => {
    const day = "2025-06-02";
    const at = scheduledAt(day, "09:00", "Europe/Kyiv");

    it("posts once when the bot is back the same local day, within the grace window", async () => {
      const w = await world("2025-06-01T12:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" }, { graceMs: 6 * HOUR });
      w.clock.set(at + 2 * HOUR); // down at 09:00, back at 11:00
      await w.restart();
      await w.tickThrough(at + 4 * HOUR);
      expect(w.world.map((m) => m.at)).toEqual([at + 2 * HOUR]);
    });

    it("does not post after the grace window, nor for past days", async () => {
      const w = await world("2025-06-01T12:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" }, { graceMs: 6 * HOUR });
      w.clock.set(at + 6 * HOUR + MINUTE);
      await (await w.restart()).tick();
      expect(w.world).toHaveLength(0);
      expect((await w.s.status(G)).next?.date).toBe("2025-06-03");
      // Down all of 3 June; back on the 4th before 09:00: nothing for the 3rd, the 4th at 09:00.
      w.clock.set(scheduledAt("2025-06-04", "08:00", "Europe/Kyiv"));
      await w.restart();
      await w.tickThrough(scheduledAt("2025-06-04", "10:00", "Europe/Kyiv"));
      expect(w.world.map(markerOf)).toEqual([digestMarker("2025-06-04")]);
    });

    it("a run claimed before a crash on a day that is over is closed as missed, never posted", async () => {
      const w = await world("2025-06-01T12:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" });
      w.clock.set(at);
      w.sender.crashAt = "before-send";
      void w.s.tick(); // dies after the claim
      await vi.waitFor(async () => expect((await w.s.store.run(G, day))?.status).toBe("claimed"));
      w.clock.set(scheduledAt("2025-06-03", "08:00", "Europe/Kyiv"));
      await (await w.restart()).tick();
      expect((await w.s.store.run(G, day))?.status).toBe("missed");
      expect(w.world).toHaveLength(0);
    });

    it("a schedule saved after today's time starts tomorrow", async () => {
      const w = await world("2025-06-02T07:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" }); // 10:00 in Kyiv
      await w.tickThrough(Date.parse("2025-06-02T10:00:00Z"));
      expect(w.world).toHaveLength(0);
      expect((await w.s.status(G)).next?.date).toBe("2025-06-03");
    });
  });

  describe("resuming after a crash, once Discord's nonce window has passed", () => {
    const at = scheduledAt("2025-06-02", "09:00", "Europe/Kyiv");
    const start = "2025-06-01T12:00:00Z";

    it("never sends again when the channel's history can't confirm the digest is not there", async () => {
      const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" });
      w.sender.historyReadable = false; // no Read Message History: Discord answers with an empty list
      w.clock.set(at);
      w.sender.crashAt = "after-send";
      const crashed = crashOf(w.sender);
      void w.s.tick(); // posted, then died before recording it
      await crashed;
      w.clock.set(at + 10 * MINUTE); // back after the nonce window: a resend would post a second digest
      await (await w.restart()).tick();
      expect(w.world).toHaveLength(1);
      const run = await w.s.store.run(G, "2025-06-02");
      expect(run?.status).toBe("failed");
      expect(run?.error).toMatch(/Read Message History/);
      expect((await w.s.status(G)).settings.lastError).toMatch(/Read Message History/);
      expect((await w.s.status(G)).settings.pausedReason).toBeNull();
      // The next day is posted as usual.
      w.clock.set(scheduledAt("2025-06-03", "09:00", "Europe/Kyiv"));
      await w.s.tick();
      expect(w.world.map(markerOf)).toEqual([digestMarker("2025-06-02"), digestMarker("2025-06-03")]);
    });

    it("within the nonce window, resends without history: the nonce makes it the same message", async () => {
      const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" });
      w.sender.historyReadable = false;
      w.clock.set(at);
      w.sender.crashAt = "after-send";
      const crashed = crashOf(w.sender);
      void w.s.tick();
      await crashed;
      w.clock.set(at + 61_000); // the lease has run out, the nonce window has not
      await (await w.restart()).tick();
      expect(w.world).toHaveLength(1);
      expect((await w.s.store.run(G, "2025-06-02"))?.messageId).toBe(w.world[0]?.id);
    });

    it("after the window, sends when the history reaches back past the claim and the digest is not in it", async () => {
      const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" });
      w.clock.set(at);
      w.sender.crashAt = "before-send";
      const crashed = crashOf(w.sender);
      void w.s.tick();
      await crashed;
      w.clock.set(at + 10 * MINUTE);
      await (await w.restart()).tick();
      expect(w.world.map((m) => m.at)).toEqual([at + 10 * MINUTE]);
      expect((await w.s.store.run(G, "2025-06-02"))?.status).toBe("sent");
    });
  });

  describe("failures", () => {
    const at = scheduledAt("2025-06-02", "09:00", "Europe/Kyiv");
    const start = "2025-06-01T12:00:00Z";

    for (const [status, reason] of [
      [403, "I lack a permission in the channel (Missing Permissions) (HTTP 403)"],
      [404, "the channel no longer exists (Unknown Channel) (HTTP 404)"],
    ] as const) {
      it(`${status} pauses the digest with the reason, with no retry storm`, async () => {
        const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" });
        w.sender.failures.push(new DigestSendError(reason, "permanent", 0, status));
        w.clock.set(at);
        await w.tickThrough(at + 30 * HOUR, 20 * MINUTE); // into the next day
        expect(w.sender.sendCalls).toBe(1);
        const st = await w.s.status(G);
        expect(st.settings.pausedReason).toBe(reason);
        expect(st.settings.lastError).toBe(reason);
        expect(st.next).toBeNull();
        expect(st.today?.status ?? (await w.s.store.run(G, "2025-06-02"))?.status).toBe("failed");
        // Fixed and set up again: back on schedule.
        await w.s.setup({ guildId: G, channelId: C, time: "09:00", timezone: "Europe/Kyiv", topic: null, roleId: null });
        await w.tickThrough(scheduledAt("2025-06-04", "09:05", "Europe/Kyiv"));
        expect(w.world.map(markerOf)).toEqual([digestMarker("2025-06-04")]);
        expect((await w.s.status(G)).settings.pausedReason).toBeNull();
      });
    }

    it("429 and 5xx retry with backoff (honouring retry-after) and post once", async () => {
      const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" });
      w.sender.failures.push(new DigestSendError("rate limited (429)", "transient", 90_000, 429), new DigestSendError("Discord answered 502", "transient", 0, 502));
      const attempts: number[] = [];
      const send = w.sender.send.bind(w.sender);
      w.sender.send = (request) => {
        attempts.push(w.clock.now());
        return send(request);
      };
      w.clock.set(at);
      await w.tickThrough(at + HOUR);
      expect(attempts.map((t) => (t - at) / 1000)).toEqual([0, 90, 150]); // retry-after 90 s, then 60 s backoff
      expect(w.world).toHaveLength(1);
      expect((await w.s.store.run(G, "2025-06-02"))?.status).toBe("sent");
    });

    it("gives up after a bounded number of attempts within the day, without pausing", async () => {
      const w = await world(start, { time: "09:00", timezone: "Europe/Kyiv" }, { maxAttempts: 4 });
      for (let i = 0; i < 10; i += 1) w.sender.failures.push(new DigestSendError("Discord answered 500", "transient", 0, 500));
      w.clock.set(at);
      await w.tickThrough(at + 3 * HOUR);
      expect(w.sender.sendCalls).toBe(4);
      const st = await w.s.status(G);
      expect(st.settings.pausedReason).toBeNull();
      expect(st.settings.lastError).toMatch(/gave up after 4 attempts: Discord answered 500/);
      expect((await w.s.store.run(G, "2025-06-02"))?.status).toBe("failed");
    });
  });

  describe("content over days", () => {
    it("preview equals the post", async () => {
      const w = await world("2025-06-01T12:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" });
      for (const day of ["2025-06-02", "2025-06-03", "2025-06-04"]) {
        w.clock.set(scheduledAt(day, "08:00", "Europe/Kyiv"));
        const preview = renderDigestPayload((await w.s.preview(G)).payload);
        await w.tickThrough(scheduledAt(day, "09:01", "Europe/Kyiv"));
        expect(w.world.at(-1)?.reply).toEqual(preview);
        expect(renderDigestPayload((await w.s.preview(G)).payload)).toEqual(preview);
      }
      expect(new Set(w.world.map((m) => m.reply.embeds?.[1]?.title)).size).toBe(3); // the debate rotates
    });

    it("repeats a passage of the day only once every eligible passage has been used", async () => {
      const small = await loadEngine({ corpusDir: "tests/fixtures/ranking-corpus" });
      const database = await backend.create();
      cleanups.push(() => database.cleanup());
      const clock = new ManualClock(Date.parse("2025-01-01T00:00:00Z"));
      const storage = await database.open();
      const sender = new FakeSender(clock);
      const s = scheduler(storage.digest, small, sender, clock);
      await s.setup({ guildId: G, channelId: C, time: "09:00", timezone: "UTC", topic: null, roleId: null });
      const { eligiblePassages } = await import("../../src/digest/content.js");
      const eligible = eligiblePassages(small, null).length;
      expect(eligible).toBeGreaterThan(3);
      const citations: string[] = [];
      for (let day = 0; day < eligible * 2 + 1; day += 1) {
        clock.set(Date.parse("2025-01-02T09:00:00Z") + day * 24 * HOUR);
        await s.tick();
        citations.push((await s.store.run(G, new Date(clock.now()).toISOString().slice(0, 10)))?.citation ?? "");
      }
      expect(new Set(citations.slice(0, eligible)).size).toBe(eligible);
      expect(citations.slice(0, eligible)).toContain(citations[eligible]);
      expect(new Set(citations.slice(eligible, eligible * 2)).size).toBe(eligible);
      expect(sender.world).toHaveLength(eligible * 2 + 1);
    });

    it("/digest now counts as today's post", async () => {
      const w = await world("2025-06-02T04:00:00Z", { time: "09:00", timezone: "Europe/Kyiv" });
      expect((await w.s.postNow(G)).kind).toBe("sent");
      expect((await w.s.postNow(G)).kind).toBe("already");
      await w.tickThrough(Date.parse("2025-06-02T08:00:00Z"));
      expect(w.world).toHaveLength(1);
    });
  });
});
