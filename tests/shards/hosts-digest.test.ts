import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPayloads } from "../../commands/index.js";
import { digestMarker } from "../../src/digest/content.js";
import { registerCommands } from "../../src/discord/register.js";
import { DEFAULT_IDS, shardedGuilds, shardOf, startFakeDiscord, type FakeDiscord } from "../../src/fake-discord/index.js";
import { postgres, type TestDatabase } from "../storage/backends.js";
import { startAgoraHost } from "./hosts.js";

// Two hosts (SHARD_IDS=0-1 and 2-3 of 4) on one PostgreSQL database, as two machines would run:
// every server's digest is due when they start (its time passed today, within the catch-up
// window), so each host posts the digests of its own shards' servers, once each.
let fake: FakeDiscord;
let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  fake = await startFakeDiscord({ shards: 4, maxConcurrency: 4, guilds: shardedGuilds({ id: DEFAULT_IDS.bot, username: "Agora", bot: true }, { shards: 4, perShard: 1 }) });
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, apiUrl: fake.apiUrl });
  database = await postgres.create();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "agora-hosts-"));
});
afterAll(async () => {
  await fake.close();
  await database.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

/** A time zone where it is now between 01:00 and 23:00, so "an hour ago" is still today there. */
function midDay(now: Date): { timezone: string; time: string; localDate: string } {
  for (const timezone of ["UTC", "Etc/GMT-6", "Etc/GMT+6"]) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now).map((p) => [p.type, p.value]));
    const hour = Number(parts["hour"]);
    if (hour >= 1 && hour < 23) return { timezone, time: `${String(hour - 1).padStart(2, "0")}:${parts["minute"] ?? "00"}`, localDate: `${parts["year"]}-${parts["month"]}-${parts["day"]}` };
  }
  throw new Error("unreachable: one of three zones 6 h apart is between 01:00 and 23:00");
}

describe("two hosts on one PostgreSQL database", () => {
  it("post each server's digest once: each host its own shards' servers", async () => {
    const now = new Date();
    const { timezone, time, localDate } = midDay(now);
    const storage = await database.open();
    // Set up the day before, so today's time is the first one due.
    for (const guild of fake.guilds) {
      await storage.digest.saveSettings({ guildId: guild.id, channelId: guild.channels[0]?.id ?? "", time, timezone, topic: null, roleId: null }, now.getTime() - 86_400_000);
    }
    const env = (name: string, ids: string) => ({
      DISCORD_TOKEN: fake.botToken,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: database.location,
      INDEX_SNAPSHOT_DIR: path.join(dataDir, name),
      SHARD_COUNT: "4",
      SHARD_IDS: ids,
      SHARDS_PER_PROCESS: "2",
    });
    const first = startAgoraHost("host-a", env("host-a", "0-1"));
    const second = startAgoraHost("host-b", env("host-b", "2-3"));
    try {
      await Promise.all([first.until("all shards ready", 45_000), second.until("all shards ready", 45_000)]);
      const digestsIn = (guildId: string) =>
        fake.channelMessages(fake.guilds.find((g) => g.id === guildId)?.channels[0]?.id ?? "").filter((m) => m.embeds.some((e) => e.footer?.text === digestMarker(localDate)));
      await expect.poll(() => fake.guilds.map((g) => digestsIn(g.id).length), { timeout: 30_000, interval: 200 }).toEqual([1, 1, 1, 1]);
      const runs = await database.query("SELECT guild_id, status FROM digest_runs WHERE local_date = $1 ORDER BY guild_id", [localDate]);
      expect(runs).toEqual(fake.guilds.map((g) => ({ guild_id: g.id, status: "sent" })).sort((a, b) => a.guild_id.localeCompare(b.guild_id)));
      // Which host posted which: its own shards only.
      const postedBy = (host: typeof first) => host.logs().filter((l) => l.msg === "digest posted").map((l) => shardOf(String(l["guildId"]), 4));
      expect(postedBy(first).sort()).toEqual([0, 1]);
      expect(postedBy(second).sort()).toEqual([2, 3]);
      first.child.kill("SIGTERM");
      second.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(await second.exited).toBe(0);
    } finally {
      first.child.kill("SIGKILL");
      second.child.kill("SIGKILL");
      await storage.close();
    }
  }, 90_000);
});
