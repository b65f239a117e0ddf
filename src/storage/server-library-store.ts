import type { Database, Statement } from "better-sqlite3";
import { preparedStatements, settle } from "./db.js";

/** One article a server added: the corpus file it would be, and who added it when. */
export interface StoredArticle {
  guildId: string;
  articleId: string;
  title: string;
  /** The whole corpus file (YAML front matter + body), validated by the corpus loader on every load. */
  source: string;
  /** UTF-8 size of `source`: what counts against the server's text limit. */
  bytes: number;
  addedBy: string;
  addedAt: number;
}

export interface RemovedArticle {
  articleId: string;
  title: string;
  removedAt: number;
}

export interface LibraryUsage {
  articles: number;
  bytes: number;
}

/** The server's library is full; the message says which limit and what to do. */
export class LibraryLimitError extends Error {
  override name = "LibraryLimitError";
}

/** How much a server may add: articles and total text (UTF-8 bytes of the stored files). */
export interface LibraryLimits {
  maxArticles: number;
  maxBytes: number;
}

type Row = Record<string, unknown>;

/** A `server_articles` row (either backend) as a stored article. */
export function toArticle(row: Row): StoredArticle {
  return {
    guildId: String(row["guild_id"]),
    articleId: String(row["article_id"]),
    title: String(row["title"]),
    source: String(row["source"]),
    bytes: Number(row["bytes"]),
    addedBy: String(row["added_by"]),
    addedAt: Number(row["added_at"]),
  };
}

/** The server libraries' rows (migration 3). Promises throughout: SQLite (below) and PostgreSQL (./postgres/library-store.ts). */
export interface LibraryStore {
  /** The server's articles, oldest first. */
  list(guildId: string): Promise<StoredArticle[]>;
  /** The ids of the server's articles, without their text (what an add checks a new id against). */
  articleIds(guildId: string): Promise<string[]>;
  usage(guildId: string): Promise<LibraryUsage>;
  /** Changes whenever the server's articles do, read without their text; "" when it has none. */
  version(guildId: string): Promise<string>;
  /** Stores an article within the limits (checked in the same transaction); a removed id's tombstone is replaced. */
  add(article: Omit<StoredArticle, "bytes">, limits: LibraryLimits): Promise<StoredArticle>;
  /** Drops an article's text and keeps its id and title, so its citations can say it was removed. */
  remove(guildId: string, articleId: string, now: number): Promise<boolean>;
  removed(guildId: string, articleId: string): Promise<RemovedArticle | null>;
  /** Ids of articles added after `from`, up to and including `until` (still in the library). */
  addedBetween(guildId: string, from: number, until: number): Promise<string[]>;
  /** The role that may add and remove articles besides Manage Server; null: Manage Server only. */
  editorRole(guildId: string): Promise<string | null>;
  setEditorRole(guildId: string, roleId: string | null, now: number): Promise<void>;
}

/** Why an article of `bytes` does not fit in a library with this usage; null when it fits. The same words from either backend. */
export function libraryFullMessage(usage: LibraryUsage, bytes: number, limits: LibraryLimits): string | null {
  if (usage.articles + 1 > limits.maxArticles) return `this server's library is full: ${usage.articles} of ${limits.maxArticles} articles. Remove one with /library remove first.`;
  if (usage.bytes + bytes > limits.maxBytes) {
    return `this article (${megabytes(bytes)}) would take the server's library past its ${megabytes(limits.maxBytes)} of text (${megabytes(usage.bytes)} used). Remove an article with /library remove first.`;
  }
  return null;
}

/** The library rows in the SQLite file, next to the digest's. */
export class ServerLibraryStore implements LibraryStore {
  /** A prepared statement, prepared once per store. */
  private readonly sql: (source: string) => Statement;

  constructor(readonly db: Database) {
    this.sql = preparedStatements(db);
  }

  /** The server's articles, oldest first. */
  list(guildId: string): Promise<StoredArticle[]> {
    return settle(() => {
      const rows = this.sql("SELECT * FROM server_articles WHERE guild_id = ? AND removed_at IS NULL ORDER BY added_at, article_id").all(guildId) as Row[];
      return rows.map(toArticle);
    });
  }

  articleIds(guildId: string): Promise<string[]> {
    return settle(() => (this.sql("SELECT article_id FROM server_articles WHERE guild_id = ? AND removed_at IS NULL").all(guildId) as Row[]).map((row) => String(row["article_id"])));
  }

