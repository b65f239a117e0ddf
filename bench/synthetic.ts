/**
 * Deterministic synthetic corpora for the benchmark: articles shaped like the shipped op-eds
 * (length, paragraphs, sentences, quotes, metadata) with words drawn from the real bodies.
 */
import type { Article } from "../src/corpus/load.js";
import { tokenize } from "../src/text/tokenize.js";
import { deriveSeed, Rng, ZipfSampler } from "./random.js";

/** Ranked words: real corpus words by frequency, then a tail of generated rare words. */
export interface Vocabulary {
  words: readonly string[];
  /** How many of `words` (the first ones) come from the real corpus. */
  realCount: number;
  sampler: ZipfSampler;
}

/** What an article's words are drawn from: ranked words and a sampler over their ranks. */
export type WordSource = Pick<Vocabulary, "words" | "sampler">;

export interface VocabularyOptions {
  seed: number;
  /** Generated rare words appended after the real ones. */
  rareWords?: number;
  /** Zipf exponent over the ranks. */
  exponent?: number;
  /** Share of all drawn words that are rare (generated) words. */
  rareShare?: number;
}

/** The intended shape of one generated article, for checks. */
export interface ArticleShape {
  id: string;
  words: number;
  /** Sentences per paragraph. */
  sentences: number[];
}

export interface SyntheticCorpus {
  articles: Article[];
  shapes: ArticleShape[];
}

export const SHAPE = {
  words: [700, 1300],
  paragraphs: [8, 20],
  sentenceWords: [8, 35],
  titleWords: [5, 10],
  authorPool: 2000,
  years: [2015, 2025],
} as const;

/** A plain word: starts with a letter, letters/digits/apostrophes after (no initialisms). */
const PLAIN_WORD = /^\p{L}[\p{L}\p{N}'’]*$/u;
/** A sentence's last word: long enough never to be taken for an abbreviation ("Gen.", "art."). */
const LAST_WORD = /^\p{L}{7,}$/u;

const ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cr", "dr", "gr", "pl", "st", "tr", "sh", "ch", "th", "kr", "sl"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"];
const CODAS = ["", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "x", "k"];

const FIRST_NAMES = [
  "Anna", "David", "Maria", "James", "Olena", "Michael", "Sarah", "Robert", "Elena", "John", "Laura", "Thomas",
  "Julia", "Peter", "Natalia", "Daniel", "Emma", "Andrew", "Sophie", "Mark", "Irina", "Paul", "Claire", "Richard",
  "Kateryna", "Stephen", "Helen", "Matthew", "Ruth", "Hans", "Ingrid", "Pierre", "Camille", "Marco", "Giulia",
  "Tomasz", "Agnieszka", "Lars", "Kristin", "Yuri", "Oksana", "Ahmed", "Leila", "Kenji", "Mei", "Carlos", "Lucia",
  "Samuel", "Rachel", "Alexander", "Margaret", "William", "Eleanor", "George", "Nadia", "Viktor", "Hanna", "Frank",
];

const OUTLETS = [
  "The Washington Post", "The New York Times", "The Guardian", "Financial Times", "The Economist", "Bloomberg",
  "Foreign Affairs", "Foreign Policy", "The Atlantic", "Politico Europe", "National Post", "The Globe and Mail",
  "Le Monde", "Die Zeit", "The Kyiv Independent", "Kyiv Post", "The Spectator", "The Telegraph", "The Times",
  "Wall Street Journal", "Los Angeles Times", "The Hill", "War on the Rocks", "Project Syndicate", "The National Interest",
  "Responsible Statecraft", "Chicago Tribune", "The Irish Times",
];

