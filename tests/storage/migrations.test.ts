import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteDigestStore } from "../../src/digest/store-sqlite.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";

let dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "agora-migrate-"));
  dirs.push(dir);
  return path.join(dir, "agora.sqlite");
};
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A database as an older build left it: only the migrations up to `version`. */
const openAt = (file: string, version: number): Database => openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= version) });

const G = "1100000000000000010";
const C = "2100000000000000010";
/** What schema 1 stored: the rendered Discord reply, as JSON. */
const rendered = (date: string) => ({
  content: `<@&42> **Agora daily digest** · ${date}`,
  embeds: [{ color: 0x5865f2, title: "New in the library", description: "Nothing new since the last digest.", fields: [], footer: { text: `Agora daily digest · ${date}` } }],
  mentionRoleId: "42",
});

/** Schema-1 rows: a sent run, a run a crash left claimed, a failed one. */
function seedVersion1(db: Database): Record<string, string> {
  const payloads: Record<string, string> = {};
  const insert = db.prepare(
    `INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, payload, citation, cycle, library_until, message_id, error, attempts, lease_until, claimed_at, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 100, ?, ?, ?, ?, 1000, ?)`,
  );
  for (const [date, status] of [["2025-06-01", "sent"], ["2025-06-02", "claimed"], ["2025-06-03", "failed"]] as const) {
    payloads[date] = JSON.stringify(rendered(date));
    insert.run(G, date, status, C, `dnonce${date}`, payloads[date], `article-${date}:1.1`, status === "sent" ? "9001" : null, status === "failed" ? "gave up" : null, status === "failed" ? 6 : 0, status === "claimed" ? 5000 : 0, status === "sent" ? 2000 : null);
  }
  return payloads;
}

describe("migration 2: digest runs store content data, not a rendered message", () => {
  it("moves every schema-1 message into legacy_reply, byte for byte, and leaves the rest of each row as it was", async () => {
    const file = tempFile();
    const old = openAt(file, 1);
    expect(old.pragma("user_version", { simple: true })).toBe(1);
    const payloads = seedVersion1(old);
    const before = old.prepare("SELECT * FROM digest_runs ORDER BY local_date").all() as Record<string, unknown>[];
    old.close();

    const db = openDatabase(file);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    const columns = (db.prepare("PRAGMA table_info(digest_runs)").all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain("content");
    expect(columns).toContain("legacy_reply");
    expect(columns).not.toContain("payload");
    const after = db.prepare("SELECT * FROM digest_runs ORDER BY local_date").all() as Record<string, unknown>[];
    expect(after).toHaveLength(3);
    for (const [i, row] of after.entries()) {
      const { payload, ...rest } = before[i] ?? {};
      expect(row["legacy_reply"]).toBe(payload);
      expect(row["legacy_reply"]).toBe(payloads[String(row["local_date"])]);
      expect(row["content"]).toBeNull();
      const { content: _content, legacy_reply: _legacy, ...kept } = row;
      expect(kept).toEqual(rest);
    }
    // The open-runs index is back, and the scheduler still finds the claimed run.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'digest_runs_open'").get()).toEqual({ name: "digest_runs_open" });
    expect((await new SqliteDigestStore(db).openRuns()).map((r) => r.localDate)).toEqual(["2025-06-02"]);
    db.close();
  });

  it("the store reads a schema-1 row as a legacy payload: the message as rendered then, to re-send as it is", async () => {
    const file = tempFile();
    const old = openAt(file, 1);
    seedVersion1(old);
    old.close();
    const db = openDatabase(file);
    const store = new SqliteDigestStore(db);
    expect((await store.run(G, "2025-06-02"))?.payload).toEqual({ kind: "legacy", reply: rendered("2025-06-02") });
    expect((await store.lastSent(G))?.messageId).toBe("9001");
    db.close();
  });

  it("exactly one of content and legacy_reply is set, and content is JSON", () => {
    const db = openDatabase(tempFile());
    const insert = db.prepare(
      "INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, legacy_reply, library_until, claimed_at) VALUES (?, ?, 'claimed', 'c', 'n', ?, ?, 0, 0)",
    );
    expect(() => insert.run(G, "2025-06-01", null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run(G, "2025-06-02", "{}", "{}")).toThrow(/CHECK constraint/);
    expect(() => insert.run(G, "2025-06-03", "not json", null)).toThrow(/CHECK constraint/);
    expect(insert.run(G, "2025-06-04", '{"localDate":"2025-06-04"}', null).changes).toBe(1);
    db.close();
  });

  it("a database already at schema 2 is left alone when opened again", () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO digest_runs (guild_id, local_date, status, channel_id, nonce, content, library_until, claimed_at) VALUES (?, '2025-06-01', 'sent', 'c', 'n', '{}', 0, 0)").run(G);
    db.close();
    const again = openDatabase(file);
    expect(again.prepare("SELECT content, legacy_reply FROM digest_runs").all()).toEqual([{ content: "{}", legacy_reply: null }]);
    again.close();
  });
});
