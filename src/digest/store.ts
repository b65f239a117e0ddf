import type { Statement } from "better-sqlite3";
import type { Database } from "../storage/db.js";
import type { DigestContent, DigestPayload, LegacyReply } from "./content.js";

/** The digest's tables (see src/storage/migrations.ts), behind typed queries. Times are epoch ms. */

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

type Row = Record<string, string | number | null>;
const text = (value: string | number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

function toSettings(row: Row): DigestSettings {
  return {
    guildId: String(row["guild_id"]),
    channelId: String(row["channel_id"]),
    time: String(row["time"]),
    timezone: String(row["timezone"]),
    topic: text(row["topic"]),
    roleId: text(row["role_id"]),
    enabled: row["enabled"] === 1,
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

function toRun(row: Row): DigestRun {
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

export class DigestStore {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  /** A prepared statement, prepared once per store. */
  private sql(source: string): Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE), so concurrent processes serialise. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  settings(guildId: string): DigestSettings | null {
    const row = this.sql("SELECT * FROM digest_settings WHERE guild_id = ?").get(guildId) as Row | undefined;
    return row ? toSettings(row) : null;
  }

  allSettings(): DigestSettings[] {
    return (this.sql("SELECT * FROM digest_settings ORDER BY guild_id").all() as Row[]).map(toSettings);
  }

  /** Saves (or replaces) a server's digest, enabled and unpaused, its schedule starting now. */
  saveSettings(input: SettingsInput, now: number): DigestSettings {
    this
      .sql(
        `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, topic, role_id, enabled, paused_reason, created_at, schedule_since, updated_at)
         VALUES (@guildId, @channelId, @time, @timezone, @topic, @roleId, 1, NULL, @now, @now, @now)
         ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time, timezone = excluded.timezone,
           topic = excluded.topic, role_id = excluded.role_id, enabled = 1, paused_reason = NULL,
           schedule_since = excluded.schedule_since, updated_at = excluded.updated_at`,
      )
      .run({ ...input, now });
    const saved = this.settings(input.guildId);
    if (!saved) throw new Error(`digest settings of ${input.guildId} were not saved`);
    return saved;
  }

  disable(guildId: string, now: number): boolean {
    return this.sql("UPDATE digest_settings SET enabled = 0, updated_at = ? WHERE guild_id = ?").run(now, guildId).changes > 0;
  }

  /** Records an error; with `pause`, also stops the digest until setup runs again. */
  noteError(guildId: string, error: string, now: number, pause: boolean): void {
    this
      .sql("UPDATE digest_settings SET last_error = ?, last_error_at = ?, paused_reason = CASE WHEN ? THEN ? ELSE paused_reason END WHERE guild_id = ?")
      .run(error, now, pause ? 1 : 0, error, guildId);
  }

  clearPause(guildId: string): void {
    this.sql("UPDATE digest_settings SET paused_reason = NULL WHERE guild_id = ?").run(guildId);
  }

  run(guildId: string, localDate: string): DigestRun | null {
    const row = this.sql("SELECT * FROM digest_runs WHERE guild_id = ? AND local_date = ?").get(guildId, localDate) as Row | undefined;
    return row ? toRun(row) : null;
  }

  /** Inserts a claimed run; false when the (server, date) row already exists. */
  claim(run: NewRun): boolean {
    const result = this
      .sql(
        `INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, citation, cycle, library_until, lease_until, claimed_at)
         VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(run.guildId, run.localDate, run.channelId, run.nonce, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.claimedAt);
    return result.changes === 1;
  }

  /** Claims a failed run of today again (for /digest now), with freshly built content (a legacy message is dropped). */
  reclaim(run: NewRun): boolean {
    const result = this
      .sql(
        `UPDATE digest_runs SET status = 'claimed', channel_id = ?, content = ?, legacy_reply = NULL, citation = ?, cycle = ?, library_until = ?, lease_until = ?,
           attempts = 0, next_attempt_at = NULL, error = NULL WHERE guild_id = ? AND local_date = ? AND status IN ('failed', 'missed')`,
      )
      .run(run.channelId, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.guildId, run.localDate);
    return result.changes === 1;
  }

  /** Takes an open run whose lease has expired; false when another process holds it or it is closed. */
  acquire(guildId: string, localDate: string, now: number, leaseMs: number): boolean {
    const result = this
      .sql("UPDATE digest_runs SET lease_until = ? WHERE guild_id = ? AND local_date = ? AND status IN ('claimed', 'retrying') AND lease_until <= ?")
      .run(now + leaseMs, guildId, localDate, now);
    return result.changes === 1;
  }

  /** Records the posted message and the passage it used, in one transaction. */
  markSent(run: DigestRun, messageId: string, now: number): void {
    this.transaction(() => {
      this
        .sql("UPDATE digest_runs SET status = 'sent', message_id = ?, sent_at = ?, error = NULL, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = ? AND local_date = ?")
        .run(messageId, now, run.guildId, run.localDate);
      if (run.citation !== null) {
        this
          .sql("INSERT OR IGNORE INTO digest_passages_used (guild_id, cycle, citation, local_date) VALUES (?, ?, ?, ?)")
          .run(run.guildId, run.cycle, run.citation, run.localDate);
      }
    });
  }

  markRetry(run: DigestRun, attempts: number, nextAttemptAt: number, error: string): void {
    this
      .sql("UPDATE digest_runs SET status = 'retrying', attempts = ?, next_attempt_at = ?, error = ?, lease_until = 0 WHERE guild_id = ? AND local_date = ?")
      .run(attempts, nextAttemptAt, error, run.guildId, run.localDate);
  }

  markClosed(run: DigestRun, status: "failed" | "missed", error: string, attempts = run.attempts): void {
    this
      .sql("UPDATE digest_runs SET status = ?, error = ?, attempts = ?, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = ? AND local_date = ?")
      .run(status, error, attempts, run.guildId, run.localDate);
  }

  openRuns(): DigestRun[] {
    return (this.sql("SELECT * FROM digest_runs WHERE status IN ('claimed', 'retrying') ORDER BY local_date, guild_id").all() as Row[]).map(toRun);
  }

  /** The latest posted digest before a date (all dates when omitted). */
  lastSent(guildId: string, beforeDate = "9999-12-31"): DigestRun | null {
    const row = this
      .sql("SELECT * FROM digest_runs WHERE guild_id = ? AND status = 'sent' AND local_date < ? ORDER BY local_date DESC LIMIT 1")
      .get(guildId, beforeDate) as Row | undefined;
    return row ? toRun(row) : null;
  }

  sentCount(guildId: string, beforeDate: string): number {
    const row = this.sql("SELECT count(*) AS n FROM digest_runs WHERE guild_id = ? AND status = 'sent' AND local_date < ?").get(guildId, beforeDate) as Row;
    return Number(row["n"]);
  }

  /** The current cycle of passages of the day before a date, and the passages used in it. */
  usedPassages(guildId: string, beforeDate: string): { cycle: number; citations: Set<string> } {
    const top = this.sql("SELECT max(cycle) AS c FROM digest_passages_used WHERE guild_id = ? AND local_date < ?").get(guildId, beforeDate) as Row;
    const cycle = num(top["c"]) ?? 0;
    const rows = this
      .sql("SELECT citation FROM digest_passages_used WHERE guild_id = ? AND cycle = ? AND local_date < ?")
      .all(guildId, cycle, beforeDate) as Row[];
    return { cycle, citations: new Set(rows.map((r) => String(r["citation"]))) };
  }

  /** Notes when each article was first seen; the library found on the very first start counts as old. */
  syncLibrary(articleIds: readonly string[], now: number): void {
    this.transaction(() => {
      const empty = (this.sql("SELECT count(*) AS n FROM library_articles").get() as Row)["n"] === 0;
      const insert = this.sql("INSERT OR IGNORE INTO library_articles (article_id, first_seen) VALUES (?, ?)");
      for (const id of articleIds) insert.run(id, empty ? 0 : now);
    });
  }

  /** Articles first seen after `from`, up to and including `until`. */
  articlesSeen(from: number, until: number): string[] {
    const rows = this.sql("SELECT article_id FROM library_articles WHERE first_seen > ? AND first_seen <= ? ORDER BY first_seen, article_id").all(from, until) as Row[];
    return rows.map((r) => String(r["article_id"]));
  }
}
