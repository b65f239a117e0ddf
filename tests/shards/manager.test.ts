import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging.js";
import { startShardProcesses, type ShardProcesses, type ShardProcessesOptions } from "../../src/shards/manager.js";
import { planShards } from "../../src/shards/plan.js";

// The shard manager over discord.js's ShardingManager, with a stand-in for the bot (no corpus, no
// gateway): which processes it starts with which shards, and what it does when one exits.
const file = path.resolve("tests/shards/fixtures/stand-in-shard.mjs");
type Reported = { env: Record<string, string | undefined>; pid: number };

// ShardingManager marks its own process as a manager's (SHARDING_MANAGER, …): put it back for the tests after these.
// eslint-disable-next-line no-restricted-properties
const env = process.env;
const saved = { SHARDING_MANAGER: env["SHARDING_MANAGER"], SHARDING_MANAGER_MODE: env["SHARDING_MANAGER_MODE"], DISCORD_TOKEN: env["DISCORD_TOKEN"] };

let running: ShardProcesses | undefined;
afterEach(async () => {
  await running?.stop("test over");
  running = undefined;
  delete env["STAND_IN_FAIL"];
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
});

function start(perProcess: number, options: Partial<ShardProcessesOptions> = {}) {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const plan = planShards({ count: undefined, ids: undefined, perProcess }, { recommended: 4, maxConcurrency: 4 });
  const reported: Reported[] = [];
  const shards = startShardProcesses({ file, execArgv: [], token: "stand-in-token", plan, logger: createLogger({ level: "info", destination }), restartDelayMs: 10, ...options });
  shards.manager.on("shardCreate", (shard) => shard.on("message", (message: unknown) => {
    if (typeof message === "object" && message !== null && "env" in message) reported.push(message as Reported);
  }));
  running = shards;
  return { shards, logs, reported, plan };
}

async function until<T>(get: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (let value = get(); ; value = get()) {
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the shard manager", () => {
  it("runs each group of shards in one process: SHARDS is the group as JSON, SHARD_COUNT the total; a HEALTH_PORT each", async () => {
    const { shards, reported, logs } = start(2, { env: (index) => ({ HEALTH_PORT: String(8080 + index) }) });
    await shards.ready;
    expect(reported.map((r) => r.env).sort((a, b) => String(a["SHARDS"]).localeCompare(String(b["SHARDS"])))).toEqual([
      { SHARDS: "[0,1]", SHARD_COUNT: "4", SHARDING_MANAGER: "true", HEALTH_PORT: "8080" },
      { SHARDS: "[2,3]", SHARD_COUNT: "4", SHARDING_MANAGER: "true", HEALTH_PORT: "8081" },
    ]);
    expect(shards.manager.shards.map((shard) => shard.id)).toEqual([0, 2]);
    expect(logs.filter((l) => l["msg"] === "shard process ready")).toHaveLength(2);
    expect(await shards.stop("SIGTERM")).toBe(0);
  });

  it("starts a process that exits after it was ready again, with the same shards", async () => {
    const { shards, reported, logs } = start(2);
    await shards.ready;
    const first = reported.find((r) => r.env["SHARDS"] === "[2,3]");
    process.kill(first?.pid ?? 0, "SIGKILL");
    const again = await until(() => reported.find((r) => r.env["SHARDS"] === "[2,3]" && r.pid !== first?.pid));
    expect(again.env["SHARD_COUNT"]).toBe("4");
    expect(logs.find((l) => l["msg"] === "shard process exited; starting it again")).toMatchObject({ shards: [2, 3], signal: "SIGKILL" });
    await until(() => logs.filter((l) => l["msg"] === "shard process ready" && l["pid"] === again.pid)[0]);
    expect(await shards.stop("SIGTERM")).toBe(0);
  });

  it("stops every process and fails with 1 when one exits before it is ready", async () => {
    env["STAND_IN_FAIL"] = "[3]";
    const { shards, logs } = start(1);
    expect(await shards.failed).toBe(1);
    expect(logs.find((l) => l["msg"] === "shard process exited before it was ready; stopping this host's shards")).toMatchObject({ shards: [3], code: 3 });
    const stopped = logs.find((l) => l["msg"] === "shard processes stopped")?.["processes"] as { process: number; code: number | null }[];
    expect(stopped.map((p) => p.process).sort()).toEqual([0, 1, 2]);
  });

  it("gives up, exit 1, on processes that keep exiting", async () => {
    const { shards, reported, logs } = start(4, { maxRestarts: 2 });
    await shards.ready;
    for (let kills = 0; kills < 3; kills++) {
      const pid = await until(() => {
        const latest = reported.at(-1);
        return latest && logs.some((l) => l["msg"] === "shard process ready" && l["pid"] === latest.pid) ? latest.pid : undefined;
      });
      process.kill(pid, "SIGKILL");
      if (kills < 2) await until(() => (reported.at(-1)?.pid !== pid ? true : undefined));
    }
    expect(await shards.failed).toBe(1);
    expect(logs.some((l) => l["msg"] === "shard processes keep exiting; stopping this host's shards")).toBe(true);
  });
});
