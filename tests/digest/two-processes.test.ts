import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { digestMarker } from "../../src/digest/content.js";
import { ownsGuild, scheduledAt } from "../../src/digest/schedule.js";
import { postgres } from "../storage/backends.js";
import { mulberry32 } from "./helpers.js";

const CHILD = path.join(import.meta.dirname, "two-processes-child.ts");
const SHARDS = 3;
// Process A runs shards 0 and 1, process B shards 1 and 2: both think they own shard 1's servers.
const PROCESSES = [
  { name: "A", shards: [0, 1] },
  { name: "B", shards: [1, 2] },
];
const ZONES = ["UTC", "Europe/Kyiv", "America/New_York"];
// Nine servers, three per shard, at three local times in three zones; snowflakes, whose shard is (id >> 22) % 3.
const GUILDS = Array.from({ length: 9 }, (_, i) => ({
  guildId: ((BigInt(7_000_000 + i * 3 + (i % SHARDS)) << 22n) | BigInt(i)).toString(),
  channelId: `41000000000000000${String(i).padStart(2, "0")}`,
  time: ["09:00", "13:30", "21:15"][i % 3] ?? "09:00",
  timezone: ZONES[Math.floor(i / 3)] ?? "UTC",
}));
const DAYS = Array.from({ length: 3 }, (_, i) => `2025-03-${String(i + 8).padStart(2, "0")}`); // across New York's DST change
type CrashPoint = "before-send" | "after-send" | "in-recovery";

