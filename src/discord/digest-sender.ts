import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type APIMessage, type RESTPostAPIChannelMessageJSONBody } from "discord.js";
import type { DigestPayload } from "../digest/content.js";
import { DigestSendError, type DigestSender } from "../digest/sender.js";
import { renderDigestPayload } from "./digest-message.js";
import { toEdit, type Reply } from "./render.js";

/**
 * The digest's Discord REST side: the scheduler hands over a run's content, and this renders and
 * posts it, reads the channel's history, and maps Discord's errors to what the scheduler does.
 */

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

/** A run's digest as the body Discord receives: the same payload and nonce always give the same body. */
export function digestPayloadBody(payload: DigestPayload, nonce: string): RESTPostAPIChannelMessageJSONBody {
  return digestBody(renderDigestPayload(payload), nonce);
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
 * The real sender: renders the run's digest and POSTs it to /channels/:id/messages, and looks at
 * the channel's recent messages. `canReadHistory` says whether the bot has Read Message History
 * in a channel (null: unknown), which is what tells an empty channel from a history Discord hides
 * (it answers both with []).
 */
export function restSender(rest: REST, botUserId: () => string | null, canReadHistory: (channelId: string) => boolean | null = () => null): DigestSender {
  return {
    async send({ channelId, nonce, payload }) {
      const body = digestPayloadBody(payload, nonce);
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
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
