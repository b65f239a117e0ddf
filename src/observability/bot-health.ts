import { Status } from "discord.js";
import type { Bot } from "../discord/client.js";
import type { Storage } from "../storage/storage.js";
import type { HealthSources } from "./health-server.js";

/** The /healthz checks of a running bot: its gateway shards, its database, its corpus. */
export function botHealthChecks(bot: Pick<Bot, "client" | "engine">, storage: Pick<Storage, "ping" | "backend">): HealthSources {
  return {
    gateway: () => {
      const shards = [...bot.client.ws.shards.values()].map((shard) => ({ id: shard.id, status: Status[shard.status] ?? String(shard.status) }));
      const ok = bot.client.isReady() && shards.length > 0 && shards.every((shard) => shard.status === Status[Status.Ready]);
      return { ok, detail: shards.length === 0 ? "not connected" : shards.map((shard) => `shard ${shard.id}: ${shard.status}`).join(", ") };
    },
    // A round trip: the SQLite file answers, or the PostgreSQL server does (within the health server's time limit).
    database: async () => {
      await storage.ping();
      return { ok: true, detail: `${storage.backend} reachable` };
    },
    corpus: () => {
      const articles = bot.engine.articles().length;
      return { ok: articles > 0, detail: `${articles} articles` };
    },
  };
}
