import { LibraryLimitError, libraryFullMessage, toArticle, type LibraryLimits, type LibraryStore, type LibraryUsage, type RemovedArticle, type StoredArticle } from "../server-library-store.js";
import { inTransaction, type Pool } from "./pool.js";

type Row = Record<string, unknown>;

/** The namespace of the per-server advisory locks that serialise adds (the other key is a hash of the server id). */
const ADD_LOCK = 1_016;

/** The server libraries' rows (migration 3) in PostgreSQL, shared by every process and host. */
export class PostgresLibraryStore implements LibraryStore {
  constructor(readonly pool: Pool) {}

  private async rows(sql: string, values: unknown[]): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, values)).rows;
  }

  async list(guildId: string): Promise<StoredArticle[]> {
    return (await this.rows(`SELECT * FROM server_articles WHERE guild_id = $1 AND removed_at IS NULL ORDER BY added_at, article_id COLLATE "C"`, [guildId])).map(toArticle);
  }

  async articleIds(guildId: string): Promise<string[]> {
    return (await this.rows("SELECT article_id FROM server_articles WHERE guild_id = $1 AND removed_at IS NULL", [guildId])).map((row) => String(row["article_id"]));
  }

  async usage(guildId: string): Promise<LibraryUsage> {
    const [row] = await this.rows("SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM server_articles WHERE guild_id = $1 AND removed_at IS NULL", [guildId]);
    return { articles: Number(row?.["n"] ?? 0), bytes: Number(row?.["bytes"] ?? 0) };
  }

  async version(guildId: string): Promise<string> {
    const [row] = await this.rows(
      "SELECT count(source) AS n, coalesce(max(added_at), 0) AS added, coalesce(max(removed_at), 0) AS removed, count(*) AS rows FROM server_articles WHERE guild_id = $1",
      [guildId],
    );
    const n = Number(row?.["n"] ?? 0);
    return n === 0 ? "" : `${n}.${Number(row?.["rows"])}.${Number(row?.["added"])}.${Number(row?.["removed"])}`;
  }

  /**
   * Checks the limits and stores the article in one transaction that holds the server's advisory
   * lock, so two moderators adding at once (on any host) cannot both pass the last free place.
   */
  async add(article: Omit<StoredArticle, "bytes">, limits: LibraryLimits): Promise<StoredArticle> {
    const bytes = Buffer.byteLength(article.source, "utf8");
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [ADD_LOCK, article.guildId]);
      const usage = (await client.query<Row>("SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM server_articles WHERE guild_id = $1 AND removed_at IS NULL", [article.guildId])).rows[0];
      const full = libraryFullMessage({ articles: Number(usage?.["n"] ?? 0), bytes: Number(usage?.["bytes"] ?? 0) }, bytes, limits);
      if (full) throw new LibraryLimitError(full);
      const existing = (await client.query<Row>("SELECT removed_at FROM server_articles WHERE guild_id = $1 AND article_id = $2", [article.guildId, article.articleId])).rows[0];
      if (existing && existing["removed_at"] === null) throw new Error(`article ${article.articleId} is already in the library of ${article.guildId}`);
      await client.query(
        `INSERT INTO server_articles (guild_id, article_id, title, source, bytes, added_by, added_at, removed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
         ON CONFLICT (guild_id, article_id) DO UPDATE SET title = excluded.title, source = excluded.source, bytes = excluded.bytes,
           added_by = excluded.added_by, added_at = excluded.added_at, removed_at = NULL`,
        [article.guildId, article.articleId, article.title, article.source, bytes, article.addedBy, article.addedAt],
      );
      return { ...article, bytes };
    });
  }

  async remove(guildId: string, articleId: string, now: number): Promise<boolean> {
    const result = await this.pool.query("UPDATE server_articles SET source = NULL, bytes = 0, removed_at = $1 WHERE guild_id = $2 AND article_id = $3 AND removed_at IS NULL", [now, guildId, articleId]);
    return (result.rowCount ?? 0) > 0;
  }

  async removed(guildId: string, articleId: string): Promise<RemovedArticle | null> {
    const [row] = await this.rows("SELECT article_id, title, removed_at FROM server_articles WHERE guild_id = $1 AND article_id = $2 AND removed_at IS NOT NULL", [guildId, articleId]);
    return row ? { articleId: String(row["article_id"]), title: String(row["title"]), removedAt: Number(row["removed_at"]) } : null;
  }

  async addedBetween(guildId: string, from: number, until: number): Promise<string[]> {
    const rows = await this.rows(`SELECT article_id FROM server_articles WHERE guild_id = $1 AND removed_at IS NULL AND added_at > $2 AND added_at <= $3 ORDER BY added_at, article_id COLLATE "C"`, [guildId, from, until]);
    return rows.map((row) => String(row["article_id"]));
  }

  async editorRole(guildId: string): Promise<string | null> {
    const [row] = await this.rows("SELECT editor_role_id FROM server_library_settings WHERE guild_id = $1", [guildId]);
    const role = row?.["editor_role_id"];
    return typeof role === "string" ? role : null;
  }

  async setEditorRole(guildId: string, roleId: string | null, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO server_library_settings (guild_id, editor_role_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (guild_id) DO UPDATE SET editor_role_id = excluded.editor_role_id, updated_at = excluded.updated_at`,
      [guildId, roleId, now],
    );
  }
}
