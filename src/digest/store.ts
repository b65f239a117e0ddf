import type { DigestContent, DigestPayload, LegacyReply } from "./content.js";

/**
 * The digest's tables (see src/storage/migrations.ts), behind typed queries. Times are epoch ms.
 * Two implementations: SQLite (./store-sqlite.ts, the embedded default) and PostgreSQL
 * (src/storage/postgres/digest-store.ts), which pass the same tests.
 */

export type RunStatus = "claimed" | "retrying" | "sent" | "failed" | "missed";

export interface DigestSettings {
  guildId: string;
  channelId: string;
  /** HH:MM in `timezone`. */
  time: string;
  timezone: string;
  topic: string | null;
  roleId: string | null;
  enabled: boolean;
  /** Set when Discord refused the post for good (403/404): no digest is posted until setup runs again. */
  pausedReason: string | null;
  lastError: string | null;
  lastErrorAt: number | null;
  createdAt: number;
  /** When the schedule last changed: runs scheduled before it are not caught up. */
  scheduleSince: number;
  updatedAt: number;
}

export interface DigestRun {
  guildId: string;
  localDate: string;
  status: RunStatus;
  channelId: string;
  nonce: string;
  /**
   * What the run posts, fixed at the claim: its content, which every attempt renders to the same
   * message, or for a run claimed before schema version 2 the message as rendered then.
   */
  payload: DigestPayload;
  citation: string | null;
  cycle: number;
  /** Articles first seen up to this instant are covered by this digest. */
  libraryUntil: number;
  messageId: string | null;
  error: string | null;
  attempts: number;
  nextAttemptAt: number | null;
  /** A process working on the run holds it until then; others leave it alone. */
  leaseUntil: number;
  claimedAt: number;
  sentAt: number | null;
}

/** A run about to be claimed: always with content (a rendered message is never stored). */
export type NewRun = Omit<DigestRun, "status" | "payload" | "messageId" | "error" | "attempts" | "nextAttemptAt" | "sentAt"> & { content: DigestContent };
export type SettingsInput = Pick<DigestSettings, "guildId" | "channelId" | "time" | "timezone" | "topic" | "roleId">;

/** A row as either driver returns it (PostgreSQL gives BIGINT columns as strings). */
export type Row = Record<string, string | number | null>;
const text = (value: string | number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));
export const num = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

export function toSettings(row: Row): DigestSettings {
  return {
    guildId: String(row["guild_id"]),
    channelId: String(row["channel_id"]),
    time: String(row["time"]),
    timezone: String(row["timezone"]),
    topic: text(row["topic"]),
    roleId: text(row["role_id"]),
    enabled: Number(row["enabled"]) === 1,
    pausedReason: text(row["paused_reason"]),
    lastError: text(row["last_error"]),
    lastErrorAt: num(row["last_error_at"]),
    createdAt: Number(row["created_at"]),
    scheduleSince: Number(row["schedule_since"]),
    updatedAt: Number(row["updated_at"]),
  };
}

/** The `content` column (data) or, for a row from before schema version 2, `legacy_reply`: exactly one is set. */
function toPayload(row: Row): DigestPayload {
  const content = row["content"];
  if (content !== null && content !== undefined) return { kind: "content", content: JSON.parse(String(content)) as DigestContent };
  return { kind: "legacy", reply: JSON.parse(String(row["legacy_reply"])) as LegacyReply };
}

export function toRun(row: Row): DigestRun {
  return {
    guildId: String(row["guild_id"]),
    localDate: String(row["local_date"]),
    status: String(row["status"]) as RunStatus,
    channelId: String(row["channel_id"]),
    nonce: String(row["nonce"]),
    payload: toPayload(row),
    citation: text(row["citation"]),
    cycle: Number(row["cycle"]),
    libraryUntil: Number(row["library_until"]),
    messageId: text(row["message_id"]),
    error: text(row["error"]),
    attempts: Number(row["attempts"]),
    nextAttemptAt: num(row["next_attempt_at"]),
    leaseUntil: Number(row["lease_until"]),
    claimedAt: Number(row["claimed_at"]),
    sentAt: num(row["sent_at"]),
  };
}

/**
 * The digest's state. Exactly-once rests on three statements that decide by themselves in either
 * backend, whatever other processes do at the same time: `claim` (an insert that loses to an
 * existing row), `reclaim` (an update that only matches a closed run) and `acquire` (an update
 * that only matches an open run whose lease has run out).
 */
export interface DigestStore {
  settings(guildId: string): Promise<DigestSettings | null>;
  allSettings(): Promise<DigestSettings[]>;
  /** Saves (or replaces) a server's digest, enabled and unpaused, its schedule starting now. */
  saveSettings(input: SettingsInput, now: number): Promise<DigestSettings>;
  disable(guildId: string, now: number): Promise<boolean>;
  /** Records an error; with `pause`, also stops the digest until setup runs again. */
  noteError(guildId: string, error: string, now: number, pause: boolean): Promise<void>;
  clearPause(guildId: string): Promise<void>;
  run(guildId: string, localDate: string): Promise<DigestRun | null>;
  /** Inserts a claimed run; null when the (server, date) row already exists. */
  claim(run: NewRun): Promise<DigestRun | null>;
  /** Claims a failed or missed run again (for /digest now), with freshly built content (a legacy message is dropped); null otherwise. */
  reclaim(run: NewRun): Promise<DigestRun | null>;
  /** Takes an open run whose lease has expired; false when another process holds it or it is closed. */
  acquire(guildId: string, localDate: string, now: number, leaseMs: number): Promise<boolean>;
  /** Records the posted message and the passage it used, in one transaction. */
  markSent(run: DigestRun, messageId: string, now: number): Promise<void>;
  markRetry(run: DigestRun, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  markClosed(run: DigestRun, status: "failed" | "missed", error: string, attempts?: number): Promise<void>;
  openRuns(): Promise<DigestRun[]>;
  /** The latest posted digest before a date (all dates when omitted). */
  lastSent(guildId: string, beforeDate?: string): Promise<DigestRun | null>;
  sentCount(guildId: string, beforeDate: string): Promise<number>;
  /** The current cycle of passages of the day before a date, and the passages used in it. */
  usedPassages(guildId: string, beforeDate: string): Promise<{ cycle: number; citations: Set<string> }>;
  /** Notes when each article was first seen; the library found on the very first start counts as old. */
  syncLibrary(articleIds: readonly string[], now: number): Promise<void>;
  /** Articles first seen after `from`, up to and including `until`. */
  articlesSeen(from: number, until: number): Promise<string[]>;
}
