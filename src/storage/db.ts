import { closeSync, constants, accessSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate, MIGRATIONS, type Migration } from "./migrations.js";

export type { Database } from "better-sqlite3";

/** The database cannot be used: the message says which file, what is wrong and what to do. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}

const SQLITE_HEADER = "SQLite format 3\u0000";
const KEEP = "Agora never replaces it: restore a backup or move it away, then start again.";

/**
 * Opens (creating on first run) the SQLite file, in WAL mode, and applies pending migrations.
 * A file that is unreadable, not SQLite, corrupt or from a newer schema stops start-up with a
 * clear DatabaseError; it is never silently replaced.
 */
export function openDatabase(file: string, options: { migrations?: readonly Migration[] } = {}): Database.Database {
  checkFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new DatabaseError(`cannot open the database ${file}: ${describe(error)}. ${KEEP}`);
  }
  try {
    db.pragma("busy_timeout = 5000");
    const mode = db.pragma("journal_mode = WAL", { simple: true }) as string;
    if (mode.toLowerCase() !== "wal") throw new DatabaseError(`the database ${file} could not be switched to WAL mode (it is in ${mode} mode)`);
    // A claim must be on disk before the message it guards is sent.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    const check = db.pragma("quick_check", { simple: true }) as string;
    if (check !== "ok") throw new DatabaseError(`the database ${file} is corrupt (${check}). ${KEEP}`);
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`the database ${file} cannot be used: ${describe(error)}. ${KEEP}`);
  }
}

/** Before SQLite touches it: the folder exists, and an existing file is readable, writable and SQLite. */
function checkFile(file: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new DatabaseError(`cannot create the folder for the database ${file}: ${describe(error)}`);
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new DatabaseError(`the database path ${file} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof DatabaseError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // first run: SQLite creates it
    throw new DatabaseError(`cannot read the database ${file}: ${describe(error)}`);
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new DatabaseError(`cannot read and write the database ${file}: ${describe(error)}. Check its owner and permissions.`);
  }
  if (size === 0) return; // an empty file is a valid, empty SQLite database
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) throw new DatabaseError(`${file} is not a SQLite database (or its header is corrupt). ${KEEP}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Prepares each SQL text once per database and hands back the same statement after that (the stores' `sql`). */
export function preparedStatements(db: Database.Database): (source: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (source) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = db.prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
}

/** Runs synchronous SQLite work as a promise; a throw becomes a rejection, as it would over a network. */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
