import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig } from "../../src/config.js";
import { DatabaseError } from "../../src/storage/db.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { openPostgres } from "../../src/storage/postgres/pool.js";
import { openStorage } from "../../src/storage/storage.js";
import { postgres, sqlite, type TestDatabase } from "./backends.js";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
/** A new database; on PostgreSQL an empty one (not the migrated template), so the migrations run here. */
async function fresh(backend = postgres): Promise<TestDatabase> {
  const db = await backend.create({ empty: true });
  cleanups.push(() => db.cleanup());
  return db;
}

/** Every table's columns, by name, as each backend describes its schema. */
async function sqliteColumns(db: TestDatabase): Promise<Record<string, string[]>> {
  const tables = await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, string[]> = {};
  for (const { name } of tables) out[String(name)] = (await db.query(`SELECT name FROM pragma_table_info('${String(name)}')`)).map((c) => String(c["name"])).sort();
  return out;
}
async function postgresColumns(db: TestDatabase): Promise<Record<string, string[]>> {
  const rows = await db.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_version' ORDER BY table_name, column_name");
  const out: Record<string, string[]> = {};
  for (const row of rows) (out[String(row["table_name"])] ??= []).push(String(row["column_name"]));
  for (const columns of Object.values(out)) columns.sort();
  return out;
}

describe("PostgreSQL migrations: the same versions as SQLite", () => {
  it("give the same tables and columns as SQLite at every version, and record each version once", async () => {
    const [lite, pg] = await Promise.all([fresh(sqlite), fresh(postgres)]);
    for (const version of MIGRATIONS.map((m) => m.version)) {
      const upTo = MIGRATIONS.filter((m) => m.version <= version);
      await (await lite.open({ migrations: upTo })).close();
      await (await pg.open({ migrations: upTo })).close();
      expect(await pg.schemaVersion()).toBe(version);
      expect(await lite.schemaVersion()).toBe(version);
      expect(await postgresColumns(pg)).toEqual(await sqliteColumns(lite));
    }
    expect(await pg.query("SELECT version, name FROM schema_version ORDER BY version")).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const indexes = await pg.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname IN ('digest_runs_open', 'server_articles_added') ORDER BY indexname");
    expect(indexes.map((i) => i["indexname"])).toEqual(["digest_runs_open", "server_articles_added"]);
  });

  it("enforce the same constraints: one of content and legacy_reply, content as JSON, an article's text or its removal", async () => {
    const db = await fresh();
    await (await db.open()).close();
    const insert = (date: string, content: string | null, legacy: string | null) =>
      db.query("INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, legacy_reply, library_until, claimed_at) VALUES ('g', $1, 'claimed', 'c', 'n', $2, $3, 0, 0)", [date, content, legacy]);
    await expect(insert("2025-06-01", null, null)).rejects.toThrow(/check constraint/);
    await expect(insert("2025-06-02", "{}", "{}")).rejects.toThrow(/check constraint/);
    await expect(insert("2025-06-03", "not json", null)).rejects.toThrow(/json/);
    await expect(insert("2025-6-04", "{}", null)).rejects.toThrow(/check constraint/);
    await expect(db.query("INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, library_until, claimed_at) VALUES ('g', '2025-06-05', 'done', 'c', 'n', '{}', 0, 0)")).rejects.toThrow(/check constraint/);
    await insert("2025-06-04", '{"localDate":"2025-06-04"}', null);
    await expect(db.query("INSERT INTO server_articles (guild_id, article_id, title, source, bytes, added_by, added_at, removed_at) VALUES ('g', 'a', 't', 'text', 4, 'u', 0, 5)")).rejects.toThrow(/check constraint/);
    await expect(db.query("INSERT INTO server_articles (guild_id, article_id, title, source, bytes, added_by, added_at) VALUES ('g', 'a', 't', 'text', -1, 'u', 0)")).rejects.toThrow(/check constraint/);
  });

  it("refuse a database written by a newer build, changing nothing", async () => {
    const db = await fresh();
    await (await db.open()).close();
    await db.query("INSERT INTO schema_version (version, name) VALUES (99, 'from the future')");
    const opened = db.open();
    await expect(opened).rejects.toThrow(DatabaseError);
    await expect(opened).rejects.toThrow(/schema version 99.*newer version/);
    expect(await db.schemaVersion()).toBe(99);
  });

  it("refuse a migration that has no PostgreSQL statements, and leave the schema where it was", async () => {
    const db = await fresh();
    await expect(db.open({ migrations: [...MIGRATIONS, { version: 4, name: "sqlite only", sql: "CREATE TABLE later (id INTEGER) STRICT;" }] })).rejects.toThrow(/migration 4 \(sqlite only\) has no PostgreSQL statements/);
    expect(await db.schemaVersion()).toBe(3);
  });

  it("run once when several processes start on an empty database at the same moment", async () => {
    const db = await fresh();
    await Promise.all(Array.from({ length: 5 }, () => db.open()));
    expect(await db.query("SELECT version FROM schema_version ORDER BY version")).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });
});

