// Message nonces and injected failures for POST /channels/:id/messages.
import type { APIMessage } from "discord.js";
import { discordError } from "./server.js";
import type { RouteResult } from "./server.js";
import type { ChannelPostFailure } from "./types.js";

/** Discord's limit on a message nonce (string or integer). */
const MAX_NONCE = 25;

export class ChannelFaults {
  private readonly failures: { failure: ChannelPostFailure; left: number }[] = [];
  private readonly nonces = new Map<string, { message: APIMessage; at: number }>();

  constructor(private readonly nonceWindowMs: number) {}

  add(failure: ChannelPostFailure): void {
    this.failures.push({ failure, left: failure.times ?? Infinity });
  }

  clear(): void {
    this.failures.length = 0;
  }

  /** The next injected failure for a post to this channel, used up once taken. */
  take(channelId: string): ChannelPostFailure | null {
    const entry = this.failures.find((f) => f.left > 0 && (f.failure.channelId === undefined || f.failure.channelId === channelId));
    if (!entry) return null;
    entry.left -= 1;
    return entry.failure;
  }

  /** 400 for a nonce Discord would refuse; null when it is fine or absent. */
  invalidNonce(nonce: unknown): RouteResult | null {
    if (nonce === undefined || nonce === null) return null;
    if ((typeof nonce === "string" && nonce.length <= MAX_NONCE) || (typeof nonce === "number" && Number.isInteger(nonce))) return null;
    return { status: 400, body: { message: "Invalid Form Body", code: 50035, errors: { nonce: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_NONCE} or fewer in length.` }] } } } };
  }

  /** With enforce_nonce: the message this author already created with this nonce, within the window. */
  earlier(channelId: string, authorId: string, nonce: unknown): APIMessage | null {
    const key = nonceText(nonce);
    if (key === null) return null;
    const seen = this.nonces.get(`${channelId}:${authorId}:${key}`);
    return seen && performance.now() - seen.at <= this.nonceWindowMs ? seen.message : null;
  }

  remember(message: APIMessage, nonce: unknown): void {
    const key = nonceText(nonce);
    if (key === null) return;
    message.nonce = typeof nonce === "number" ? nonce : key;
    this.nonces.set(`${message.channel_id}:${message.author.id}:${key}`, { message, at: performance.now() });
  }
}

function nonceText(nonce: unknown): string | null {
  if (typeof nonce === "string") return nonce;
  if (typeof nonce === "number") return String(nonce);
  return null;
}

/** The answer Discord gives for an injected failure. */
export function failureResult(failure: ChannelPostFailure): RouteResult {
  switch (failure.status) {
    case 403:
      return discordError(403, failure.code ?? 50013, failure.code === 50001 ? "Missing Access" : "Missing Permissions");
    case 404:
      return discordError(404, failure.code ?? 10003, "Unknown Channel");
    case 429: {
      const retryAfter = failure.retryAfterSeconds ?? 1;
      return {
        status: 429,
        body: { message: "You are being rate limited.", retry_after: retryAfter, global: false },
        headers: { "retry-after": String(retryAfter), "x-ratelimit-scope": "user" },
      };
    }
    default:
      return discordError(failure.status, 0, `${failure.status}: Internal Server Error`);
  }
}
