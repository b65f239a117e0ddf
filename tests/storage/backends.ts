import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase } from "../../src/storage/db.js";
import type { Migration } from "../../src/storage/migrations.js";
import { openPostgres } from "../../src/storage/postgres/pool.js";
import { postgresStorage, sqliteStorage, type Storage } from "../../src/storage/storage.js";

/** One empty database of a backend, which any number of "processes" open. */
export interface TestDatabase {
  /** Where it is: the SQLite file, or the PostgreSQL URL (for child processes). */
  readonly location: string;
  /** A new connection (SQLite) or pool (PostgreSQL), as a process starting up opens it, migrated. */
  open(options?: { migrations?: readonly Migration[] }): Promise<Storage>;
  /** Runs SQL straight on the database, for seeding and checks; placeholders `$1`, `$2`… on either backend. */
  query(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The schema version the database is at (SQLite's user_version, PostgreSQL's schema_version). */
  schemaVersion(): Promise<number>;
  /** Closes everything opened on it and deletes it. */
  cleanup(): Promise<void>;
}

export interface Backend {
  name: "sqlite" | "postgres";
  /**
   * A new database. Empty on SQLite (each open() migrates it); on PostgreSQL a copy of one the
   * test server migrated once, unless `empty` (for tests of the migrations themselves).
   */
  create(options?: { empty?: boolean }): Promise<TestDatabase>;
}

/** SQLite: a real file in a fresh temporary folder. */
export const sqlite: Backend = {
  name: "sqlite",
  create() {
    const dir = mkdtempSync(path.join(tmpdir(), "agora-store-"));
    const file = path.join(dir, "data", "agora.sqlite");
    const opened: Storage[] = [];
    const open = (options: { migrations?: readonly Migration[] } = {}): Promise<Storage> => {
      const storage = sqliteStorage(openDatabase(file, options), file);
      opened.push(storage);
      return Promise.resolve(storage);
    };
    return Promise.resolve({
      location: file,
      open,
      query(sql, values = []) {
        // SQLite's `?` takes values in order: `$n` becomes `?` with its value at that place.
        const ordered = [...sql.matchAll(/\$(\d+)/g)].map((match) => values[Number(match[1]) - 1]);
        return withFile(file, (db) => {
          const statement = db.prepare(sql.replace(/\$\d+/g, "?"));
          return statement.reader ? (statement.all(...ordered) as Record<string, unknown>[]) : (statement.run(...ordered), []);
        });
      },
      schemaVersion: () => withFile(file, (db) => db.pragma("user_version", { simple: true }) as number),
      async cleanup() {
        for (const storage of opened) await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  },
};

/** Work on a connection of its own to a SQLite file, closed after, as a promise. */
function withFile<T>(file: string, work: (db: Database.Database) => T): Promise<T> {
  const db = new Database(file);
  try {
    return Promise.resolve(work(db));
  } finally {
    db.close();
  }
}

/** The test server's URL for another database on it. */
function urlOf(name: string): string {
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * PostgreSQL: a new database on the test server started by tests/storage/postgres-server.ts
 * (vitest globalSetup), dropped afterwards.
 */
export const postgres: Backend = {
  name: "postgres",
  async create(options = {}) {
    const name = `agora_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: inject("postgresUrl") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${options.empty ? "template0" : inject("postgresTemplate")} STRATEGY FILE_COPY`);
    await admin.end();
    const url = urlOf(name);
    const pools: pg.Pool[] = [];
    const raw = new pg.Pool({ connectionString: url, max: 2 });
    return {
      location: url,
      async open(options = {}) {
        const pool = await openPostgres(url, { max: 4, ...(options.migrations ? { migrations: options.migrations } : {}) });
        pools.push(pool);
        return postgresStorage(pool, name);
      },
      async query(sql, values = []) {
        return (await raw.query<Record<string, unknown>>(sql, values)).rows;
      },
      async schemaVersion() {
        const { rows } = await raw.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_version");
        return rows[0]?.v ?? 0;
      },
      async cleanup() {
        await Promise.all([...pools.map((pool) => pool.end().catch(() => undefined)), raw.end()]);
        const drop = new pg.Client({ connectionString: inject("postgresUrl") });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  },
};

export const BACKENDS: readonly Backend[] = [sqlite, postgres];
