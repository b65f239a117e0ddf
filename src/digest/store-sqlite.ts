import type { Statement } from "better-sqlite3";
import { preparedStatements, settle, type Database } from "../storage/db.js";
import { num, toRun, toSettings, type DigestRun, type DigestSettings, type DigestStore, type NewRun, type Row, type SettingsInput } from "./store.js";

/**
 * The digest's state in the SQLite file. better-sqlite3 is synchronous: each method does its
 * work at once and settles its promise, and a write that must be atomic is one statement or one
 * write transaction (BEGIN IMMEDIATE), so processes sharing the file serialise.
 */
export class SqliteDigestStore implements DigestStore {
  /** A prepared statement, prepared once per store. */
  private readonly sql: (source: string) => Statement;

  constructor(readonly db: Database) {
    this.sql = preparedStatements(db);
  }

  private getSettings(guildId: string): DigestSettings | null {
    const row = this.sql("SELECT * FROM digest_settings WHERE guild_id = ?").get(guildId) as Row | undefined;
    return row ? toSettings(row) : null;
  }

  private getRun(guildId: string, localDate: string): DigestRun | null {
    const row = this.sql("SELECT * FROM digest_runs WHERE guild_id = ? AND local_date = ?").get(guildId, localDate) as Row | undefined;
    return row ? toRun(row) : null;
  }

  settings(guildId: string): Promise<DigestSettings | null> {
    return settle(() => this.getSettings(guildId));
  }

  allSettings(): Promise<DigestSettings[]> {
    return settle(() => (this.sql("SELECT * FROM digest_settings ORDER BY guild_id").all() as Row[]).map(toSettings));
  }

  saveSettings(input: SettingsInput, now: number): Promise<DigestSettings> {
    return settle(() => {
      this.sql(
        `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, topic, role_id, enabled, paused_reason, created_at, schedule_since, updated_at)
         VALUES (@guildId, @channelId, @time, @timezone, @topic, @roleId, 1, NULL, @now, @now, @now)
         ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time, timezone = excluded.timezone,
           topic = excluded.topic, role_id = excluded.role_id, enabled = 1, paused_reason = NULL,
           schedule_since = excluded.schedule_since, updated_at = excluded.updated_at`,
      ).run({ ...input, now });
      const saved = this.getSettings(input.guildId);
      if (!saved) throw new Error(`digest settings of ${input.guildId} were not saved`);
      return saved;
    });
  }

  disable(guildId: string, now: number): Promise<boolean> {
    return settle(() => this.sql("UPDATE digest_settings SET enabled = 0, updated_at = ? WHERE guild_id = ?").run(now, guildId).changes > 0);
  }

  noteError(guildId: string, error: string, now: number, pause: boolean): Promise<void> {
    return settle(() => {
      this.sql("UPDATE digest_settings SET last_error = ?, last_error_at = ?, paused_reason = CASE WHEN ? THEN ? ELSE paused_reason END WHERE guild_id = ?").run(error, now, pause ? 1 : 0, error, guildId);
    });
  }

  clearPause(guildId: string): Promise<void> {
    return settle(() => {
      this.sql("UPDATE digest_settings SET paused_reason = NULL WHERE guild_id = ?").run(guildId);
    });
  }

  run(guildId: string, localDate: string): Promise<DigestRun | null> {
    return settle(() => this.getRun(guildId, localDate));
  }