describe("choosing PostgreSQL", () => {
  const base = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012345678" };

  it("DATABASE_URL takes a postgres:// URL; unset or empty, the state stays in the SQLite file", () => {
    expect(loadBotConfig({ ...base, DATABASE_URL: "postgres://agora:pw@db.internal:5432/agora" }).databaseUrl).toBe("postgres://agora:pw@db.internal:5432/agora");
    // compose.yaml sets DATABASE_URL over an .env that may still name a file: the URL is used.
    expect(loadBotConfig({ ...base, DATABASE_URL: "postgresql://db/agora", DATABASE_PATH: "data/agora.sqlite" }).databaseUrl).toBe("postgresql://db/agora");
    expect(loadBotConfig({ ...base, DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(() => loadBotConfig({ ...base, DATABASE_URL: "mysql://db/agora" })).toThrow(ConfigError);
    expect(() => loadBotConfig({ ...base, DATABASE_URL: "mysql://db/agora" })).toThrow(/DATABASE_URL must be a PostgreSQL URL/);
    expect(() => loadBotConfig({ ...base, DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL must be a PostgreSQL URL/);
  });

  it("openStorage opens the backend the configuration names", async () => {
    const pg = await fresh(postgres);
    const lite = await fresh(sqlite);
    const onPostgres = await openStorage({ databaseUrl: pg.location, databaseFile: "/nonexistent/never-created.sqlite" });
    const onSqlite = await openStorage({ databaseFile: lite.location });
    try {
      expect([onPostgres.backend, onSqlite.backend]).toEqual(["postgres", "sqlite"]);
      expect(onPostgres.location).not.toContain(new URL(pg.location).password);
      await expect(onPostgres.ping()).resolves.toBeUndefined();
      await expect(onSqlite.ping()).resolves.toBeUndefined();
    } finally {
      await onPostgres.close();
      await onPostgres.close(); // twice is harmless
      await onSqlite.close();
    }
    await expect(onPostgres.ping()).rejects.toThrow();
  });

  it("a server that cannot be reached stops start-up naming it, without its password", async () => {
    const url = "postgres://agora:hunter2-secret@127.0.0.1:1/agora";
    await expect(openPostgres(url)).rejects.toThrow(/cannot reach the PostgreSQL database postgres:\/\/agora:\*\*\*@127\.0\.0\.1:1\/agora/);
    const child = spawn(process.execPath, ["--import", "tsx", "src/bot.ts"], {
      env: { DISCORD_TOKEN: "fake-token-for-a-test", DISCORD_APPLICATION_ID: "1100000000000000001", DATABASE_URL: url, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("agora: cannot reach the PostgreSQL database postgres://agora:***@127.0.0.1:1/agora");
    expect(output).toContain("DATABASE_URL chooses the PostgreSQL database");
    expect(output).not.toContain("hunter2-secret");
  });
});
