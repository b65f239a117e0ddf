import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ContrastColumn, ContrastResult } from "../analysis/contrast.js";
import { isPositionStatement } from "../analysis/summarize.js";
import { dateOf } from "../corpus/dates.js";
import type { Engine } from "../engine.js";
import type { ArticleInfo, PassageResult } from "../types.js";

/**
 * What goes into a day's digest, as data: which passages (with their citations and the words as
 * quoted), which debate, which new articles. No Markdown and no Discord shapes: the Discord layer
 * renders it (src/discord/digest-message.ts), and the database stores this, never a rendered message.
 */

/**
 * What a day's digest holds. Everything is a function of the engine, the server and the state
 * passed in (passages used, digests posted, new articles), so a preview is exactly the post.
 */
export interface DigestInput {
  guildId: string;
  localDate: string;
  /** The server's chosen topic; the corpus's topics in rotation when null. */
  topic: string | null;
  roleId: string | null;
  /** The current cycle of passages of the day and those already used in it. */
  used: { cycle: number; citations: ReadonlySet<string> };
  /** How many digests the server has had before this date: turns the topic rotation. */
  rotation: number;
  newArticles: readonly ArticleInfo[];
}

/** A quoted passage: its citation (article, offsets, citation id), attribution, and the words exactly as quoted. */
export type DigestPassage = Pick<PassageResult, "citation" | "articleId" | "start" | "end" | "title" | "authors" | "outlet" | "published" | "date" | "text">;

/** An article new in the library. */
export type DigestArticle = Pick<ArticleInfo, "id" | "title" | "authors" | "outlet">;

/** Debate of the day: one topic, two authors (contrast columns), each with their chosen passage. */
export interface DigestDebate {
  topic: string;
  columns: [DigestColumn, DigestColumn];
}

export interface DigestColumn {
  /** The column's name: an author, co-authors ("A & B"), or "Unknown author (…)". */
  author: string;
  passage: DigestPassage;
}

/** A day's digest as plain, JSON-safe data: what is stored with a run and rendered to post it. */
export interface DigestContent {
  localDate: string;
  /** The one role the digest mentions; null: it mentions nobody. */
  roleId: string | null;
  /** The server's chosen topic; null when the digest rotates through the library's topics. */
  topic: string | null;
  /** How many digests the server had before this one: picks the question for discussion. */
  rotation: number;
  /** Passage of the day; null when the library has no passage to quote. */
  passage: DigestPassage | null;
  debate: DigestDebate | null;
  /** Articles first seen since the server's last digest: the first MAX_NEW_ARTICLES of them. */
  newArticles: DigestArticle[];
  /** How many articles are new in all (more than listed when over MAX_NEW_ARTICLES). */
  newArticleCount: number;
}

/** A digest built for a date, and the cycle its passage of the day counts in. */
export interface BuiltDigest {
  content: DigestContent;
  cycle: number;
}

/**
 * What a run posts: its content, rendered by the Discord layer at each attempt (rendering is
 * deterministic, so every attempt sends the same bytes), or, for a run claimed before the
 * database stored content (schema version 2), the message exactly as it was rendered then.
 */
export type DigestPayload = { kind: "content"; content: DigestContent } | { kind: "legacy"; reply: LegacyReply };

/** A message rendered by an older build (a Discord reply as JSON); opaque here, re-sent as it is. */
export type LegacyReply = object;

/**
 * The footer that marks a posted digest, so a restart can find it in the channel. The renderer
 * puts it on every digest; recovery looks for exactly this text, so it never changes.
 */
export function digestMarker(localDate: string): string {
  return `Agora daily digest · ${localDate}`;
}

const MIN_PASSAGE = 60;
const MAX_PASSAGE = 700;
/** New articles a digest lists; past that it only counts them. */
export const MAX_NEW_ARTICLES = 10;

/**
 * Topics whose passages and contrast are remembered per corpus: every server may choose its own
 * topic, so the least recently used are forgotten past this many.
 */
export const MAX_CACHED_TOPICS = 256;
type Cache = {
  /** The whole library's pool (no topic): the costly one, kept for the corpus's lifetime, never evicted. */
  library?: PassageResult[];
  passages: LRUCache<string, PassageResult[]>;
  contrasts: LRUCache<string, { result: ContrastResult | null }>;
};
const caches = new WeakMap<Engine, Cache>();
function cacheOf(engine: Engine): Cache {
  let cache = caches.get(engine);
  if (!cache) {
    cache = { passages: new LRUCache({ max: MAX_CACHED_TOPICS }), contrasts: new LRUCache({ max: MAX_CACHED_TOPICS }) };
    caches.set(engine, cache);
  }
  return cache;
}

/** How many topics' digest material is remembered for an engine (for tests and metrics). */
export function cachedTopics(engine: Engine): { passages: number; contrasts: number } {
  const cache = caches.get(engine);
  return { passages: cache?.passages.size ?? 0, contrasts: cache?.contrasts.size ?? 0 };
}

/**
 * Passages that may be a passage of the day: position statements first, then the rest; no two
 * overlapping, none too short to stand alone. For a topic, the passages about it.
 */
