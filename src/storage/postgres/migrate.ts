import type { Pool, PoolClient } from "pg";
import { MIGRATIONS, MigrationError, type Migration } from "../migrations.js";

/** Any 64-bit number both processes agree on: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_140_212_016;

/**
 * Applies every migration newer than the database's version, the PostgreSQL statements of the
 * same versioned scheme SQLite uses. The version is a row per applied migration in
 * `schema_version` (SQLite keeps it in `PRAGMA user_version`). Each migration runs in its own
 * transaction; processes starting at once take turns on an advisory lock, so each version runs
 * once. A database from a newer build is refused, never downgraded.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const client = await pool.connect();
  let broken: unknown;
  try {
    // Up to date (every start but the first after an upgrade): one read, no lock, no DDL, so the
    // processes of a sharded bot starting together do not queue behind each other.
    const current = await readVersion(client);
    if (current === latest) return { from: current, to: current };
    // Held by this session: released below, or by PostgreSQL if the process dies.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_version (
           version    INTEGER PRIMARY KEY,
           name       TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const from = (await readVersion(client)) ?? 0;
      if (from > latest) {
        throw new MigrationError(`the database has schema version ${from}, but this build of Agora only knows up to ${latest}: it was written by a newer version`);
      }
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (migration.version <= from) continue;
        if (migration.postgres === undefined) throw new MigrationError(`migration ${migration.version} (${migration.name}) has no PostgreSQL statements`);
        await client.query("BEGIN");
        try {
          await client.query(migration.postgres);
          await client.query("INSERT INTO schema_version (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
      return { from, to: Math.max(from, latest) };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } catch (error) {
    broken = error;
    throw error;
  } finally {
    // After a failure the connection may be mid-transaction or gone: the pool drops it.
    client.release(broken !== undefined);
  }
}

/** The schema version a PostgreSQL database is at: null before any migration (no schema_version table). */
async function readVersion(client: PoolClient): Promise<number | null> {
  const present = await client.query<{ present: boolean }>("SELECT to_regclass('schema_version') IS NOT NULL AS present");
  if (present.rows[0]?.present !== true) return null;
  const { rows } = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_version");
  return rows[0]?.v ?? 0;
}
