import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import type { PassageResult } from "../types.js";
import { PassageSearch } from "../search/passage-search.js";
import { indexTerm, tokenize } from "../text/tokenize.js";
import type { AnalysisContext } from "./context.js";
import { authorLabels } from "./contrast.js";
import { topicRelevance } from "./relevance.js";
import { isContentTerm } from "./fightin-words.js";

/** A topic someone wrote down: its name and other words for it. */
export interface CuratedTopic {
  name: string;
  synonyms: string[];
}

export interface Topic {
  name: string;
  synonyms: string[];
  /** Whether it comes from topics.yml (true) or from corpus statistics (false). */
  curated: boolean;
  /** Key phrases of the corpus folded into this topic, as written in the text. */
  phrases: string[];
  /** Authors with at least one passage on it above the relevance floor (unsigned articles as "Unknown author (…)"). */
  authors: string[];
  /** Distinct, non-overlapping relevant passages over the name and every synonym. */
  passageCount: number;
}

/** A key phrase found in the corpus. */
export interface KeyPhrase {
  /** As written in the text (the most common spelling; lower case unless always capitalised). */
  text: string;
  /** Its index terms, in order. */
  terms: string[];
  /** Occurrences in the corpus. */
  count: number;
  /** Articles it occurs in. */
  articles: number;
  /** count × articles × words: frequent, spread over several articles, and specific. */
  score: number;
  /** Overlapping phrases merged into this one, as written. */
  variants: string[];
}

export interface TopicsOptions {
  /** Most corpus topics to add after the curated ones. Default 12. */
  limit?: number;
}

/** `topics.yml`: curated topics, each with a name and optional synonyms. */
export const topicsFileSchema = z
  .object({
    topics: z.array(
      z.object({ name: z.string().trim().min(1), synonyms: z.array(z.string().trim().min(1)).default([]) }).strict(),
    ),
  })
  .strict();

/** Reads curated topics from a YAML file; a missing file means none. Errors name the file and field. */
export async function loadCuratedTopics(file: string): Promise<CuratedTopic[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = topicsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") || "topics"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data.topics.map((topic) => ({ name: topic.name, synonyms: [...topic.synonyms] }));
}

// Content words that are still too general to name a topic in opinion writing.
const GENERIC = new Set(
  [
    "war", "country", "countries", "people", "world", "state", "states", "side", "sides", "thing", "things", "issue",
    "issues", "part", "point", "fact", "case", "end", "terms", "position", "need", "effort", "efforts", "reason",
    "chance", "chances", "matter", "order", "idea", "level", "number", "area", "areas", "leader", "leaders", "official",
    "officials", "president", "government", "administration", "day", "days", "week", "weeks", "month", "months",
    "decade", "term", "kind", "lack", "room", "sense", "hand", "goal", "step", "steps", "result", "approach", "cost",
    "great", "good", "bad", "real", "possible", "likely", "clear", "current", "recent", "future", "major", "full",
    "new", "old", "long", "large", "small", "further", "earlier", "foreign", "set", "begin", "decision", "significant", "short", "high", "low", "less", "greater", "better", "best", "worse", "key",
    "important", "willing", "ready", "able", "would", "could", "need", "want", "say", "says", "see", "give", "keep",
    "take", "use", "show", "seek", "continue", "remain", "allow", "help", "become", "leave", "demand", "agree", "offer",
  ].flatMap((word) => indexTerm(word) ?? []),
);
/** Words a noun follows and a verb does not: one-word topics must be seen after one of them. */
const DETERMINERS = new Set([
  "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "any", "no", "of", "on",
  "for", "in", "with", "about", "from", "by", "more", "new", "further", "such",
]);
/** Adjective endings: a one-word topic is a noun ("sanctions"), not "economic" or "national". */
const ADJECTIVE = /(?:ic|ical|onal|ral|tial|cial|ual|ous|ful|ible|able|ary|ian|ese|ish)$/i;
/**
 * Articles read for key phrases. A phrase worth a topic recurs across the library, so an even
 * sample of a large library finds the same ones; reading all 10,000 articles took about a minute.
 */
const MAX_PHRASE_ARTICLES = 2_000;
/** Key phrases kept, best first, before merging. */
const MAX_PHRASES = 2_000;
/** Between two words of a phrase: spaces or a hyphen, nothing that ends a clause. */
const JOINER = /^(?:\s+|-)$/;

/**
 * Key phrases of the corpus: runs of 1–3 content words inside a sentence (no punctuation
 * between them), noun-ish by shape (no adverbs, no bare -ed/-ing verb forms at the end, no
 * one-word names), in at least two articles. Phrases mostly seen inside a longer kept phrase
 * are merged into it ("guarantees" into "security guarantees"). Best first.
 */
