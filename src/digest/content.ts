import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { APIEmbed } from "discord.js";
import type { ContrastColumn, ContrastResult } from "../analysis/contrast.js";
import { isPositionStatement } from "../analysis/summarize.js";
import { byline } from "../cli/format.js";
import type { ArticleInfo, Engine, PassageResult } from "../engine.js";
import { attributionLine, COLOUR, escapeText, inCode, LIMITS, quoteEmbed, truncate, type Reply } from "../discord/render.js";

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

export interface BuiltDigest {
  reply: Reply;
  /** The passage of the day, and the cycle it counts in. */
  citation: string | null;
  cycle: number;
  topic: string | null;
}

/** The footer that marks a posted digest, so a restart can find it in the channel. */
export function digestMarker(localDate: string): string {
  return `Agora daily digest · ${localDate}`;
}

const MIN_PASSAGE = 60;
const MAX_PASSAGE = 700;
const DEBATE_CHARS = 600;
const MAX_NEW = 10;

const QUESTIONS: readonly ((topic: string, a: string, b: string) => string)[] = [
  (t, a, b) => `On **${t}**, ${a} and ${b} pull in different directions. Which argument holds up better, and what evidence would change your mind?`,
  (t, a, b) => `Where exactly do ${a} and ${b} disagree about **${t}**: on the facts, or on what should be done about them?`,
  (t, a, b) => `If you had to advise a government on **${t}** tomorrow, whose case would you take into the room, ${a}'s or ${b}'s, and why?`,
  (t, a, b) => `What would ${a} say is the strongest point in ${b}'s view of **${t}**, and how would ${b} answer?`,
];

/**
 * Topics whose passages and contrast are remembered per corpus: every server may choose its own
 * topic, so the least recently used are forgotten past this many.
 */
export const MAX_CACHED_TOPICS = 256;
type Cache = { passages: LRUCache<string, PassageResult[]>; contrasts: LRUCache<string, { result: ContrastResult | null }> };
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
  const key = topic ?? "";
  const cached = cache.passages.get(key);
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
  cache.passages.set(key, kept);
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

function longDate(localDate: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(Date.parse(`${localDate}T12:00:00Z`));
}

const cited = (p: PassageResult, max: number) => `> ${escapeText(truncate(p.text, max))}\n— ${escapeText(attributionLine(p))} · \`${p.citation}\``;

/** Builds the day's digest message. Mentions nobody but the configured role. */
export function buildDigest(engine: Engine, input: DigestInput): BuiltDigest {
  const { passage, cycle } = passageOfTheDay(engine, input);
  const debate = debateOfTheDay(engine, input);
  const embeds: APIEmbed[] = [];

  if (passage) {
    const embed = quoteEmbed(passage);
    embeds.push({ ...embed, author: { name: truncate(`Passage of the day · ${byline(passage.authors)}`, LIMITS.authorName) } });
  } else {
    embeds.push({ color: COLOUR, title: "Passage of the day", description: "The library has no passages to quote yet." });
  }

  if (debate) {
    embeds.push({
      color: COLOUR,
      title: truncate(`Debate of the day: ${escapeText(debate.topic)}`, LIMITS.embedTitle),
      description: "Two authors on the same question, in their own words.",
      fields: debate.columns.map((column) => ({
        name: truncate(escapeText(column.author), LIMITS.fieldName),
        value: column.passages[0] ? truncate(cited(column.passages[0], DEBATE_CHARS), LIMITS.fieldValue) : "*No passage.*",
      })),
    });
  }

  const fresh = input.newArticles.slice(0, MAX_NEW).map((a) => `• **${escapeText(a.title)}** — ${escapeText(byline(a.authors))}, ${escapeText(a.outlet)} · \`${a.id}\``);
  if (input.newArticles.length > MAX_NEW) fresh.push(`…and ${input.newArticles.length - MAX_NEW} more.`);
  const fields: { name: string; value: string }[] = [];
  if (debate) {
    const [a, b] = debate.columns.map((c) => escapeText(c.author));
    const question = QUESTIONS[input.rotation % QUESTIONS.length];
    if (question && a !== undefined && b !== undefined) fields.push({ name: "Question for discussion", value: question(escapeText(debate.topic), a, b) });
  }
  const sources = [passage, ...(debate?.columns.map((c) => c.passages[0]) ?? [])].filter((p): p is PassageResult => p !== undefined && p !== null);
  if (sources.length > 0) {
    const query = inCode(debate?.topic ?? input.topic ?? sources[0]?.title ?? "");
    fields.push({
      name: "Dig deeper with /quote",
      value: sources.map((p) => `\`${p.citation}\` → \`/quote query:${query} article:${p.articleId}\``).join("\n"),
    });
  }
  embeds.push({
    color: COLOUR,
    title: "New in the library",
    description: fresh.length > 0 ? fresh.join("\n") : "Nothing new since the last digest.",
    fields,
    footer: { text: digestMarker(input.localDate) },
  });

  const mention = input.roleId !== null ? `<@&${input.roleId}> ` : "";
  const reply: Reply = {
    content: `${mention}**Agora daily digest** · ${longDate(input.localDate)}`,
    embeds,
    ...(input.roleId !== null ? { mentionRoleId: input.roleId } : {}),
  };
  return { reply, citation: passage?.citation ?? null, cycle, topic: debate?.topic ?? null };
}