  claim(run: NewRun): Promise<DigestRun | null> {
    return settle(() => {
      const row = this.sql(
        `INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, citation, cycle, library_until, lease_until, claimed_at)
         VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      ).get(run.guildId, run.localDate, run.channelId, run.nonce, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.claimedAt) as Row | undefined;
      return row ? toRun(row) : null;
    });
  }

  reclaim(run: NewRun): Promise<DigestRun | null> {
    return settle(() => {
      const row = this.sql(
        `UPDATE digest_runs SET status = 'claimed', channel_id = ?, content = ?, legacy_reply = NULL, citation = ?, cycle = ?, library_until = ?, lease_until = ?,
           attempts = 0, next_attempt_at = NULL, error = NULL WHERE guild_id = ? AND local_date = ? AND status IN ('failed', 'missed') RETURNING *`,
      ).get(run.channelId, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.guildId, run.localDate) as Row | undefined;
      return row ? toRun(row) : null;
    });
  }

  acquire(guildId: string, localDate: string, now: number, leaseMs: number): Promise<boolean> {
    return settle(
      () =>
        this.sql("UPDATE digest_runs SET lease_until = ? WHERE guild_id = ? AND local_date = ? AND status IN ('claimed', 'retrying') AND lease_until <= ?").run(now + leaseMs, guildId, localDate, now)
          .changes === 1,
    );
  }

  markSent(run: DigestRun, messageId: string, now: number): Promise<void> {
    return settle(() => {
      this.db
        .transaction(() => {
          this.sql("UPDATE digest_runs SET status = 'sent', message_id = ?, sent_at = ?, error = NULL, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = ? AND local_date = ?").run(
            messageId,
            now,
            run.guildId,
            run.localDate,
          );
          if (run.citation !== null) {
            this.sql("INSERT OR IGNORE INTO digest_passages_used (guild_id, cycle, citation, local_date) VALUES (?, ?, ?, ?)").run(run.guildId, run.cycle, run.citation, run.localDate);
          }
        })
        .immediate();
    });
  }

  markRetry(run: DigestRun, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return settle(() => {
      this.sql("UPDATE digest_runs SET status = 'retrying', attempts = ?, next_attempt_at = ?, error = ?, lease_until = 0 WHERE guild_id = ? AND local_date = ?").run(
        attempts,
        nextAttemptAt,
        error,
        run.guildId,
        run.localDate,
      );
    });
  }

  markClosed(run: DigestRun, status: "failed" | "missed", error: string, attempts = run.attempts): Promise<void> {
    return settle(() => {
      this.sql("UPDATE digest_runs SET status = ?, error = ?, attempts = ?, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = ? AND local_date = ?").run(status, error, attempts, run.guildId, run.localDate);
    });
  }

  openRuns(): Promise<DigestRun[]> {
    return settle(() => (this.sql("SELECT * FROM digest_runs WHERE status IN ('claimed', 'retrying') ORDER BY local_date, guild_id").all() as Row[]).map(toRun));
  }

  lastSent(guildId: string, beforeDate = "9999-12-31"): Promise<DigestRun | null> {
    return settle(() => {
      const row = this.sql("SELECT * FROM digest_runs WHERE guild_id = ? AND status = 'sent' AND local_date < ? ORDER BY local_date DESC LIMIT 1").get(guildId, beforeDate) as Row | undefined;
      return row ? toRun(row) : null;
    });
  }

  sentCount(guildId: string, beforeDate: string): Promise<number> {
    return settle(() => Number((this.sql("SELECT count(*) AS n FROM digest_runs WHERE guild_id = ? AND status = 'sent' AND local_date < ?").get(guildId, beforeDate) as Row)["n"]));
  }

  usedPassages(guildId: string, beforeDate: string): Promise<{ cycle: number; citations: Set<string> }> {
    return settle(() => {
      const top = this.sql("SELECT max(cycle) AS c FROM digest_passages_used WHERE guild_id = ? AND local_date < ?").get(guildId, beforeDate) as Row;
      const cycle = num(top["c"]) ?? 0;
      const rows = this.sql("SELECT citation FROM digest_passages_used WHERE guild_id = ? AND cycle = ? AND local_date < ?").all(guildId, cycle, beforeDate) as Row[];
      return { cycle, citations: new Set(rows.map((r) => String(r["citation"]))) };
    });
  }

  syncLibrary(articleIds: readonly string[], now: number): Promise<void> {
    return settle(() => {
      this.db
        .transaction(() => {
          const empty = (this.sql("SELECT count(*) AS n FROM library_articles").get() as Row)["n"] === 0;
          const insert = this.sql("INSERT OR IGNORE INTO library_articles (article_id, first_seen) VALUES (?, ?)");
          for (const id of articleIds) insert.run(id, empty ? 0 : now);
        })
        .immediate();
    });
  }

  articlesSeen(from: number, until: number): Promise<string[]> {
    return settle(() => {
      const rows = this.sql("SELECT article_id FROM library_articles WHERE first_seen > ? AND first_seen <= ? ORDER BY first_seen, article_id").all(from, until) as Row[];
      return rows.map((r) => String(r["article_id"]));
    });
  }
}
