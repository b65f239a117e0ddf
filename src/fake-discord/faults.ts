// Injected failures: 5xx bursts on any REST route; message nonces and failures for POST /channels/:id/messages.
import type { APIMessage } from "discord.js";
import { discordError, matchPath } from "./server.js";
import type { RouteResult } from "./server.js";
import type { ChannelPostFailure, RecordedRequest, RestFailure } from "./types.js";

/** 5xx bursts on REST routes, each used up by the requests it matches. */
export class RestFaults {
  private readonly failures: { failure: RestFailure; left: number }[] = [];

  add(failure: RestFailure): void {
    this.failures.push({ failure, left: failure.times ?? 1 });
  }

  clear(): void {
    this.failures.length = 0;
  }

  /** The error answer this request meets (used up once taken) and whether the route runs first; null when none is left for it. */
  take(request: RecordedRequest): { result: RouteResult; afterHandling: boolean } | null {
    const entry = this.failures.find(
      ({ failure, left }) =>
        left > 0 &&
        (failure.method === undefined || failure.method.toUpperCase() === request.method) &&
        (failure.path === undefined || matchPath(failure.path, request.path) !== null),
    );
    if (!entry) return null;
    entry.left -= 1;
    const { status, afterHandling = false } = entry.failure;
    return { result: discordError(status, 0, `${status}: ${SERVER_ERRORS[status]}`), afterHandling };
  }
}

const SERVER_ERRORS: Record<RestFailure["status"], string> = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

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
