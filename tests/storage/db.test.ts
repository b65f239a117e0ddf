import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseError, openDatabase } from "../../src/storage/db.js";
import { MIGRATIONS, type Migration } from "../../src/storage/migrations.js";

let dirs: string[] = [];
const tempFile = (name = "agora.sqlite") => {
  const dir = mkdtempSync(path.join(tmpdir(), "agora-db-"));
  dirs.push(dir);
  return path.join(dir, "nested", name);
};
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("openDatabase", () => {
  it("creates the file and its folder on first run, in WAL mode, with every migration applied", () => {
    const file = tempFile();
    const db = openDatabase(file);
    expect(existsSync(file)).toBe(true);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(["digest_passages_used", "digest_runs", "digest_settings", "library_articles", "server_articles", "server_library_settings"]);
    db.prepare("INSERT INTO library_articles VALUES ('a', 1)").run();
    db.close();
    const again = openDatabase(file);
    expect(again.prepare("SELECT count(*) AS n FROM library_articles").get()).toEqual({ n: 1 });
    again.close();
  });

  it("applies only the migrations a database does not have yet, in order", () => {
    const file = tempFile();
    openDatabase(file).close();
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    const next: Migration = { version: latest + 1, name: "test", sql: "CREATE TABLE extra (x INTEGER) STRICT;" };
    const db = openDatabase(file, { migrations: [...MIGRATIONS, next] });
    expect(db.pragma("user_version", { simple: true })).toBe(latest + 1);
    expect(db.prepare("SELECT count(*) AS n FROM extra").get()).toEqual({ n: 0 });
    db.close();
  });

  it("refuses a database written by a newer schema", () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(/schema version 99.*newer version/);
  });

  it("stops on a file that is not SQLite, and leaves it untouched", () => {
    const file = tempFile();
    openDatabase(file).close();
    writeFileSync(file, "this is not a database, it is someone's notes\n".repeat(100));
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(/is not a SQLite database.*never replaces it/);
    expect(digest(file)).toBe(before);
  });

  it("stops on a corrupt SQLite file, and leaves it untouched", () => {
    const file = tempFile();
    const db = openDatabase(file);
    const insert = db.prepare("INSERT INTO library_articles VALUES (?, ?)");
    db.transaction(() => {
      for (let i = 0; i < 2000; i += 1) insert.run(`article-${i}-${"x".repeat(40)}`, i);
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 4096, bytes.length - 4096); // keep the header page, wreck the rest
    writeFileSync(file, bytes);
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(/corrupt|malformed|cannot be used/);
    expect(digest(file)).toBe(before);
  });

  it.skipIf(process.getuid?.() === 0)("names an unreadable file instead of replacing it", () => {
    const file = tempFile();
    openDatabase(file).close();
    chmodSync(file, 0o000);
    try {
      expect(() => openDatabase(file)).toThrow(/cannot read and write the database/);
    } finally {
      chmodSync(file, 0o600);
    }
  });
});
