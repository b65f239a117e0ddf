import { num, toRun, toSettings, type DigestRun, type DigestSettings, type DigestStore, type NewRun, type Row, type SettingsInput } from "../../digest/store.js";
import { inTransaction, type Pool } from "./pool.js";

/**
 * The digest's state in PostgreSQL, shared by every process and host of the bot. What SQLite
 * decides with BEGIN IMMEDIATE, PostgreSQL decides row by row: a claim is an INSERT … ON CONFLICT
 * DO NOTHING (a concurrent insert of the same key waits for the first and then loses), a
 * reclaim or lease an UPDATE whose WHERE is checked again on the row as committed by whoever
 * held it (READ COMMITTED re-evaluates it after the lock wait). Statements that belong together
 * run in one transaction.
 */
export class PostgresDigestStore implements DigestStore {
  constructor(readonly pool: Pool) {}

  private async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, values)).rows;
  }

  private async changed(sql: string, values: unknown[]): Promise<number> {
    return (await this.pool.query(sql, values)).rowCount ?? 0;
  }

  async settings(guildId: string): Promise<DigestSettings | null> {
    const [row] = await this.rows("SELECT * FROM digest_settings WHERE guild_id = $1", [guildId]);
    return row ? toSettings(row) : null;
  }

  async allSettings(): Promise<DigestSettings[]> {
    return (await this.rows("SELECT * FROM digest_settings ORDER BY guild_id")).map(toSettings);
  }

  async saveSettings(input: SettingsInput, now: number): Promise<DigestSettings> {
    const [row] = await this.rows(
      `INSERT INTO digest_settings (guild_id, channel_id, time, timezone, topic, role_id, enabled, paused_reason, created_at, schedule_since, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, NULL, $7, $7, $7)
       ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time, timezone = excluded.timezone,
         topic = excluded.topic, role_id = excluded.role_id, enabled = 1, paused_reason = NULL,
         schedule_since = excluded.schedule_since, updated_at = excluded.updated_at
       RETURNING *`,
      [input.guildId, input.channelId, input.time, input.timezone, input.topic, input.roleId, now],
    );
    if (!row) throw new Error(`digest settings of ${input.guildId} were not saved`);
    return toSettings(row);
  }

  async disable(guildId: string, now: number): Promise<boolean> {
    return (await this.changed("UPDATE digest_settings SET enabled = 0, updated_at = $1 WHERE guild_id = $2", [now, guildId])) > 0;
  }

  async noteError(guildId: string, error: string, now: number, pause: boolean): Promise<void> {
    await this.pool.query("UPDATE digest_settings SET last_error = $1, last_error_at = $2, paused_reason = CASE WHEN $3::boolean THEN $1 ELSE paused_reason END WHERE guild_id = $4", [
      error,
      now,
      pause,
      guildId,
    ]);
  }

  async clearPause(guildId: string): Promise<void> {
    await this.pool.query("UPDATE digest_settings SET paused_reason = NULL WHERE guild_id = $1", [guildId]);
  }

  async run(guildId: string, localDate: string): Promise<DigestRun | null> {
    const [row] = await this.rows("SELECT * FROM digest_runs WHERE guild_id = $1 AND local_date = $2", [guildId, localDate]);
    return row ? toRun(row) : null;
  }

  async claim(run: NewRun): Promise<DigestRun | null> {
    const [row] = await this.rows(
      `INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, citation, cycle, library_until, lease_until, claimed_at)
       VALUES ($1, $2, 'claimed', $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING *`,
      [run.guildId, run.localDate, run.channelId, run.nonce, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.claimedAt],
    );
    return row ? toRun(row) : null;
  }

  async reclaim(run: NewRun): Promise<DigestRun | null> {
    const [row] = await this.rows(
      `UPDATE digest_runs SET status = 'claimed', channel_id = $1, content = $2, legacy_reply = NULL, citation = $3, cycle = $4, library_until = $5, lease_until = $6,
         attempts = 0, next_attempt_at = NULL, error = NULL WHERE guild_id = $7 AND local_date = $8 AND status IN ('failed', 'missed') RETURNING *`,
      [run.channelId, JSON.stringify(run.content), run.citation, run.cycle, run.libraryUntil, run.leaseUntil, run.guildId, run.localDate],
    );
    return row ? toRun(row) : null;
  }

  async acquire(guildId: string, localDate: string, now: number, leaseMs: number): Promise<boolean> {
    const changed = await this.changed(
      "UPDATE digest_runs SET lease_until = $1 WHERE guild_id = $2 AND local_date = $3 AND status IN ('claimed', 'retrying') AND lease_until <= $4",
      [now + leaseMs, guildId, localDate, now],
    );
    return changed === 1;
  }

  async markSent(run: DigestRun, messageId: string, now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query("UPDATE digest_runs SET status = 'sent', message_id = $1, sent_at = $2, error = NULL, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = $3 AND local_date = $4", [
        messageId,
        now,
        run.guildId,
        run.localDate,
      ]);
      if (run.citation !== null) {
        await client.query("INSERT INTO digest_passages_used (guild_id, cycle, citation, local_date) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [run.guildId, run.cycle, run.citation, run.localDate]);
      }
    });
  }

  async markRetry(run: DigestRun, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.pool.query("UPDATE digest_runs SET status = 'retrying', attempts = $1, next_attempt_at = $2, error = $3, lease_until = 0 WHERE guild_id = $4 AND local_date = $5", [
      attempts,
      nextAttemptAt,
      error,
      run.guildId,
      run.localDate,
    ]);
  }

  async markClosed(run: DigestRun, status: "failed" | "missed", error: string, attempts = run.attempts): Promise<void> {
    await this.pool.query("UPDATE digest_runs SET status = $1, error = $2, attempts = $3, next_attempt_at = NULL, lease_until = 0 WHERE guild_id = $4 AND local_date = $5", [
      status,
      error,
      attempts,
      run.guildId,
      run.localDate,
    ]);
  }

  async openRuns(): Promise<DigestRun[]> {
    return (await this.rows("SELECT * FROM digest_runs WHERE status IN ('claimed', 'retrying') ORDER BY local_date, guild_id")).map(toRun);
  }

  async lastSent(guildId: string, beforeDate = "9999-12-31"): Promise<DigestRun | null> {
    const [row] = await this.rows("SELECT * FROM digest_runs WHERE guild_id = $1 AND status = 'sent' AND local_date < $2 ORDER BY local_date DESC LIMIT 1", [guildId, beforeDate]);
    return row ? toRun(row) : null;
  }

  async sentCount(guildId: string, beforeDate: string): Promise<number> {
    const [row] = await this.rows("SELECT count(*) AS n FROM digest_runs WHERE guild_id = $1 AND status = 'sent' AND local_date < $2", [guildId, beforeDate]);
    return Number(row?.["n"] ?? 0);
  }

  async usedPassages(guildId: string, beforeDate: string): Promise<{ cycle: number; citations: Set<string> }> {
    const [top] = await this.rows("SELECT max(cycle) AS c FROM digest_passages_used WHERE guild_id = $1 AND local_date < $2", [guildId, beforeDate]);
    const cycle = num(top?.["c"]) ?? 0;
    const rows = await this.rows("SELECT citation FROM digest_passages_used WHERE guild_id = $1 AND cycle = $2 AND local_date < $3", [guildId, cycle, beforeDate]);
    return { cycle, citations: new Set(rows.map((r) => String(r["citation"]))) };
  }

  async syncLibrary(articleIds: readonly string[], now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // As BEGIN IMMEDIATE does for SQLite: one process at a time decides whether this is the first start.
      await client.query("LOCK TABLE library_articles IN SHARE ROW EXCLUSIVE MODE");
      const { rows } = await client.query<{ empty: boolean }>("SELECT NOT EXISTS (SELECT 1 FROM library_articles) AS empty");
      const seen = rows[0]?.empty === true ? 0 : now;
      await client.query("INSERT INTO library_articles (article_id, first_seen) SELECT id, $2 FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING", [[...articleIds], seen]);
    });
  }

  async articlesSeen(from: number, until: number): Promise<string[]> {
    const rows = await this.rows(`SELECT article_id FROM library_articles WHERE first_seen > $1 AND first_seen <= $2 ORDER BY first_seen, article_id COLLATE "C"`, [from, until]);
    return rows.map((r) => String(r["article_id"]));
  }
}