export function keyPhrases(ctx: AnalysisContext): KeyPhrase[] {
  // Articles are visited in turn, so an article is new to a phrase when it is not the last one seen.
  const stats = new Map<string, { terms: string[]; count: number; articles: number; lastArticle: string; forms: Map<string, number> | null; afterDeterminer: boolean }>();
  // Each distinct word's term and topic-worthiness, worked out once for the whole corpus.
  const words = new Map<string, { term: string; topical: boolean }>();
  const wordInfo = (word: string) => {
    let info = words.get(word);
    if (!info) {
      info = { term: indexTerm(word) ?? "", topical: topicWord(word) };
      words.set(word, info);
    }
    return info;
  };
  const sample = evenSample(ctx.articles, MAX_PHRASE_ARTICLES);
  for (const { article, paragraphs } of sample) {
    for (const sentence of paragraphs.flatMap((p) => p.sentences)) {
      const text = article.body.slice(sentence.start, sentence.end);
      const tokens = tokenize(text);
      const infos = tokens.map((token) => wordInfo(token.word));
      for (let i = 0; i < tokens.length; i++) {
        for (let n = 1; n <= 3 && i + n <= tokens.length; n++) {
          if (!infos[i + n - 1]?.topical) break;
          const run = tokens.slice(i, i + n);
          if (n > 1 && !JOINER.test(text.slice(run.at(-2)?.end ?? 0, run.at(-1)?.start ?? 0))) break;
          if (!phraseShape(run.map((token) => token.word))) continue;
          // Not a piece of a hyphenated compound ("scale invasion" of "full-scale invasion").
          if (text[(run[0]?.start ?? 0) - 1] === "-" || text[run.at(-1)?.end ?? 0] === "-") continue;
          const terms = infos.slice(i, i + n).map((info) => info.term);
          const key = terms.join(" ");
          let entry = stats.get(key);
          if (!entry) {
            entry = { terms, count: 0, articles: 0, lastArticle: "", forms: null, afterDeterminer: false };
            stats.set(key, entry);
          }
          entry.count++;
          if (entry.lastArticle !== article.id) {
            entry.articles++;
            entry.lastArticle = article.id;
          }
          const form = text.slice(run[0]?.start ?? 0, run.at(-1)?.end ?? 0);
          const afterDeterminer = DETERMINERS.has(tokens[i - 1]?.word.toLowerCase() ?? "");
          if (afterDeterminer) entry.afterDeterminer = true;
          // A one-word topic is shown in the form seen after a determiner ("the protection", not "protect").
          if (n > 1 || afterDeterminer) {
            entry.forms ??= new Map<string, number>();
            entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
          }
        }
      }
    }
  }
  const total = sample.length;
  const phrases: KeyPhrase[] = [...stats.values()]
    .filter((p) => p.articles >= 2 && p.count >= (p.terms.length === 1 ? 3 : 2))
    // A single word every article uses ("Ukraine", "war") tells articles apart from nothing.
    .filter((p) => !(p.terms.length === 1 && total >= 3 && p.articles === total))
    .filter((p) => p.terms.length > 1 || p.afterDeterminer)
    .map((p) => ({ text: displayForm(p.forms ?? new Map()), terms: p.terms, count: p.count, articles: p.articles, score: p.count * p.articles * p.terms.length, variants: [] as string[] }))
    // Every word capitalised: a name ("Vladimir Putin", "White House"), not a topic.
    .filter((p) => !p.text.split(/[\s-]+/).every((word) => /^\p{Lu}/u.test(word)))
    .sort((a, b) => b.score - a.score || b.terms.length - a.terms.length || a.text.localeCompare(b.text))
    // Merging compares phrases pairwise; past the best few thousand a phrase can neither be a
    // topic nor change one, and a 1,000-article library has over 100,000 candidates.
    .slice(0, MAX_PHRASES);
  // A phrase mostly used inside a longer one is merged into it ("guarantees" into "security
  // guarantees"); a rarer phrase that only adds a modifier to a shorter one is merged into that
  // ("economic sanctions" into "sanctions"), but "peace talks" is not "peace".
  // Candidates are looked up by their terms rather than by scanning every phrase, in the
  // phrases' order, so the first match is the one a scan would find.
  const merged = new Set<KeyPhrase>();
  const containing = new Map<string, KeyPhrase[]>();
  const byTerms = new Map<string, KeyPhrase[]>();
  const position = new Map(phrases.map((phrase, i) => [phrase, i]));
  for (const phrase of phrases) {
    const { terms } = phrase;
    push(byTerms, terms.join(" "), phrase);
    const runs = new Set<string>();
    for (let from = 0; from < terms.length; from++) for (let to = from + 1; to <= terms.length; to++) if (to - from < terms.length) runs.add(terms.slice(from, to).join(" "));
    for (const run of runs) push(containing, run, phrase);
  }
  for (const short of phrases) {
    const into = containing.get(short.terms.join(" "))?.find((long) => long.count * 2 >= short.count);
    if (into) merge(short, into, merged);
  }
  for (const long of [...phrases].reverse()) {
    if (merged.has(long)) continue;
    const suffixes = long.terms.slice(1).map((_, i) => byTerms.get(long.terms.slice(i + 1).join(" ")) ?? []);
    const into = firstInOrder(position, suffixes.flat().filter((short) => !merged.has(short)));
    if (into) merge(long, into, merged);
  }
  return phrases.filter((phrase) => !merged.has(phrase));
}