/** Builds the ranked vocabulary from real article bodies plus `rareWords` generated words. */
export function buildVocabulary(bodies: readonly string[], options: VocabularyOptions): Vocabulary {
  // Per lower-case word: how often it occurs, and its most common spelling ("Putin", "the").
  const counts = new Map<string, { total: number; forms: Map<string, number> }>();
  for (const body of bodies) {
    for (const { word } of tokenize(body)) {
      if (!PLAIN_WORD.test(word)) continue;
      const key = word.toLowerCase();
      let entry = counts.get(key);
      if (!entry) counts.set(key, (entry = { total: 0, forms: new Map() }));
      entry.total++;
      entry.forms.set(word, (entry.forms.get(word) ?? 0) + 1);
    }
  }
  const ranked = [...counts.entries()]
    .sort((a, b) => b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1))
    .map(([, entry]) => [...entry.forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "");
  const words = ranked.filter((word) => word !== "");
  const realCount = words.length;
  const taken = new Set(words.map((word) => word.toLowerCase()));
  const rng = new Rng(deriveSeed(options.seed, 0x70ca));
  const rare = options.rareWords ?? 50_000;
  while (words.length < realCount + rare) {
    const word = pseudoWord(rng, rng.int(1, 3));
    if (word.length < 4 || taken.has(word)) continue;
    taken.add(word);
    // Some rare words are names or places.
    words.push(rng.chance(0.3) ? capitalize(word) : word);
  }
  if (words.length === 0) throw new Error("cannot build a vocabulary from no words");
  const exponent = options.exponent ?? 1;
  // One Zipf law over all ranks, with the tail scaled so rare words are `rareShare` of the text.
  const plain = new ZipfSampler(words.length, exponent);
  const tailMass = plain.mass(realCount, words.length);
  const share = options.rareShare ?? 0.08;
  const tailScale = tailMass > 0 && tailMass < 1 ? (share / (1 - share)) * ((1 - tailMass) / tailMass) : 1;
  return { words, realCount, sampler: new ZipfSampler(words.length, exponent, 2.7, (rank) => (rank < realCount ? 1 : tailScale)) };
}

export interface CorpusOptions {
  seed: number;
  count: number;
}

/**
 * Generates `count` articles. Article i depends only on (seed, i) and the vocabulary, so the
 * first 1,000 articles of a 10,000-article corpus are the 1,000-article corpus.
 */
export function generateCorpus(vocabulary: Vocabulary, options: CorpusOptions): SyntheticCorpus {
  const authors = authorPool(options.seed, SHAPE.authorPool);
  const articles: Article[] = [];
  const shapes: ArticleShape[] = [];
  for (let i = 0; i < options.count; i++) {
    const { article, shape } = generateArticle(vocabulary, authors, new Rng(deriveSeed(options.seed, i + 1)), i);
    articles.push(article);
    shapes.push(shape);
  }
  return { articles, shapes };
}

/** One article (body, title, metadata) with words from `vocabulary`; its id ends in `-<index + 1>`. */
export function generateArticle(vocabulary: WordSource, authors: readonly string[], rng: Rng, index: number): { article: Article; shape: ArticleShape } {
  const totalWords = rng.int(SHAPE.words[0], SHAPE.words[1]);
  const paragraphCount = rng.int(SHAPE.paragraphs[0], SHAPE.paragraphs[1]);
  const paragraphs: string[] = [];
  const sentences: number[] = [];
  let wordsLeft = totalWords;
  for (let p = 0; p < paragraphCount; p++) {
    // Spread the words over the paragraphs, unevenly (0.6×–1.4× the even share).
    const even = wordsLeft / (paragraphCount - p);
    const most = wordsLeft - SHAPE.sentenceWords[0] * (paragraphCount - p - 1);
    const budget = p === paragraphCount - 1 ? wordsLeft : Math.min(most, Math.max(SHAPE.sentenceWords[0], Math.round(even * (0.6 + 0.8 * rng.next()))));
    wordsLeft -= budget;
    const lengths = sentenceLengths(rng, budget);
    paragraphs.push(lengths.map((length) => sentence(vocabulary, rng, length)).join(" "));
    sentences.push(lengths.length);
  }
  const title = titleOf(vocabulary, rng);
  const id = `${slugOf(title)}-${index + 1}`;
  const first = rng.pick(authors);
  let second = rng.pick(authors);
  while (second === first) second = rng.pick(authors);
  const outlet = rng.pick(OUTLETS);
  const article: Article = {
    id,
    title,
    authors: rng.chance(0.75) ? [first] : [first, second],
    outlet,
    published: randomDate(rng),
    source: { site: `${slugOf(outlet)}.example` },
    gaps: 0,
    bios: [],
    notes: "",
    body: `${paragraphs.join("\n\n")}\n`,
    file: `${id}.md`,
  };
  return { article, shape: { id, words: totalWords, sentences } };
}

