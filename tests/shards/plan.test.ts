import { describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig } from "../../src/config.js";
import { planShards } from "../../src/shards/plan.js";

const base = { DISCORD_TOKEN: "x.y.z", DISCORD_APPLICATION_ID: "1100000000000000001" };
const sharding = (env: Record<string, string>) => loadBotConfig({ ...base, ...env }, "/srv/agora").sharding;

describe("sharding configuration", () => {
  it("defaults to Discord's recommendation, every shard, one per process", () => {
    expect(sharding({})).toEqual({ count: undefined, ids: undefined, perProcess: 1 });
    expect(sharding({ SHARD_COUNT: "", SHARD_IDS: "", SHARDS_PER_PROCESS: "" })).toEqual({ count: undefined, ids: undefined, perProcess: 1 });
  });

  it("reads SHARD_IDS as ranges and lists", () => {
    expect(sharding({ SHARD_COUNT: "8", SHARD_IDS: "0-3" }).ids).toEqual([0, 1, 2, 3]);
    expect(sharding({ SHARD_COUNT: "8", SHARD_IDS: "0,2" }).ids).toEqual([0, 2]);
    expect(sharding({ SHARD_COUNT: "8", SHARD_IDS: " 6, 0-1 ,1 " }).ids).toEqual([0, 1, 6]);
  });

  it("names the variable when it is wrong", () => {
    expect(() => sharding({ SHARD_COUNT: "0" })).toThrow(/SHARD_COUNT must be a whole number of at least 1/);
    expect(() => sharding({ SHARDS_PER_PROCESS: "two" })).toThrow(/SHARDS_PER_PROCESS/);
    expect(() => sharding({ SHARD_COUNT: "4", SHARD_IDS: "3-1" })).toThrow(/SHARD_IDS must list shard ids like 0-3 or 0,2 \(not "3-1"\)/);
    expect(() => sharding({ SHARD_COUNT: "4", SHARD_IDS: "a" })).toThrow(ConfigError);
    // Hosts must agree on the count: the recommendation changes as the bot grows.
    expect(() => sharding({ SHARD_IDS: "0-1" })).toThrow(/SHARD_IDS needs SHARD_COUNT/);
    expect(() => sharding({ SHARD_COUNT: "4", SHARD_IDS: "2-5" })).toThrow(/SHARD_IDS has 4, 5, but shard ids go from 0 to 3 with SHARD_COUNT=4/);
  });

  it("knows the shards of a process the shard manager spawned (discord.js's SHARDS and SHARD_COUNT)", () => {
    const config = (env: Record<string, string>) => loadBotConfig({ ...base, ...env }).shardProcess;
    expect(config({})).toBeUndefined();
    expect(config({ SHARDING_MANAGER: "true", SHARDS: "[2,3]", SHARD_COUNT: "4" })).toEqual({ ids: [2, 3], count: 4 });
    expect(config({ SHARDING_MANAGER: "true", SHARDS: "1", SHARD_COUNT: "2" })).toEqual({ ids: [1], count: 2 });
    expect(() => config({ SHARDING_MANAGER: "true", SHARDS: "[]", SHARD_COUNT: "2" })).toThrow(/SHARDS/);
  });
});

describe("planShards", () => {
  const gateway = { recommended: 4, maxConcurrency: 1 };
  it("groups this host's shards into processes of SHARDS_PER_PROCESS", () => {
    expect(planShards({ count: undefined, ids: undefined, perProcess: 2 }, gateway)).toMatchObject({ count: 4, ids: [0, 1, 2, 3], processes: [[0, 1], [2, 3]] });
    expect(planShards({ count: undefined, ids: undefined, perProcess: 1 }, gateway).processes).toEqual([[0], [1], [2], [3]]);
    expect(planShards({ count: 6, ids: undefined, perProcess: 4 }, gateway).processes).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(planShards({ count: 8, ids: [2, 3, 4], perProcess: 2 }, gateway)).toMatchObject({ count: 8, ids: [2, 3, 4], processes: [[2, 3], [4]] });
  });

  it("starts processes together only when Discord lets every shard identify at once (max_concurrency)", () => {
    expect(planShards({ count: undefined, ids: undefined, perProcess: 2 }, { recommended: 4, maxConcurrency: 4 }).spawnDelayMs).toBe(0);
    expect(planShards({ count: undefined, ids: undefined, perProcess: 4 }, gateway).spawnDelayMs).toBe(0);
    // Shards 0 and 1 share the one bucket: the second process waits for the first one's two identifies.
    expect(planShards({ count: undefined, ids: undefined, perProcess: 2 }, gateway).spawnDelayMs).toBe(11_000);
    expect(planShards({ count: 32, ids: undefined, perProcess: 16 }, { recommended: 32, maxConcurrency: 16 }).spawnDelayMs).toBe(88_000);
  });
});
