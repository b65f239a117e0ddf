import type { ShardingConfig } from "../config.js";

/** What this host runs: the shard count every host shares, its own shards, and how they are grouped into processes. */
export interface ShardPlan {
  /** Total shards across every host (each shard's `num_shards`). */
  count: number;
  /** The shards this host runs, ascending. */
  ids: number[];
  /** One array of shard ids per process: each runs one discord.js Client with `shards: ids`. */
  processes: number[][];
  /** Wait between starting one process and the next, so identifies keep to Discord's max_concurrency. */
  spawnDelayMs: number;
}

/**
 * Discord allows `max_concurrency` IDENTIFYs per 5 seconds, one per rate-limit bucket
 * (`shard_id % max_concurrency`). discord.js queues the shards of one client itself; processes
 * know nothing of each other, so when two of this host's shards share a bucket the next process
 * starts only after the previous one's shards had their turns (5.5 s each, ShardingManager's own
 * delay for one shard per process).
 */
const IDENTIFY_WINDOW_MS = 5_500;

export function planShards(sharding: ShardingConfig, gateway: { recommended: number; maxConcurrency: number }): ShardPlan {
  const count = sharding.count ?? Math.max(1, gateway.recommended);
  const ids = sharding.ids ?? Array.from({ length: count }, (_, id) => id);
  const processes: number[][] = [];
  for (let start = 0; start < ids.length; start += sharding.perProcess) processes.push(ids.slice(start, start + sharding.perProcess));
  const buckets = new Set(ids.map((id) => id % Math.max(1, gateway.maxConcurrency)));
  const oneWave = buckets.size === ids.length;
  return { count, ids, processes, spawnDelayMs: oneWave || processes.length === 1 ? 0 : IDENTIFY_WINDOW_MS * sharding.perProcess };
}
