import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Passage vectors on disk, keyed by model and the sha256 of the passage text, so a restart (or
 * an unchanged passage in an edited article) re-embeds nothing. A file of its own rather than
 * tables in DATABASE_PATH: it is a cache, safe to delete at any time, and stays out of the
 * digest database's versioned migrations.
 */
export class VectorCache {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string, string, Buffer]>;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#insert = db.prepare("INSERT OR REPLACE INTO vectors (model, text_sha256, vector) VALUES (?, ?, ?)");
  }

  /** Opens (creating on first use) the cache file; ":memory:" keeps it in memory only. */
  static open(file: string): VectorCache {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, text_sha256 TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_sha256)) WITHOUT ROWID");
      return new VectorCache(file, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The cached vectors among `hashes` for this model. */
  get(model: string, hashes: readonly string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    // SQLite caps bound parameters (32,766 since 3.32); 500 a query stays far below it.
    for (let i = 0; i < hashes.length; i += 500) {
      const chunk = hashes.slice(i, i + 500);
      const rows = this.#db
        .prepare(`SELECT text_sha256 AS hash, vector FROM vectors WHERE model = ? AND text_sha256 IN (${chunk.map(() => "?").join(",")})`)
        .all(model, ...chunk) as { hash: string; vector: Buffer }[];
      for (const row of rows) found.set(row.hash, toVector(row.vector));
    }
    return found;
  }

  put(model: string, entries: readonly (readonly [hash: string, vector: Float32Array])[]): void {
    this.#db.transaction(() => {
      for (const [hash, vector] of entries) this.#insert.run(model, hash, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    })();
  }

  /** How many vectors the cache holds for a model (for logs and tests). */
  count(model: string): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM vectors WHERE model = ?").get(model) as { n: number }).n;
  }

  close(): void {
    this.#db.close();
  }
}

/** The cache key of a passage text. */
export function textHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function toVector(blob: Buffer): Float32Array {
  // Copied out: a Buffer from SQLite need not be 4-byte aligned for a Float32Array view.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer, 0, Math.floor(blob.byteLength / 4));
}
