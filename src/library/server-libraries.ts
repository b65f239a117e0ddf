import path from "node:path";
import { LRUCache } from "lru-cache";
import type { FetchLimits } from "../corpus/fetch-page.js";
import { joinFrontMatter } from "../corpus/frontmatter.js";
import { parseArticle, type Article } from "../corpus/load.js";
import type { ArticleMeta } from "../corpus/schema.js";
import { createEngine, type Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { snapshotFolder } from "../search/snapshot-files.js";
import { Thesaurus } from "../search/thesaurus.js";
import type { LibraryLimits, LibraryStore, RemovedArticle, StoredArticle } from "../storage/server-library-store.js";

export { LibraryLimitError, type LibraryLimits, type StoredArticle } from "../storage/server-library-store.js";

/** What one server searches: the shared corpus and, when it added any, its own articles. */
export interface LibraryView {
  /** The shared engine itself for a server without articles of its own (nothing is built for it). */
  engine: Engine;
  /** The server's own articles, oldest first; empty for the shared view. */
  serverArticles: readonly Article[];
  /** Changes whenever the shared corpus or the server's articles change: a cache key for what is built on the view. */
  key: string;
}

/** An article as ingest proposes it (front matter and body), before a server adds it. */
export interface ArticleDraft {
  meta: ArticleMeta;
  body: string;
}

/** The draft does not make a valid corpus file; the message names the field. */
export class DraftError extends Error {
  override name = "DraftError";
}

export interface ServerLibrariesOptions {
  store: LibraryStore;
  /** The shared corpus's engine (replaced with `useShared` when the folder reloads). */
  shared: Engine;
  logger: Logger;
  limits?: Partial<LibraryLimits>;
  /** Server engines kept in memory; the least recently used is dropped past it (and rebuilt on next use). Default 32. */
  cacheSize?: number;
  now?: () => number;
  /** Told when a server's view is dropped from memory (the bot's hybrid search hangs on it). */
  onDrop?: (view: LibraryView) => void;
  /** Bounds on fetching pages and attachments for /library add (tests allow a loopback port here). */
  fetch?: FetchLimits;
  /** Where index snapshots are kept (INDEX_SNAPSHOT_DIR); each server gets its own folder under `servers/`. */
  snapshotDir?: string;
}

export const DEFAULT_LIBRARY_LIMITS: LibraryLimits = { maxArticles: 500, maxBytes: 20_000_000 };

/**
 * The server libraries: each server's added articles live in the database, and its engine (the
 * shared articles plus its own, one index, so one ranking) is built on its first use and kept
 * beside the shared one. A server that added nothing uses the shared engine as it is.
 */
export class ServerLibraries {
  readonly limits: LibraryLimits;
  readonly fetchLimits: FetchLimits;
  private shared: Engine;
  private generation = 0;
  private readonly views: LRUCache<string, LibraryView>;
  private readonly building = new Map<string, Promise<LibraryView>>();
  private readonly now: () => number;

  constructor(private readonly options: ServerLibrariesOptions) {
    this.shared = options.shared;
    this.limits = { ...DEFAULT_LIBRARY_LIMITS, ...options.limits };
    this.fetchLimits = options.fetch ?? {};
    this.now = options.now ?? Date.now;
    this.views = new LRUCache({ max: options.cacheSize ?? 32, dispose: (view) => options.onDrop?.(view) });
  }

  get store(): LibraryStore {
    return this.options.store;
  }

  /** The shared corpus reloaded: every server's view is rebuilt on its next use. */
  useShared(engine: Engine): void {
    this.shared = engine;
    this.generation += 1;
    this.views.clear();
  }

  /**
   * The view a server's commands use; the shared one outside a server or for a server with no
   * articles. `beforeBuild` is awaited first when the server's engine must be built (a caller
   * can tell Discord it is working on it: a build takes seconds for hundreds of articles).
   */
  async view(guildId: string | null, beforeBuild?: () => Promise<void>): Promise<LibraryView> {
    const sharedView: LibraryView = { engine: this.shared, serverArticles: [], key: `shared@${this.generation}` };
    if (guildId === null) return sharedView;
    const version = await this.store.version(guildId);
    if (version === "") return sharedView;
    const key = `${guildId}@${this.generation}@${version}`;
    const cached = this.views.get(guildId);
    if (cached?.key === key) return cached;
    await beforeBuild?.();
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.store.list(guildId).then((stored) => this.build(guildId, stored, key));
      this.building.set(key, pending);
      void pending.finally(() => this.building.delete(key)).catch(() => undefined);
    }
    const view = await pending;
    // A slower build of an older state must not replace a newer one.
    if (this.views.get(guildId)?.key !== key) this.views.set(guildId, view);
    return view;
  }

  private build(guildId: string, stored: readonly StoredArticle[], key: string): LibraryView {
    const started = performance.now();
    const sharedIds = new Set(this.shared.source.articles.map((article) => article.id));
    const serverArticles: Article[] = [];
    for (const row of stored) {
      const parsed = parseArticle(`${row.articleId}.md`, row.source);
      if ("problems" in parsed) {
        this.options.logger.error({ guildId, articleId: row.articleId, problems: parsed.problems }, "stored server article no longer validates; left out");
        continue;
      }
      if (sharedIds.has(parsed.article.id)) {
        this.options.logger.warn({ guildId, articleId: row.articleId }, "the shared corpus now has an article with this id; the server's copy is left out");
        continue;
      }
      serverArticles.push(parsed.article);
    }
    const { source } = this.shared;
    // A snapshot per server (src/search/snapshot-files.ts): a restart skips counting its terms again.
    const snapshots = this.options.snapshotDir === undefined ? undefined : snapshotFolder(path.join(this.options.snapshotDir, "servers", guildId));
    const engine = createEngine(source.corpusDir, [...source.articles, ...serverArticles], source.problems, new Thesaurus(source.thesaurus), source.curatedTopics, snapshots);
    this.options.logger.info({ guildId, serverArticles: serverArticles.length, ms: Math.round(performance.now() - started) }, "server library built");
    return { engine, serverArticles, key };
  }

  /**
   * Builds the views of these servers (those with articles), one at a time with a pause between,
   * so their first interactions after a restart find them ready. At most the cache's size.
   */
  async warm(guildIds: Iterable<string>): Promise<number> {
    let built = 0;
    for (const guildId of guildIds) {
      if (built >= this.views.max) break;
      if ((await this.store.version(guildId)) === "") continue;
      await this.view(guildId);
      built += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return built;
  }

  async list(guildId: string): Promise<StoredArticle[]> {
    return this.store.list(guildId);
  }

  /**
   * Adds a draft to a server's library and returns the article as loaded. Its id is made unique
   * against the shared corpus and the server's own articles (a `-2`, `-3` … suffix), and the
   * file is validated exactly as a corpus file is before anything is stored.
   */
  async add(guildId: string, draft: ArticleDraft, addedBy: string): Promise<Article> {
    const taken = new Set([...this.shared.source.articles.map((a) => a.id), ...(await this.store.articleIds(guildId))]);
    const id = uniqueId(draft.meta.id, taken);
    const document = joinFrontMatter({ ...draft.meta, id }, draft.body);
    const parsed = parseArticle(`${id}.md`, document);
    if ("problems" in parsed) throw new DraftError(parsed.problems.map((p) => `${p.field} ${p.reason}`).join("; "));
    await this.store.add({ guildId, articleId: id, title: parsed.article.title, source: document, addedBy, addedAt: this.now() }, this.limits);
    return parsed.article;
  }

  async remove(guildId: string, articleId: string): Promise<boolean> {
    return this.store.remove(guildId, articleId, this.now());
  }

  /** An article this server removed (for "removed from this server's library"), or null. */
  async removed(guildId: string, articleId: string): Promise<RemovedArticle | null> {
    return this.store.removed(guildId, articleId);
  }

  /** The server's articles as corpus files, byte for byte as stored: `<id>.md` each. */
  async export(guildId: string): Promise<{ file: string; content: string }[]> {
    return (await this.store.list(guildId)).map((row) => ({ file: `${row.articleId}.md`, content: row.source }));
  }
}

function uniqueId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n += 1) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}