/** Sentence lengths summing exactly to `budget` (≥ the shortest sentence), each within bounds. */
function sentenceLengths(rng: Rng, budget: number): number[] {
  const [min, max] = SHAPE.sentenceWords;
  const lengths: number[] = [];
  let left = Math.max(budget, min);
  while (left > 0) {
    if (left <= max) {
      lengths.push(left);
      break;
    }
    // Triangular-ish around 21 words, never leaving a remainder shorter than a sentence.
    const wanted = min + Math.floor(((rng.next() + rng.next()) / 2) * (max - min + 1));
    const length = Math.min(wanted, left - min);
    lengths.push(length);
    left -= length;
  }
  return lengths;
}

function sentence(vocabulary: WordSource, rng: Rng, length: number): string {
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    if (i === 0) words.push(capitalize(drawWhere(vocabulary, rng, (word) => /^\p{L}/u.test(word))));
    else if (i === length - 1) words.push(drawWhere(vocabulary, rng, (word) => LAST_WORD.test(word)));
    else words.push(draw(vocabulary, rng));
  }
  const end = rng.chance(0.06) ? "?" : ".";
  // Occasional commas and dashes inside the sentence.
  for (let i = 1; i < length - 2; i++) {
    if (rng.chance(0.06)) words[i] += ",";
    else if (rng.chance(0.01)) words[i] += " —";
  }
  const roll = rng.next();
  if (roll < 0.05 && length >= 10) {
    // The sentence ends with a quotation: … said “a b c d.”
    const from = length - rng.int(3, 6);
    words[from] = `“${words[from] ?? ""}`;
    return `${words.join(" ")}${end}”`;
  }
  if (roll < 0.15 && length >= 8) {
    // A quoted phrase inside the sentence (never its first or last word).
    const from = rng.int(1, length - 4);
    const to = Math.min(length - 2, from + rng.int(0, 3));
    words[from] = `“${words[from] ?? ""}`;
    words[to] = `${(words[to] ?? "").replace(/,$/, "").replace(/ —$/, "")}”`;
  }
  return `${words.join(" ")}${end}`;
}

function titleOf(vocabulary: WordSource, rng: Rng): string {
  const length = rng.int(SHAPE.titleWords[0], SHAPE.titleWords[1]);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const word = i === 0 ? drawWhere(vocabulary, rng, (w) => /^\p{L}/u.test(w)) : draw(vocabulary, rng);
    words.push(i === 0 || word.length > 3 ? capitalize(word) : word);
  }
  return words.join(" ");
}

function draw(vocabulary: WordSource, rng: Rng): string {
  return vocabulary.words[vocabulary.sampler.sample(rng)] ?? "the";
}

/** A Zipf-drawn word that satisfies `test` (rejection sampling, with a plain fallback). */
function drawWhere(vocabulary: WordSource, rng: Rng, test: (word: string) => boolean): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const word = draw(vocabulary, rng);
    if (test(word)) return word;
  }
  return "negotiations";
}

export function pseudoWord(rng: Rng, syllables: number): string {
  let word = "";
  for (let s = 0; s < syllables; s++) word += rng.pick(ONSETS) + rng.pick(VOWELS) + (s === syllables - 1 || rng.chance(0.3) ? rng.pick(CODAS) : "");
  return word;
}

export function authorPool(seed: number, size: number): string[] {
  const rng = new Rng(deriveSeed(seed, 0xa07));
  const names = new Set<string>();
  while (names.size < size) names.add(`${rng.pick(FIRST_NAMES)} ${capitalize(pseudoWord(rng, rng.int(2, 3)))}`);
  return [...names];
}

function randomDate(rng: Rng): string {
  const from = Date.UTC(SHAPE.years[0], 0, 1);
  const to = Date.UTC(SHAPE.years[1], 11, 31);
  const day = 86_400_000;
  return new Date(from + rng.int(0, Math.round((to - from) / day)) * day).toISOString().slice(0, 10);
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A lowercase slug (a-z, 0-9, single hyphens) of the first words of a text. */
export function slugOf(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .split("-")
    .slice(0, 6)
    .join("-");
  return slug === "" ? "article" : slug;
}