  usage(guildId: string): Promise<LibraryUsage> {
    return settle(() => {
      const row = this.sql("SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM server_articles WHERE guild_id = ? AND removed_at IS NULL").get(guildId) as Row;
      return { articles: Number(row["n"]), bytes: Number(row["bytes"]) };
    });
  }

  /**
   * What changes whenever the server's articles do (an add, a removal), read without their text:
   * the key its built engine is cached under. Empty string: the server has no articles.
   */
  version(guildId: string): Promise<string> {
    return settle(() => {
      const row = this.sql(
        "SELECT count(source) AS n, coalesce(max(added_at), 0) AS added, coalesce(max(removed_at), 0) AS removed, count(*) AS rows FROM server_articles WHERE guild_id = ?",
      ).get(guildId) as Row;
      return Number(row["n"]) === 0 ? "" : `${String(row["n"])}.${String(row["rows"])}.${String(row["added"])}.${String(row["removed"])}`;
    });
  }

  /**
   * Stores an article, checking the limits in the same write transaction, so two moderators
   * adding at once cannot both pass the last free place. Re-adding a removed id replaces its tombstone.
   */
  add(article: Omit<StoredArticle, "bytes">, limits: LibraryLimits): Promise<StoredArticle> {
    return settle(() => {
      const bytes = Buffer.byteLength(article.source, "utf8");
      return this.db
        .transaction(() => {
          const usage = this.sql("SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM server_articles WHERE guild_id = ? AND removed_at IS NULL").get(article.guildId) as Row;
          const full = libraryFullMessage({ articles: Number(usage["n"]), bytes: Number(usage["bytes"]) }, bytes, limits);
          if (full) throw new LibraryLimitError(full);
          const existing = this.sql("SELECT removed_at FROM server_articles WHERE guild_id = ? AND article_id = ?").get(article.guildId, article.articleId) as Row | undefined;
          if (existing && existing["removed_at"] === null) throw new Error(`article ${article.articleId} is already in the library of ${article.guildId}`);
          this.sql(
            `INSERT INTO server_articles (guild_id, article_id, title, source, bytes, added_by, added_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
             ON CONFLICT (guild_id, article_id) DO UPDATE SET title = excluded.title, source = excluded.source, bytes = excluded.bytes,
               added_by = excluded.added_by, added_at = excluded.added_at, removed_at = NULL`,
          ).run(article.guildId, article.articleId, article.title, article.source, bytes, article.addedBy, article.addedAt);
          return { ...article, bytes };
        })
        .immediate();
    });
  }

  /** Removes an article's text and keeps its id and title, so its citations can say it was removed. */
  remove(guildId: string, articleId: string, now: number): Promise<boolean> {
    return settle(() => {
      const result = this.sql("UPDATE server_articles SET source = NULL, bytes = 0, removed_at = ? WHERE guild_id = ? AND article_id = ? AND removed_at IS NULL").run(now, guildId, articleId);
      return result.changes > 0;
    });
  }

  removed(guildId: string, articleId: string): Promise<RemovedArticle | null> {
    return settle(() => {
      const row = this.sql("SELECT article_id, title, removed_at FROM server_articles WHERE guild_id = ? AND article_id = ? AND removed_at IS NOT NULL").get(guildId, articleId) as Row | undefined;
      return row ? { articleId: String(row["article_id"]), title: String(row["title"]), removedAt: Number(row["removed_at"]) } : null;
    });
  }

  /** Ids of articles added after `from`, up to and including `until` (still in the library). */
  addedBetween(guildId: string, from: number, until: number): Promise<string[]> {
    return settle(() => {
      const rows = this.sql("SELECT article_id FROM server_articles WHERE guild_id = ? AND removed_at IS NULL AND added_at > ? AND added_at <= ? ORDER BY added_at, article_id").all(guildId, from, until) as Row[];
      return rows.map((row) => String(row["article_id"]));
    });
  }

  /** The role that may add and remove articles besides Manage Server; null: Manage Server only. */
  editorRole(guildId: string): Promise<string | null> {
    return settle(() => {
      const row = this.sql("SELECT editor_role_id FROM server_library_settings WHERE guild_id = ?").get(guildId) as Row | undefined;
      const role = row?.["editor_role_id"];
      return typeof role === "string" ? role : null;
    });
  }

  setEditorRole(guildId: string, roleId: string | null, now: number): Promise<void> {
    return settle(() => {
      this.sql(
        `INSERT INTO server_library_settings (guild_id, editor_role_id, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET editor_role_id = excluded.editor_role_id, updated_at = excluded.updated_at`,
      ).run(guildId, roleId, now);
    });
  }
}

function megabytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}
