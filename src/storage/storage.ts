import { SqliteDigestStore } from "../digest/store-sqlite.js";
import type { DigestStore } from "../digest/store.js";
import { openDatabase, type Database } from "./db.js";
import { openPostgres, postgresLocation, type Pool } from "./postgres/pool.js";
import { PostgresDigestStore } from "./postgres/digest-store.js";
import { PostgresLibraryStore } from "./postgres/library-store.js";
import { ServerLibraryStore, type LibraryStore } from "./server-library-store.js";

/** The bot's state (the digest's and the server libraries'), in one database of either backend. */
export interface Storage {
  readonly backend: "sqlite" | "postgres";
  /** Where the state is, for logs and messages: a file, or a URL without its password. */
  readonly location: string;
  readonly digest: DigestStore;
  readonly library: LibraryStore;
  /** Resolves once the database has answered a query (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** DATABASE_URL (PostgreSQL) when set, else DATABASE_PATH (SQLite). */
export interface StorageConfig {
  databaseUrl?: string | undefined;
  databaseFile: string;
}

/**
 * Opens the state for either backend, migrated to this build's schema: PostgreSQL when a URL is
 * configured, else the SQLite file (created on first run). A database that cannot be used stops
 * start-up with a DatabaseError naming it.
 */
export async function openStorage(config: StorageConfig, options: { onIdleError?: (error: Error) => void } = {}): Promise<Storage> {
  if (config.databaseUrl !== undefined) return postgresStorage(await openPostgres(config.databaseUrl, options), postgresLocation(config.databaseUrl));
  return sqliteStorage(openDatabase(config.databaseFile), config.databaseFile);
}

/** Both stores on one open SQLite database (the embedded default, and the playground's). */
export function sqliteStorage(db: Database, location = db.name): Storage {
  return {
    backend: "sqlite",
    location,
    digest: new SqliteDigestStore(db),
    library: new ServerLibraryStore(db),
    ping: () =>
      new Promise<void>((resolve) => {
        db.prepare("SELECT 1").get();
        resolve();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        db.close();
        resolve();
      }),
  };
}

/** Both stores on a pool of PostgreSQL connections (already migrated: openPostgres). */
export function postgresStorage(pool: Pool, location: string): Storage {
  let closing: Promise<void> | undefined;
  return {
    backend: "postgres",
    location,
    digest: new PostgresDigestStore(pool),
    library: new PostgresLibraryStore(pool),
    ping: async () => {
      await pool.query("SELECT 1");
    },
    // pg refuses a second end(): closing twice waits for the first.
    close: () => (closing ??= pool.end()),
  };
}
