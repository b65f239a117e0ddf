import { DiscordAPIError, HTTPError, PermissionFlagsBits, RateLimitError, REST, Routes, type APIMessage, type Client, type RESTPostAPIChannelMessageJSONBody } from "discord.js";
import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { toEdit, type Reply } from "../discord/render.js";
import type { Database } from "../storage/db.js";
import { ownsGuild } from "./schedule.js";
import { DigestScheduler, type SchedulerOptions } from "./scheduler.js";
import { DigestSendError, systemClock, type Clock, type DigestSender } from "./sender.js";

/**
 * A REST client for digest posts that makes exactly one HTTP request per call: no silent
 * retries and no waiting out a 429 inside discord.js, so the scheduler's bounded backoff decides.
 */
export function digestRest(options: { token: string; apiUrl?: string | undefined }): REST {
  return new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, rejectOnRateLimit: () => true, timeout: 15_000 }).setToken(options.token);
}

/** The message body: rendered by the one renderer, plus the nonce Discord enforces. */
export function digestBody(reply: Reply, nonce: string): RESTPostAPIChannelMessageJSONBody {
  const message = toEdit(reply);
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [], roles: message.allowedMentions.roles, users: message.allowedMentions.users ?? [], replied_user: false },
    nonce,
    enforce_nonce: true,
  };
}

const REASONS: Record<string, string> = {
  "50001": "I can't see the channel (Missing Access): give me View Channel there",
  "50013": "I lack a permission in the channel (Missing Permissions): I need View Channel, Send Messages and Embed Links",
  "10003": "the channel no longer exists (Unknown Channel)",
};

/** Maps a discord.js error to what the scheduler does about it. */
export function classifySendError(error: unknown): DigestSendError {
  if (error instanceof DigestSendError) return error;
  if (error instanceof RateLimitError) return new DigestSendError(`rate limited by Discord (429) on ${error.route}`, "transient", Math.max(0, error.retryAfter), 429);
  if (error instanceof DiscordAPIError) {
    const reason = REASONS[String(error.code)] ?? error.message;
    if (error.status === 403 || error.status === 404) return new DigestSendError(`${reason} (HTTP ${error.status})`, "permanent", 0, error.status);
    if (error.status === 429 || error.status >= 500) return new DigestSendError(`Discord answered ${error.status}: ${error.message}`, "transient", 0, error.status);
    return new DigestSendError(`Discord rejected the digest (HTTP ${error.status}): ${error.message}`, "invalid", 0, error.status);
  }
  if (error instanceof HTTPError) return new DigestSendError(`Discord answered ${error.status} ${error.message}`, "transient", 0, error.status);
  return new DigestSendError(`could not reach Discord: ${error instanceof Error ? error.message : String(error)}`, "transient");
}

/** How many recent messages a look at the channel reads (Discord's most per request). */
const HISTORY_PAGE = 50;

/**
 * The real sender: POST /channels/:id/messages, and a look at the channel's recent messages.
 * `canReadHistory` says whether the bot has Read Message History in a channel (null: unknown),
 * which is what tells an empty channel from a history Discord hides (it answers both with []).
 */
export function restSender(rest: REST, botUserId: () => string | null, canReadHistory: (channelId: string) => boolean | null = () => null): DigestSender {
  return {
    async send({ channelId, nonce, reply }) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body: digestBody(reply, nonce) })) as APIMessage;
        return { messageId: message.id };
      } catch (error) {
        throw classifySendError(error);
      }
    },
    async findPosted({ channelId, marker, since }) {
      let messages: APIMessage[];
      try {
        messages = (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(HISTORY_PAGE) }) })) as APIMessage[];
      } catch (error) {
        throw classifySendError(error);
      }
      const me = botUserId();
      const found = messages.find((m) => (me === null || m.author.id === me) && m.embeds.some((e) => e.footer?.text === marker));
      if (found) return { messageId: found.id, complete: true };
      // Newest first. Some messages prove the history is readable; fewer than a page is all of it.
      const oldest = messages.at(-1);
      const complete = oldest === undefined ? canReadHistory(channelId) === true : messages.length < HISTORY_PAGE || Date.parse(oldest.timestamp) < since;
      return { messageId: null, complete };
    },
  };
}

/** Runs the scheduler's ticks on a timer: at the next scheduled time or retry, at least once a minute. */
export class DigestLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    readonly scheduler: DigestScheduler,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    private readonly autoTick = true,
  ) {}

  /**
   * Starts ticking (unless autoTick is off): the first tick, at once, resolves runs a previous
   * process left claimed and catches up on today's digests; it runs in the background.
   */
  start(): Promise<void> {
    this.stopped = !this.autoTick;
    if (this.autoTick) void this.run();
    return Promise.resolve();
  }

  private async run(): Promise<void> {
    try {
      await this.scheduler.tick();
    } catch (error) {
      this.logger.error({ err: error, component: "digest" }, "digest tick failed");
    }
    if (this.stopped) return;
    const wait = Math.min(Math.max(this.scheduler.nextWake() - this.clock.now(), 1_000), 60_000);
    this.timer = setTimeout(() => void this.run(), wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.scheduler.idle();
  }
}

export interface DigestWiring {
  database: Database;
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
}

/** Whether the bot may read a channel's history, from the client's cache (null when the channel isn't cached). */
function canReadHistory(client: Client, channelId: string): boolean | null {
  const channel = client.channels.cache.get(channelId);
  const me = client.user;
  if (!channel || !me || !("permissionsFor" in channel)) return null;
  return channel.permissionsFor(me)?.has(PermissionFlagsBits.ReadMessageHistory) ?? null;
}

/** The digest for a discord.js client: it schedules only the servers of the shards this client runs. */
export function createDigestLoop(wiring: DigestWiring, client: Client): DigestLoop {
  const owns = (guildId: string): boolean => {
    const ids = [...client.ws.shards.keys()];
    const count = client.options.shardCount ?? 1;
    return ids.length === 0 ? count <= 1 : ownsGuild(guildId, ids, count);
  };
  const scheduler = new DigestScheduler({
    db: wiring.database,
    engine: wiring.engine,
    logger: wiring.logger,
    sender: wiring.sender ?? restSender(digestRest({ token: wiring.token, apiUrl: wiring.apiUrl }), () => client.user?.id ?? null, (channelId) => canReadHistory(client, channelId)),
    owns,
    ...(wiring.compose ? { compose: wiring.compose } : {}),
    ...(wiring.clock ? { clock: wiring.clock } : {}),
    ...(wiring.graceMinutes !== undefined ? { graceMs: wiring.graceMinutes * 60_000 } : {}),
  });
  return new DigestLoop(scheduler, wiring.logger, wiring.clock ?? systemClock, wiring.autoTick ?? true);
}
