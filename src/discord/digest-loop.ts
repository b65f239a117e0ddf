import { PermissionFlagsBits, type Client } from "discord.js";
import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { DigestLoop } from "../digest/runner.js";
import { ownsGuild } from "../digest/schedule.js";
import { DigestScheduler, type SchedulerOptions } from "../digest/scheduler.js";
import { systemClock, type Clock, type DigestSender } from "../digest/sender.js";
import type { DigestStore } from "../digest/store.js";
import { digestRest, restSender } from "./digest-sender.js";

export interface DigestWiring {
  /** The digest's state (SQLite or PostgreSQL: src/storage/storage.ts). */
  store: DigestStore;
  engine: Engine;
  logger: Logger;
  token: string;
  apiUrl?: string | undefined;
  clock?: Clock | undefined;
  graceMinutes?: number | undefined;
  /** Run ticks on a timer (default); tests turn it off and call `tick()` themselves. */
  autoTick?: boolean | undefined;
  sender?: DigestSender | undefined;
  /** Builds a day's digest (the analysis worker); on this thread when undefined. */
  compose?: SchedulerOptions["compose"] | undefined;
  onPost?: SchedulerOptions["onPost"] | undefined;
  library?: SchedulerOptions["library"] | undefined;
}

/** Whether the bot may read a channel's history, from the client's cache (null when the channel isn't cached). */
function canReadHistory(client: Client, channelId: string): boolean | null {
  const channel = client.channels.cache.get(channelId);
  const me = client.user;
  if (!channel || !me || !("permissionsFor" in channel)) return null;
  return channel.permissionsFor(me)?.has(PermissionFlagsBits.ReadMessageHistory) ?? null;
}

/**
 * The digest for a discord.js client: it schedules only the servers of the shards this client
 * runs, and posts through the REST sender, which renders each run's content.
 */
export function createDigestLoop(wiring: DigestWiring, client: Client): DigestLoop {
  const owns = (guildId: string): boolean => {
    const ids = [...client.ws.shards.keys()];
    const count = client.options.shardCount ?? 1;
    return ids.length === 0 ? count <= 1 : ownsGuild(guildId, ids, count);
  };
  const scheduler = new DigestScheduler({
    store: wiring.store,
    engine: wiring.engine,
    logger: wiring.logger,
    sender: wiring.sender ?? restSender(digestRest({ token: wiring.token, apiUrl: wiring.apiUrl }), () => client.user?.id ?? null, (channelId) => canReadHistory(client, channelId)),
    owns,
    ...(wiring.compose ? { compose: wiring.compose } : {}),
    ...(wiring.library ? { library: wiring.library } : {}),
    ...(wiring.onPost ? { onPost: wiring.onPost } : {}),
    ...(wiring.clock ? { clock: wiring.clock } : {}),
    ...(wiring.graceMinutes !== undefined ? { graceMs: wiring.graceMinutes * 60_000 } : {}),
  });
  return new DigestLoop(scheduler, wiring.logger, wiring.clock ?? systemClock, wiring.autoTick ?? true);
}
