import { beforeAll, describe, expect, it } from "vitest";
import { digestMarker } from "../../src/digest/content.js";
import { localDate, ownsGuild, scheduledAt } from "../../src/digest/schedule.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS } from "../storage/backends.js";
import { FakeSender, ManualClock, live, markerOf, mulberry32, scheduler, type CrashPoint, type SentMessage } from "./helpers.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "tests/fixtures/ranking-corpus" }); // small: this test is about delivery, not content
});

const MINUTE = 60_000;
const GUILDS = [
  { guildId: "1100000000000000010", channelId: "2100000000000000010", time: "09:00", timezone: "America/New_York" },
  { guildId: "1100000000000000011", channelId: "2100000000000000011", time: "07:30", timezone: "Europe/Kyiv" },
  { guildId: "1100000000000000012", channelId: "2100000000000000012", time: "23:30", timezone: "Asia/Tokyo" },
  { guildId: "1100000000000000013", channelId: "2100000000000000013", time: "02:30", timezone: "America/New_York" },
  { guildId: "1100000000000000014", channelId: "2100000000000000014", time: "12:00", timezone: "UTC" },
  { guildId: "1100000000000000015", channelId: "2100000000000000015", time: "03:30", timezone: "Europe/Kyiv" },
  { guildId: "1100000000000000016", channelId: "2100000000000000016", time: "18:45", timezone: "Australia/Sydney" },
  { guildId: "1100000000000000017", channelId: "2100000000000000017", time: "06:15", timezone: "America/Los_Angeles" },
];
// Around the New York spring-forward (9 March 2025), so one of the days is 23 hours long there.
const DAYS = ["2025-03-08", "2025-03-09", "2025-03-10", "2025-03-11"];

describe.each(BACKENDS)("100 restarts at random moments around the scheduled minute, on $name", (backend) => {
  it("give exactly one post per server-day, crashes between claim and record included", async () => {
    const db = await backend.create();
    const rng = mulberry32(20250309);
    const clock = new ManualClock(Date.parse("2025-03-01T00:00:00Z"));
    const world: SentMessage[] = [];
    {
      const conn = await db.open();
      const s = scheduler(conn.digest, engine, new FakeSender(clock, world), clock);
      for (const g of GUILDS) await s.setup({ ...g, topic: null, roleId: null });
      await conn.close();
    }
    // 100 restart moments spread over the 32 server-day windows, 1 min before to 7 min after the minute.
    const windows = DAYS.flatMap((day) => GUILDS.map((g) => scheduledAt(day, g.time, g.timezone)));
    const restarts = Array.from({ length: 100 }, (_, i) => {
      const at = windows[i % windows.length] ?? 0;
      return at - 1 * MINUTE + Math.floor(rng() * 8 * MINUTE);
    }).sort((a, b) => a - b);
    // The last restart of each window is a clean one, so every day has a process that survives.
    const lastOfWindow = new Set(windows.map((at) => restarts.filter((t) => Math.abs(t - at) <= 30 * MINUTE).at(-1)));

    const dead: Storage[] = [];
    const crashes: Record<CrashPoint | "idle", number> = { "before-send": 0, "after-send": 0, "in-recovery": 0, idle: 0 };
    for (const [i, start] of restarts.entries()) {
      const next = restarts[i + 1] ?? (windows.at(-1) ?? 0) + 8 * 3_600_000;
      clock.set(Math.max(clock.now(), start));
      const conn = await db.open();
      const sender = new FakeSender(clock, world);
      const s = scheduler(conn.digest, engine, sender, clock);
      const roll = lastOfWindow.has(start) ? 1 : rng();
      let until = next;
      if (roll < 0.4) sender.crashAt = "before-send";
      else if (roll < 0.75) sender.crashAt = "after-send";
      else if (roll < 0.9) sender.crashAt = "in-recovery";
      else if (roll < 0.95) until = clock.now() + Math.floor(rng() * (next - clock.now())); // killed while idle
      const point = sender.crashAt;
      const survived = await live(s, sender, clock, until);
      if (!survived && point) crashes[point] += 1;
      else if (until !== next) crashes.idle += 1;
      // A clean exit closes (and checkpoints) the database; a crashed process just vanishes, WAL
      // and open connections and all.
      if (survived && until === next) await conn.close();
      else dead.push(conn);
    }
    for (const conn of dead) await conn.close();

    const perServerDay = new Map<string, number>();
    for (const m of world) perServerDay.set(`${m.channelId} ${markerOf(m)}`, (perServerDay.get(`${m.channelId} ${markerOf(m)}`) ?? 0) + 1);
    const expected = GUILDS.flatMap((g) => DAYS.map((day) => `${g.channelId} ${digestMarker(day)}`));
    expect([...perServerDay.keys()].sort()).toEqual(expected.sort());
    expect([...perServerDay.values()].every((n) => n === 1)).toBe(true);
    // With this seed: 7 after claim before send, 11 after send before record, 3 while resolving.
    expect(crashes["before-send"] + crashes["after-send"] + crashes["in-recovery"]).toBeGreaterThanOrEqual(15);

    const conn = await db.open();
    const store = conn.digest;
    for (const g of GUILDS) {
      for (const day of DAYS) {
        const run = await store.run(g.guildId, day);
        expect(run?.status).toBe("sent");
        expect(world.find((m) => m.id === run?.messageId && markerOf(m) === digestMarker(day))).toBeDefined();
        // Posted on its own local day, at or after the scheduled minute.
        const posted = world.find((m) => m.id === run?.messageId);
        expect(localDate(posted?.at ?? 0, g.timezone)).toBe(day);
        expect(posted?.at ?? 0).toBeGreaterThanOrEqual(scheduledAt(day, g.time, g.timezone));
      }
    }
    await conn.close();
    await db.cleanup();
    console.info(
      `restart test on ${backend.name}: ${restarts.length} restarts (${crashes["before-send"]} crashed after claim before send, ${crashes["after-send"]} after send before record, ` +
        `${crashes["in-recovery"]} while resolving a claimed run, ${crashes.idle} killed idle); ` +
        `${expected.length} server-days, posts per server-day: ${[...new Set(perServerDay.values())].join(",")}`,
    );
  });
});

