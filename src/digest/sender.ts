import type { Reply } from "../discord/render.js";

/** How the scheduler talks to Discord; tests pass their own to crash between claim and record. */
export interface DigestSender {
  /** Posts the message with a nonce Discord enforces; resolves with the message id. */
  send(request: { channelId: string; nonce: string; reply: Reply }): Promise<{ messageId: string }>;
  /** The id of a digest this bot already posted in the channel (found by its footer marker), or null. */
  findPosted(request: { channelId: string; marker: string }): Promise<string | null>;
}

/**
 * Why a post failed: `permanent` (403/404: no access, channel gone; pauses the digest),
 * `transient` (429/5xx/network: retried with backoff), `invalid` (any other 4xx: not retried).
 */
export type SendFailureKind = "permanent" | "transient" | "invalid";

export class DigestSendError extends Error {
  override name = "DigestSendError";
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    readonly retryAfterMs = 0,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** An injectable clock: epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
