import { Status } from "discord.js";
import type { Bot } from "../discord/client.js";
import type { HealthSources } from "./health-server.js";

/** The /healthz checks of a running bot: its gateway shards, its database, its corpus. */
export function botHealthChecks(bot: Pick<Bot, "client" | "engine">, database: { prepare(sql: string): { get(): unknown } }): HealthSources {
  return {
    gateway: () => {
      const shards = [...bot.client.ws.shards.values()].map((shard) => ({ id: shard.id, status: Status[shard.status] ?? String(shard.status) }));
      const ok = bot.client.isReady() && shards.length > 0 && shards.every((shard) => shard.status === Status[Status.Ready]);
      return { ok, detail: shards.length === 0 ? "not connected" : shards.map((shard) => `shard ${shard.id}: ${shard.status}`).join(", ") };
    },
    database: () => {
      database.prepare("SELECT 1").get();
      return { ok: true, detail: "reachable" };
    },
    corpus: () => {
      const articles = bot.engine.articles().length;
      return { ok: articles > 0, detail: `${articles} articles` };
    },
  };
}