describe.each(BACKENDS)("two shards on one $name database", (backend) => {
  const guilds = Array.from({ length: 10 }, (_, i) => ({
    guildId: ((BigInt(1_000_000 + i) << 22n) | BigInt(i)).toString(),
    channelId: `3100000000000000${String(i).padStart(3, "0")}`,
    time: "12:00",
    timezone: i % 2 === 0 ? "UTC" : "Europe/Kyiv",
  }));

  async function runShards(owns: (shard: number, guildId: string) => boolean) {
    const db = await backend.create();
    const clock = new ManualClock(Date.parse("2025-06-01T00:00:00Z"));
    const world: SentMessage[] = [];
    const shards = await Promise.all(
      [0, 1].map(async (shard) => {
        const conn = await db.open();
        const sender = new FakeSender(clock, world, `shard ${shard}`);
        return { shard, conn, sender, s: scheduler(conn.digest, engine, sender, clock, { owns: (g) => owns(shard, g) }) };
      }),
    );
    for (const g of guilds) await shards[0]?.s.setup({ ...g, topic: null, roleId: null });
    // Both shards tick side by side through both scheduled minutes (12:00 Kyiv = 09:00 UTC, and 12:00 UTC).
    for (const window of ["2025-06-02T09:00:00Z", "2025-06-02T12:00:00Z"]) {
      for (let t = Date.parse(window) - 2 * 60_000; t <= Date.parse(window) + 3 * 60_000; t += 15_000) {
        clock.set(t);
        await Promise.all(shards.map((x) => x.s.tick()));
      }
    }
    for (const x of shards) await x.conn.close();
    await db.cleanup();
    return world;
  }

  it("only the owning shard posts, once per server", async () => {
    const world = await runShards((shard, g) => ownsGuild(g, [shard], 2));
    expect(world).toHaveLength(guilds.length);
    for (const g of guilds) {
      const posts = world.filter((m) => m.channelId === g.channelId);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.by).toBe(`shard ${Number((BigInt(g.guildId) >> 22n) % 2n)}`);
    }
    expect(new Set(world.map((m) => m.by))).toEqual(new Set(["shard 0", "shard 1"]));
  });

  it("even two processes that both think they own every server post once (the claim decides)", async () => {
    const world = await runShards(() => true);
    expect(world).toHaveLength(guilds.length);
    for (const g of guilds) expect(world.filter((m) => m.channelId === g.channelId)).toHaveLength(1);
  });
});
