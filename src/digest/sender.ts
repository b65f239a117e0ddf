import type { DigestPayload } from "./content.js";

/**
 * How the scheduler talks to Discord; tests pass their own to crash between claim and record.
 * The scheduler hands over data: the sender renders it (src/discord/digest-sender.ts), so this
 * layer never depends on how a message looks.
 */
export interface DigestSender {
  /** Renders and posts a run's digest with a nonce Discord enforces; resolves with the message id. */
  send(request: { channelId: string; nonce: string; payload: DigestPayload }): Promise<{ messageId: string }>;
  /**
   * Looks for a digest this bot already posted in the channel (found by its footer marker) among
   * its recent messages; `since` is when the run was claimed, before any attempt to send it.
   */
  findPosted(request: { channelId: string; marker: string; since: number }): Promise<PostedCheck>;
}

/** What the channel's recent history says about a digest. */
export interface PostedCheck {
  /** The digest's message id, or null when it was not among the messages read. */
  messageId: string | null;
  /**
   * Whether the read is proof: the history could be read and reaches back before `since`, so a
   * null means the digest is not there. False when Discord answered with an empty list that may
   * only mean no Read Message History, or when the channel is too busy to see back that far.
   */
  complete: boolean;
}

/**
 * How long Discord is counted on to honour `nonce` + `enforce_nonce` (answering a repeat with the
 * message it already made). Discord says "the past few minutes"; this stays well inside that.
 */
export const NONCE_WINDOW_MS = 2 * 60_000;

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
