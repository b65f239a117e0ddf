import pg from "pg";
import { DatabaseError } from "../db.js";
import { MIGRATIONS, type Migration } from "../migrations.js";
import { migratePostgres } from "./migrate.js";

export type { Pool, PoolClient } from "pg";

const KEEP = "Agora never drops or rewrites a database it cannot use: fix it or point DATABASE_URL elsewhere, then start again.";

/** Where a URL points, for messages and logs: its password left out. */
export function postgresLocation(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable DATABASE_URL)";
  }
}

/** The password in a PostgreSQL URL, so the logger can redact it wherever it shows up. */
export function postgresPassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? undefined : password;
  } catch {
    return undefined;
  }
}

/**
 * A pool of connections to the PostgreSQL database at `url`, once it answers and its schema is
 * migrated (the same versions as SQLite's). A server that cannot be reached, refuses the login,
 * or holds a newer schema stops start-up with a DatabaseError naming it (password left out).
 */
export async function openPostgres(
  url: string,
  options: { migrations?: readonly Migration[]; max?: number; onIdleError?: (error: Error) => void } = {},
): Promise<pg.Pool> {
  const where = postgresLocation(url);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: "agora", connectionTimeoutMillis: 10_000 });
  // A connection dropped while idle (a server restart) must not crash the process: the pool replaces it.
  pool.on("error", (error) => options.onIdleError?.(error));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseError(`cannot reach the PostgreSQL database ${where}: ${describe(error)}`);
  }
  try {
    await migratePostgres(pool, options.migrations ?? MIGRATIONS);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseError(`the PostgreSQL database ${where} cannot be used: ${describe(error)}. ${KEEP}`);
  }
  return pool;
}

/**
 * Runs `work` in one transaction on one connection of the pool: committed when it resolves,
 * rolled back when it throws. A connection that failed mid-transaction is dropped, not reused.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || (error instanceof AggregateError ? error.errors.map((e) => describe(e)).join("; ") : error.name);
    return typeof code === "string" ? `${message} (${code})` : message;
  }
  return String(error);
}