export function eligiblePassages(engine: Engine, topic: string | null): PassageResult[] {
  const cache = cacheOf(engine);
  const cached = topic === null ? cache.library : cache.passages.get(topic);
  if (cached) return cached;
  let pool: PassageResult[];
  if (topic === null) pool = engine.articles().flatMap((article) => engine.passages(article.id));
  else {
    try {
      pool = engine.search(topic, { limit: 60 });
    } catch {
      pool = [];
    }
  }
  const fits = (p: PassageResult) => p.text.length >= MIN_PASSAGE && p.text.length <= MAX_PASSAGE;
  // Each passage's sort keys are worked out once: a regex inside the comparator ran n log n times.
  const keyed = pool.map((passage) => ({ passage, position: Number(isPositionStatement(passage.text)), fits: Number(fits(passage)) }));
  const preferred = keyed
    .sort(
      (a, b) =>
        b.position - a.position ||
        b.fits - a.fits ||
        b.passage.text.length - a.passage.text.length ||
        a.passage.citation.localeCompare(b.passage.citation),
    )
    .map(({ passage }) => passage);
  const anyFits = pool.some(fits);
  const keptByArticle = new Map<string, PassageResult[]>();
  const kept: PassageResult[] = [];
  for (const passage of preferred) {
    if (!fits(passage) && anyFits) continue;
    // Overlap can only be with a kept passage of the same article.
    const sameArticle = keptByArticle.get(passage.articleId) ?? [];
    if (sameArticle.some((k) => k.start < passage.end && passage.start < k.end)) continue;
    sameArticle.push(passage);
    keptByArticle.set(passage.articleId, sameArticle);
    kept.push(passage);
  }
  if (topic === null) cache.library = kept;
  else cache.passages.set(topic, kept);
  return kept;
}

const rank = (guildId: string, citation: string) => createHash("sha1").update(`${guildId}\u0000${citation}`).digest("hex");

/** The passage of the day: the first unused one in the server's own order; a new cycle once all are used. */
export function passageOfTheDay(engine: Engine, input: DigestInput): { passage: PassageResult | null; cycle: number } {
  const eligible = eligiblePassages(engine, input.topic);
  const ordered = eligible
    .map((passage) => ({ passage, position: Number(isPositionStatement(passage.text)), rank: rank(input.guildId, passage.citation) }))
    .sort((a, b) => b.position - a.position || (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map(({ passage }) => passage);
  const unused = ordered.find((p) => !input.used.citations.has(p.citation));
  if (unused) return { passage: unused, cycle: input.used.cycle };
  return { passage: ordered[0] ?? null, cycle: input.used.cycle + 1 };
}

function contrastOf(engine: Engine, topic: string): ContrastResult | null {
  const cache = cacheOf(engine);
  let entry = cache.contrasts.get(topic);
  if (!entry) {
    let result: ContrastResult | null = null;
    try {
      result = engine.contrast(topic);
    } catch {
      result = null;
    }
    entry = { result };
    cache.contrasts.set(topic, entry);
  }
  return entry.result;
}

/** Debate of the day: one topic, two authors' contrasting passages, both rotating. */
export function debateOfTheDay(engine: Engine, input: DigestInput): { topic: string; columns: [ContrastColumn, ContrastColumn] } | null {
  const topics = input.topic !== null ? [input.topic] : engine.topics().map((t) => t.name);
  for (let k = 0; k < topics.length; k += 1) {
    const topic = topics[(input.rotation + k) % topics.length];
    if (topic === undefined) continue;
    const columns = (contrastOf(engine, topic)?.columns ?? [])
      .filter((c) => c.passages.length > 0)
      .sort((a, b) => Number(b.authors.length > 0) - Number(a.authors.length > 0));
    const pairs: [ContrastColumn, ContrastColumn][] = [];
    for (let i = 0; i < columns.length; i += 1) {
      for (let j = i + 1; j < columns.length; j += 1) {
        const a = columns[i];
        const b = columns[j];
        if (a && b) pairs.push([a, b]);
      }
    }
    const pair = pairs[Math.floor(input.rotation / topics.length) % Math.max(1, pairs.length)];
    if (pair) return { topic, columns: pair };
  }
  return null;
}

/**
 * The fields of a passage that a digest keeps: no score or highlights, which depend on a query.
 * `date` (an inferred date is shown as one) is absent from digests stored before it existed; they
 * show `published`, as they did.
 */
function digestPassage(p: PassageResult): DigestPassage {
  return { citation: p.citation, articleId: p.articleId, start: p.start, end: p.end, title: p.title, authors: [...p.authors], outlet: p.outlet, published: p.published, date: dateOf(p), text: p.text };
}

/** Builds the day's digest as data. Mentions nobody but the configured role once rendered. */
export function buildDigest(engine: Engine, input: DigestInput): BuiltDigest {
  const { passage, cycle } = passageOfTheDay(engine, input);
  const debate = debateOfTheDay(engine, input);
  const columns = debate?.columns.flatMap((column) => {
    const first = column.passages[0];
    return first ? [{ author: column.author, passage: digestPassage(first) }] : [];
  });
  const [a, b] = columns ?? [];
  const content: DigestContent = {
    localDate: input.localDate,
    roleId: input.roleId,
    topic: input.topic,
    rotation: input.rotation,
    passage: passage ? digestPassage(passage) : null,
    debate: debate && a && b ? { topic: debate.topic, columns: [a, b] } : null,
    newArticles: input.newArticles.slice(0, MAX_NEW_ARTICLES).map((article) => ({ id: article.id, title: article.title, authors: [...article.authors], outlet: article.outlet })),
    newArticleCount: input.newArticles.length,
  };
  return { content, cycle };
}
