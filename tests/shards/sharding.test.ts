import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPayloads } from "../../commands/index.js";
import { digestMarker } from "../../src/digest/content.js";
import { registerCommands } from "../../src/discord/register.js";
import { shardedGuilds, shardOf, startFakeDiscord, type FakeDiscord, type FakeReply } from "../../src/fake-discord/index.js";
import { DEFAULT_IDS } from "../../src/fake-discord/index.js";
import { bodyOf } from "../e2e/bot-harness.js";
import { postgres } from "../storage/backends.js";
import { startAgoraHost } from "./hosts.js";

// `npm start`'s entry (src/start.ts through tsx, as `npm run dev`; tests/build runs the compiled one)
// with a token, against a fake Discord that recommends 4 shards and has 2 servers on each; the
// two-hosts test puts both hosts on one PostgreSQL database, as two machines would share it.
let fake: FakeDiscord;
let dataDir: string;
beforeAll(async () => {
  fake = await startFakeDiscord({ shards: 4, maxConcurrency: 4, guilds: shardedGuilds({ id: DEFAULT_IDS.bot, username: "Agora", bot: true }, { shards: 4, perShard: 2 }) });
  // Global commands: every server has them, as after `npm run register` without DISCORD_DEV_GUILD_ID.
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, apiUrl: fake.apiUrl });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "agora-shards-"));
});
afterAll(async () => {
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

const startHost = (name: string, env: Record<string, string>) =>
  startAgoraHost(name, { DISCORD_TOKEN: fake.botToken, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: path.join(dataDir, `${name}.sqlite`), INDEX_SNAPSHOT_DIR: path.join(dataDir, "index-snapshots"), ...env });

const quoteIn = (guildId: string): Promise<FakeReply> => fake.interact(fake.payloads.chatInput({ name: "quote", guildId, options: { query: "referendum" } }), { timeoutMs: 10_000 });
const helpIn = async (guildId: string): Promise<string | undefined> => bodyOf((await fake.interact(fake.payloads.chatInput({ name: "help", guildId }))).callback.data).embeds[0]?.footer?.text;
const identifiedShards = (from: number) => fake.identifies.slice(from).map((identify) => identify.shard);
const oneGuildPerShard = () => [0, 1, 2, 3].map((shard) => fake.guilds.find((g) => shardOf(g.id, 4) === shard)?.id ?? "");

describe("npm start with sharding", () => {
  it("runs Discord's recommended 4 shards in 2 processes of 2 (SHARDS_PER_PROCESS), answers in a server of every shard, and /help counts every server", async () => {
    const before = fake.identifies.length;
    const host = startHost("all", { SHARDS_PER_PROCESS: "2" });
    try {
      const plan = await host.until("starting shards");
      expect(plan).toMatchObject({ shardCount: 4, recommended: 4, shards: [0, 1, 2, 3], processes: [[0, 1], [2, 3]] });
      await host.until("all shards ready");

      // The fake saw one IDENTIFY per shard, each with the count 4 ...
      expect(identifiedShards(before).sort()).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
      // ... from two processes, each with its two shards' servers.
      const ready = host.logs().filter((l) => l.msg === "bot ready");
      expect(ready.map((l) => l["shards"]).sort()).toEqual([[0, 1], [2, 3]]);
      expect(new Set(ready.map((l) => l.pid)).size).toBe(2);
      expect(ready.map((l) => l["guilds"])).toEqual([4, 4]);
      const started = host.logs().filter((l) => l.msg === "shard process started");
      expect(new Set(started.map((l) => l["pid"]))).toEqual(new Set(ready.map((l) => l.pid)));

      for (const guildId of oneGuildPerShard()) {
        const reply = await quoteIn(guildId);
        expect(reply.callback.type).toBe(4);
        expect(JSON.stringify(reply.callback.data)).toContain("referendum");
      }
      // Summed across both processes by fetchClientValues, asked from a server of either.
      expect(await helpIn(oneGuildPerShard()[0] ?? "")).toBe("8 servers · 4 shards");
      expect(await helpIn(oneGuildPerShard()[3] ?? "")).toBe("8 servers · 4 shards");

      host.child.kill("SIGTERM");
      expect(await host.exited).toBe(0);
      expect(host.logs().filter((l) => l.msg === "bot stopped")).toHaveLength(2);
      expect(host.logs().find((l) => l.msg === "shard processes stopped")?.["processes"]).toEqual([
        { process: 0, shards: [0, 1], code: 0, signal: null },
        { process: 1, shards: [2, 3], code: 0, signal: null },
      ]);
      expect(host.stderr()).toBe("");
    } finally {
      host.child.kill("SIGKILL");
    }
  }, 60_000);

  it("splits the shards between two hosts with SHARD_IDS and SHARD_COUNT on one PostgreSQL database: each identifies its own, together they answer everywhere, and each posts its own servers' digests once", async () => {
    // Every server's digest is due when the hosts start (its time passed today, within the catch-up window).
    const { timezone, time, localDate } = midDay(new Date());
    const database = await postgres.create();
    const storage = await database.open();
    for (const guild of fake.guilds) {
      await storage.digest.saveSettings({ guildId: guild.id, channelId: guild.channels[0]?.id ?? "", time, timezone, topic: null, roleId: null }, Date.now() - 86_400_000);
    }
    await storage.close();
    const before = fake.identifies.length;
    const shared = { DATABASE_URL: database.location, SHARD_COUNT: "4", SHARDS_PER_PROCESS: "2" };
    const first = startHost("host-a", { ...shared, SHARD_IDS: "0-1" });
    const second = startHost("host-b", { ...shared, SHARD_IDS: "2,3" });
    try {
      expect(await first.until("starting shards")).toMatchObject({ shardCount: 4, shards: [0, 1], processes: [[0, 1]] });
      expect(await second.until("starting shards")).toMatchObject({ shardCount: 4, shards: [2, 3], processes: [[2, 3]] });
      await Promise.all([first.until("all shards ready"), second.until("all shards ready")]);
      expect(identifiedShards(before).sort()).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
      expect(first.logs().find((l) => l.msg === "bot ready")).toMatchObject({ shards: [0, 1], guilds: 4 });
      expect(second.logs().find((l) => l.msg === "bot ready")).toMatchObject({ shards: [2, 3], guilds: 4 });

      for (const guildId of oneGuildPerShard()) expect((await quoteIn(guildId)).callback.type).toBe(4);
      // A host counts its own shards' servers: no coordinator between hosts.
      expect(await helpIn(oneGuildPerShard()[1] ?? "")).toBe("4 servers · this host's 2 of 4 shards");
      expect(await helpIn(oneGuildPerShard()[2] ?? "")).toBe("4 servers · this host's 2 of 4 shards");

      // Each server's digest once, posted by the host that runs its shard; one run row each in the shared database.
      const digestsIn = (guildId: string) =>
        fake.channelMessages(fake.guilds.find((g) => g.id === guildId)?.channels[0]?.id ?? "").filter((m) => m.embeds.some((e) => e.footer?.text === digestMarker(localDate)));
      await expect.poll(() => fake.guilds.map((g) => digestsIn(g.id).length), { timeout: 30_000, interval: 200 }).toEqual(fake.guilds.map(() => 1));
      const runs = await database.query("SELECT guild_id, status FROM digest_runs WHERE local_date = $1", [localDate]);
      expect(runs.map((r) => [String(r["guild_id"]), r["status"]]).sort()).toEqual(fake.guilds.map((g) => [g.id, "sent"]).sort());
      const postedBy = (host: typeof first) => host.logs().filter((l) => l.msg === "digest posted").map((l) => shardOf(String(l["guildId"]), 4));
      expect(postedBy(first).sort()).toEqual([0, 0, 1, 1]);
      expect(postedBy(second).sort()).toEqual([2, 2, 3, 3]);

      first.child.kill("SIGTERM");
      second.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(await second.exited).toBe(0);
    } finally {
      first.child.kill("SIGKILL");
      second.child.kill("SIGKILL");
      await database.cleanup();
    }
}, 90_000);
});

/** A time zone where it is now between 01:00 and 23:00, so "an hour ago" is still today there. */
function midDay(now: Date): { timezone: string; time: string; localDate: string } {
  for (const timezone of ["UTC", "Etc/GMT-6", "Etc/GMT+6"]) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(now)
        .map((p) => [p.type, p.value]),
    );
    const hour = Number(parts["hour"]);
    if (hour >= 1 && hour < 23) return { timezone, time: `${String(hour - 1).padStart(2, "0")}:${parts["minute"] ?? "00"}`, localDate: `${parts["year"]}-${parts["month"]}-${parts["day"]}` };
  }
  throw new Error("unreachable: one of three zones 6 h apart is between 01:00 and 23:00");
}