/** Forks a bot process; resolves once it has opened the database and loaded the corpus. */
function spawnBot(args: string): Promise<ChildProcess> {
  const child = fork(CHILD, [args], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", () => {
      child.removeAllListeners("exit");
      resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a bot process exited (${code}) before it was ready`)));
  });
}

/**
 * One of the two bots, as an operator's supervisor keeps it: when its process dies, a new one takes
 * over. The new process is forked ahead (a fresh process that has not ticked yet), so a restart
 * does not wait for Node to start.
 */
class Bot {
  child!: ChildProcess;
  alive = false;
  /** Errors a tick threw (a bug, not a crash): the test fails on any. */
  readonly errors: string[] = [];
  private spare: Promise<ChildProcess> | null = null;
  private waiting: ((outcome: "done" | "died") => void) | null = null;

  constructor(
    readonly name: string,
    private readonly args: string,
  ) {}

  async start(): Promise<void> {
    this.child = await (this.spare ?? spawnBot(this.args));
    this.spare = spawnBot(this.args);
    this.spare.catch(() => undefined);
    this.alive = true;
    this.child.on("message", (message: { type: string; message?: string }) => {
      if (message.type === "error") this.errors.push(`process ${this.name}: ${message.message ?? ""}`);
      this.settle("done");
    });
    this.child.on("exit", () => {
      this.alive = false;
      this.settle("died");
    });
  }

  private settle(outcome: "done" | "died"): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(outcome);
  }

  /** One tick at `now`; resolves when it is over or the process is dead. */
  tick(now: number, crash?: CrashPoint): Promise<"done" | "died"> {
    if (!this.alive) return Promise.resolve("died");
    const over = new Promise<"done" | "died">((resolve) => (this.waiting = resolve));
    this.child.send({ type: "tick", now, ...(crash ? { crash } : {}) });
    return over;
  }

  /** SIGKILL, as a machine losing power. */
  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    this.kill();
    (await this.spare?.catch(() => null))?.kill("SIGKILL");
  }
}

describe("two bot processes on one PostgreSQL database", () => {
  it("post every server-day exactly once, with overlapping shard ownership, crashes and kills at random moments", { timeout: 90_000 }, async () => {
    const started = Date.now();
    const db = await postgres.create();
    const setup = await db.open();
    await db.query("CREATE TABLE test_posts (id BIGSERIAL PRIMARY KEY, channel_id TEXT NOT NULL, nonce TEXT NOT NULL, marker TEXT NOT NULL, at BIGINT NOT NULL, by TEXT NOT NULL)");
    for (const g of GUILDS) await setup.digest.saveSettings({ ...g, topic: null, roleId: null }, Date.parse("2025-03-01T00:00:00Z"));
    await setup.close();
    const bots = PROCESSES.map(
      (p) => new Bot(p.name, JSON.stringify({ url: db.location, name: p.name, shards: p.shards, shardCount: SHARDS, corpusDir: "tests/fixtures/ranking-corpus" })),
    );
    await Promise.all(bots.map((bot) => bot.start()));

    // Around each scheduled minute (no two within 5 minutes of each other): at it; when a process
    // died there, again once the lease of its claim has run out and once Discord's nonce window
    // has passed; and a last step in which nobody dies, so every server-day has a survivor.
    const minutes = DAYS.flatMap((day) => GUILDS.map((g) => ({ at: scheduledAt(day, g.time, g.timezone), guildId: g.guildId }))).sort((a, b) => a.at - b.at);
    // What happens to an owner of the minute's server, in turn every 6 minutes: it crashes after
    // claiming (before sending), after sending (before recording), or is killed from outside at a
    // random moment of its tick; after a crash before sending, the process resuming the run
    // crashes while resolving it.
    const plan = (k: number): CrashPoint | "kill" | undefined => (["before-send", "after-send", "kill"] as const)[[2, 8, 14].indexOf(k % 18)];
    const rng = mulberry32(16);
    const events = { steps: 0, deaths: 0, restarts: 0, restartMs: 0 };
    const died: Record<CrashPoint | "killed", number> = { "before-send": 0, "after-send": 0, "in-recovery": 0, killed: 0 };
    /**
     * A crash point armed in a process: it dies there the next time it gets there (the other
     * process may take this minute's work; then it is a later one), never in a clean step.
     */
    const armed = new Map<Bot, CrashPoint>();
    /** One tick of both processes at `now`; `victim` gets `fate`. Nobody dies in a clean step. */
    const step = async (now: number, clean: boolean, victim?: Bot, fate?: CrashPoint | "kill"): Promise<number> => {
      events.steps += 1;
      const dead = bots.filter((bot) => !bot.alive);
      const restarting = Date.now();
      await Promise.all(dead.map((bot) => bot.start()));
      if (dead.length > 0) events.restartMs += Date.now() - restarting;
      events.restarts += dead.length;
      if (victim && fate && fate !== "kill") armed.set(victim, fate);
      const kills: Promise<void>[] = [];
      if (victim && fate === "kill") {
        const delay = Math.floor(rng() * 15);
        kills.push(new Promise((resolve) => setTimeout(() => resolve(victim.kill()), delay)));
      }
      const ticks = bots.map(async (bot) => {
        const crash = clean ? undefined : armed.get(bot);
        const outcome = await bot.tick(now, crash);
        if (outcome === "died") {
          died[crash ?? "killed"] += 1;
          armed.delete(bot);
        }
        return outcome;
      });
      const outcomes = await Promise.all(ticks);
      await Promise.all(kills); // no kill is left to land in the next (maybe clean) step
      const deaths = outcomes.filter((o) => o === "died").length;
      events.deaths += deaths;
      return deaths;
    };
    for (const [k, { at, guildId }] of minutes.entries()) {
      // The owners of this server (both, for shard 1's): the fate goes to them in turn.
      const owners = bots.filter((_, i) => ownsGuild(guildId, PROCESSES[i]?.shards ?? [], SHARDS));
      const victim = owners[k % owners.length];
      const fate = plan(k);
      if ((await step(at, false, victim, fate)) > 0) {
        await step(at + 61_000, false, owners[(k + 1) % owners.length], fate === "before-send" ? "in-recovery" : undefined);
        await step(at + 150_000, false);
      }
      await step(at + 300_000, true);
    }
    await Promise.all(bots.map((bot) => bot.stop()));
    expect(bots.flatMap((bot) => bot.errors)).toEqual([]);

    const posts = await db.query("SELECT channel_id, marker, by FROM test_posts ORDER BY id");
    const perServerDay = new Map<string, number>();
    for (const p of posts) perServerDay.set(`${String(p["channel_id"])} ${String(p["marker"])}`, (perServerDay.get(`${String(p["channel_id"])} ${String(p["marker"])}`) ?? 0) + 1);
    const expected = GUILDS.flatMap((g) => DAYS.map((day) => `${g.channelId} ${digestMarker(day)}`)).sort();
    expect([...perServerDay.keys()].sort()).toEqual(expected);
    expect([...perServerDay.values()].every((n) => n === 1)).toBe(true);
    const runs = await db.query("SELECT status, count(*)::int AS n FROM digest_runs GROUP BY status");
    expect(runs).toEqual([{ status: "sent", n: GUILDS.length * DAYS.length }]);
    // The shared servers were really contested: both processes posted some of them.
    const shared = new Set(GUILDS.filter((g) => ownsGuild(g.guildId, [1], SHARDS)).map((g) => g.channelId));
    expect(new Set(posts.filter((p) => shared.has(String(p["channel_id"]))).map((p) => p["by"]))).toEqual(new Set(["A", "B"]));
    expect(died["before-send"] + died["after-send"] + died["in-recovery"] + died.killed).toBe(events.deaths);
    expect(events.deaths).toBeGreaterThanOrEqual(6);
    await db.cleanup();
    console.info(
      `two processes: ${events.steps} steps over ${DAYS.length} days, ${GUILDS.length} servers (${shared.size} owned by both); ` +
        `${events.deaths} processes died mid-tick (${died["before-send"]} after claiming, before sending; ${died["after-send"]} after sending, before recording; ` +
        `${died["in-recovery"]} while resolving a claimed run; ${died.killed} killed from outside at a random moment), ` +
        `${events.restarts} restarts (waited ${(events.restartMs / 1000).toFixed(1)} s); ` +
        `${expected.length} server-days, one post each; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
