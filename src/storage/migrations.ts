import type Database from "better-sqlite3";

/**
 * Schema migrations, versioned in code, one scheme for both backends. Each version runs once, in
 * its own transaction: `sql` on SQLite, leaving its version in `PRAGMA user_version`, and
 * `postgres` on PostgreSQL (src/storage/postgres/migrate.ts), leaving it in `schema_version`. The
 * two statement sets of a version make the same tables, columns and constraints, each in its own
 * types. A database from a newer build is refused, never downgraded. Append new migrations at the
 * end; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  /** SQLite. */
  sql: string;
  /** PostgreSQL: the same schema change. A migration without it cannot run on PostgreSQL. */
  postgres?: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "daily digest: server settings, runs, passages used, library",
    sql: `
      CREATE TABLE digest_settings (
        guild_id       TEXT PRIMARY KEY,
        channel_id     TEXT NOT NULL,
        time           TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
        timezone       TEXT NOT NULL,
        topic          TEXT,
        role_id        TEXT,
        enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        paused_reason  TEXT,
        last_error     TEXT,
        last_error_at  INTEGER,
        created_at     INTEGER NOT NULL,
        schedule_since INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE digest_runs (
        guild_id        TEXT NOT NULL,
        local_date      TEXT NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
        status          TEXT NOT NULL CHECK (status IN ('claimed', 'retrying', 'sent', 'failed', 'missed')),
        channel_id      TEXT NOT NULL,
        nonce           TEXT NOT NULL,
        payload         TEXT NOT NULL,
        citation        TEXT,
        cycle           INTEGER NOT NULL DEFAULT 0,
        library_until   INTEGER NOT NULL,
        message_id      TEXT,
        error           TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        lease_until     INTEGER NOT NULL DEFAULT 0,
        claimed_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        PRIMARY KEY (guild_id, local_date)
      ) STRICT;
      CREATE INDEX digest_runs_open ON digest_runs (status) WHERE status IN ('claimed', 'retrying');

      CREATE TABLE digest_passages_used (
        guild_id   TEXT NOT NULL,
        cycle      INTEGER NOT NULL,
        citation   TEXT NOT NULL,
        local_date TEXT NOT NULL,
        PRIMARY KEY (guild_id, cycle, citation)
      ) STRICT;

      CREATE TABLE library_articles (
        article_id TEXT PRIMARY KEY,
        first_seen INTEGER NOT NULL
      ) STRICT;
    `,
    // Times are epoch milliseconds (BIGINT, as SQLite's 64-bit INTEGER); GLOB patterns become anchored
    // regular expressions; dates compare byte by byte (COLLATE "C") as SQLite compares text.
    postgres: `
      CREATE TABLE digest_settings (
        guild_id       TEXT PRIMARY KEY,
        channel_id     TEXT NOT NULL,
        time           TEXT NOT NULL CHECK (time ~ '^[0-2][0-9]:[0-5][0-9]$'),
        timezone       TEXT NOT NULL,
        topic          TEXT,
        role_id        TEXT,
        enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        paused_reason  TEXT,
        last_error     TEXT,
        last_error_at  BIGINT,
        created_at     BIGINT NOT NULL,
        schedule_since BIGINT NOT NULL,
        updated_at     BIGINT NOT NULL
      );

      CREATE TABLE digest_runs (
        guild_id        TEXT NOT NULL,
        local_date      TEXT COLLATE "C" NOT NULL CHECK (local_date ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'),
        status          TEXT NOT NULL CHECK (status IN ('claimed', 'retrying', 'sent', 'failed', 'missed')),
        channel_id      TEXT NOT NULL,
        nonce           TEXT NOT NULL,
        payload         TEXT NOT NULL,
        citation        TEXT,
        cycle           BIGINT NOT NULL DEFAULT 0,
        library_until   BIGINT NOT NULL,
        message_id      TEXT,
        error           TEXT,
        attempts        BIGINT NOT NULL DEFAULT 0,
        next_attempt_at BIGINT,
        lease_until     BIGINT NOT NULL DEFAULT 0,
        claimed_at      BIGINT NOT NULL,
        sent_at         BIGINT,
        PRIMARY KEY (guild_id, local_date)
      );
      CREATE INDEX digest_runs_open ON digest_runs (status) WHERE status IN ('claimed', 'retrying');

      CREATE TABLE digest_passages_used (
        guild_id   TEXT NOT NULL,
        cycle      BIGINT NOT NULL,
        citation   TEXT NOT NULL,
        local_date TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (guild_id, cycle, citation)
      );

      CREATE TABLE library_articles (
        article_id TEXT PRIMARY KEY,
        first_seen BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "daily digest runs store their content as data, not a rendered Discord message",
    // `payload` held the rendered message (a Discord reply as JSON), so a change to rendering
    // changed what crash recovery re-sent. A run now stores its content (citations, ids, the
    // words as quoted) in `content`, and the Discord layer renders it at each attempt. A rendered
    // message cannot be turned back into data, so every row from before keeps its message in
    // `legacy_reply`, re-sent (and previewed) exactly as stored: a run claimed before the upgrade
    // still resumes with the same bytes and its nonce. Only such rows have it; exactly one of the
    // two columns is set. SQLite cannot drop NOT NULL in place: the table is rebuilt.
    sql: `
      CREATE TABLE digest_runs_v2 (
        guild_id        TEXT NOT NULL,
        local_date      TEXT NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
        status          TEXT NOT NULL CHECK (status IN ('claimed', 'retrying', 'sent', 'failed', 'missed')),
        channel_id      TEXT NOT NULL,
        nonce           TEXT NOT NULL,
        content         TEXT CHECK (content IS NULL OR json_valid(content)),
        legacy_reply    TEXT,
        citation        TEXT,
        cycle           INTEGER NOT NULL DEFAULT 0,
        library_until   INTEGER NOT NULL,
        message_id      TEXT,
        error           TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        lease_until     INTEGER NOT NULL DEFAULT 0,
        claimed_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        PRIMARY KEY (guild_id, local_date),
        CHECK ((content IS NULL) <> (legacy_reply IS NULL))
      ) STRICT;

      INSERT INTO digest_runs_v2 (guild_id, local_date, status, channel_id, nonce, content, legacy_reply, citation, cycle, library_until,
                                  message_id, error, attempts, next_attempt_at, lease_until, claimed_at, sent_at)
        SELECT guild_id, local_date, status, channel_id, nonce, NULL, payload, citation, cycle, library_until,
               message_id, error, attempts, next_attempt_at, lease_until, claimed_at, sent_at
        FROM digest_runs;

      DROP TABLE digest_runs;
      ALTER TABLE digest_runs_v2 RENAME TO digest_runs;
      CREATE INDEX digest_runs_open ON digest_runs (status) WHERE status IN ('claimed', 'retrying');
    `,
    // PostgreSQL changes the table in place (its index stays); a cast to json accepts what json_valid does.
    postgres: `
      ALTER TABLE digest_runs RENAME COLUMN payload TO legacy_reply;
      ALTER TABLE digest_runs ALTER COLUMN legacy_reply DROP NOT NULL;
      ALTER TABLE digest_runs ADD COLUMN content TEXT CHECK (content IS NULL OR content::json IS NOT NULL);
      ALTER TABLE digest_runs ADD CHECK ((content IS NULL) <> (legacy_reply IS NULL));
    `,
  },
  {
    version: 3,
    name: "server libraries: articles a server added, and who may add them",
    // An article is stored as the corpus file it would be (front matter + body), so the loader's
    // validation applies unchanged and an export writes it back out byte for byte. A removed
    // article keeps its row without its text: its citations can then say it was removed.
    sql: `
      CREATE TABLE server_articles (
        guild_id   TEXT NOT NULL,
        article_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        source     TEXT,
        bytes      INTEGER NOT NULL CHECK (bytes >= 0),
        added_by   TEXT NOT NULL,
        added_at   INTEGER NOT NULL,
        removed_at INTEGER,
        PRIMARY KEY (guild_id, article_id),
        CHECK ((source IS NULL) = (removed_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX server_articles_added ON server_articles (guild_id, added_at);

      CREATE TABLE server_library_settings (
        guild_id       TEXT PRIMARY KEY,
        editor_role_id TEXT,
        updated_at     INTEGER NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE server_articles (
        guild_id   TEXT NOT NULL,
        article_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        source     TEXT,
        bytes      BIGINT NOT NULL CHECK (bytes >= 0),
        added_by   TEXT NOT NULL,
        added_at   BIGINT NOT NULL,
        removed_at BIGINT,
        PRIMARY KEY (guild_id, article_id),
        CHECK ((source IS NULL) = (removed_at IS NOT NULL))
      );
      CREATE INDEX server_articles_added ON server_articles (guild_id, added_at);

      CREATE TABLE server_library_settings (
        guild_id       TEXT PRIMARY KEY,
        editor_role_id TEXT,
        updated_at     BIGINT NOT NULL
      );
    `,
  },
];

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Applies every migration newer than the database's version; returns the versions before and after. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > latest) {
    throw new MigrationError(`the database has schema version ${from}, but this build of Agora only knows up to ${latest}: it was written by a newer version`);
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