/** At most `max` items, evenly spread over the list, in order. */
function evenSample<T>(items: readonly T[], max: number): readonly T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)] as T);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The candidate that comes first in the phrases' order (`position`: each one's index). */
function firstInOrder<T>(position: ReadonlyMap<T, number>, candidates: readonly T[]): T | undefined {
  let first: T | undefined;
  for (const candidate of candidates) if (first === undefined || (position.get(candidate) ?? 0) < (position.get(first) ?? 0)) first = candidate;
  return first;
}

function merge(from: KeyPhrase, into: KeyPhrase, merged: Set<KeyPhrase>): void {
  merged.add(from);
  into.variants.push(from.text, ...from.variants);
}

/**
 * Topics: the curated ones first, in file order, then key phrases of the corpus that no curated
 * topic covers. A curated topic absorbs the key phrases (with their merged variants) that contain
 * its name or a synonym ("sanctions relief" goes to "sanctions"). Each lists the authors with a
 * passage that matches its name or a synonym in full (every typed word of it, so "troops" alone
 * never counts for "peacekeeping troops"; the synonyms are the alternatives) among the passages
 * above the contrast floor, and how many distinct, non-overlapping passages those are.
 */
export function topics(ctx: AnalysisContext, curated: readonly CuratedTopic[] = [], options: TopicsOptions = {}): Topic[] {
  const remaining = keyPhrases(ctx);
  const result: Topic[] = [];
  for (const topic of curated) {
    const members = [topic.name, ...topic.synonyms].map((member) => PassageSearch.queryTerms(member)).filter((t) => t.length > 0);
    const matches = (text: string): boolean => members.some((member) => containsRun(PassageSearch.queryTerms(text), member));
    const absorbed: string[] = [];
    for (const phrase of [...remaining]) {
      if (matches(phrase.text)) {
        remaining.splice(remaining.indexOf(phrase), 1);
        absorbed.push(phrase.text, ...phrase.variants);
      } else {
        absorbed.push(...phrase.variants.filter(matches));
        phrase.variants = phrase.variants.filter((variant) => !matches(variant));
      }
    }
    result.push({ name: topic.name, synonyms: [...topic.synonyms], curated: true, phrases: absorbed, ...coverage(ctx, [topic.name, ...topic.synonyms]) });
  }
  for (const phrase of remaining.slice(0, options.limit ?? 12)) {
    result.push({ name: phrase.text, synonyms: phrase.variants, curated: false, phrases: [phrase.text, ...phrase.variants], ...coverage(ctx, [phrase.text]) });
  }
  return result;
}

/** Authors and distinct passages relevant to any of the queries. */
function coverage(ctx: AnalysisContext, queries: readonly string[]): { authors: string[]; passageCount: number } {
  const passages: PassageResult[] = [];
  for (const query of queries) {
    if (PassageSearch.queryTerms(query).length === 0) continue;
    const relevance = topicRelevance(ctx, query);
    passages.push(...relevance.reference.filter((p) => relevance.isRelevant(p) && relevance.matched(p).length === relevance.typed.length));
  }
  const labels = authorLabels(ctx);
  const authors = new Set(passages.flatMap((p) => (p.authors.length > 0 ? p.authors : [labels.get(p.articleId) ?? p.articleId])));
  const distinct: PassageResult[] = [];
  for (const p of [...passages].sort((a, b) => a.articleId.localeCompare(b.articleId) || a.start - b.start)) {
    const last = distinct.at(-1);
    if (last && last.articleId === p.articleId && p.start < last.end) continue;
    distinct.push(p);
  }
  return { authors: [...authors].sort((a, b) => a.localeCompare(b)), passageCount: distinct.length };
}

function topicWord(word: string): boolean {
  const term = indexTerm(word);
  if (term === null || !isContentTerm(term) || GENERIC.has(term) || /\d/.test(word) || word.length < 3) return false;
  return !/ly$/i.test(word);
}

/** Noun-ish by shape: a one-word phrase is not a name or a verb form; a phrase does not end in one. */
function phraseShape(words: readonly string[]): boolean {
  const last = words.at(-1) ?? "";
  if (words.length === 1) return !/^\p{Lu}/u.test(last) && !/(?:ed|ing)$/.test(last) && !ADJECTIVE.test(last);
  return !/ed$/.test(last) && !ADJECTIVE.test(last);
}

function displayForm(forms: ReadonlyMap<string, number>): string {
  const lower = new Map<string, number>();
  for (const [form, count] of forms) lower.set(form.toLowerCase(), (lower.get(form.toLowerCase()) ?? 0) + count);
  const [best] = [...lower.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0] ?? [""];
  const written = [...forms.entries()].filter(([form]) => form.toLowerCase() === best);
  // Lower case when the phrase is ever written so; otherwise its usual capitalisation ("NATO membership").
  return written.some(([form]) => form === best) ? best : ([...written].sort(([, x], [, y]) => y - x)[0]?.[0] ?? best);
}

function containsRun(haystack: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= haystack.length; i++) {
    for (let j = 0; j < run.length; j++) if (haystack[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
