import { stemmer } from "stemmer";
import { eng as englishStopWords } from "stopword";
import { foldWord } from "./normalize.js";

/** A word of a text with its place in that text. */
export interface Token {
  /** The word as written. */
  word: string;
  start: number;
  end: number;
}

// Words, with inner apostrophes kept so possessives and contractions stay one word; hyphens and
// dashes split words, so "pre-invasion" also matches "invasion". Dotted initialisms ("U.S.") are one word.
// Each class lists its ASCII letters first: the same matches as [\p{L}\p{N}] alone, about twice as
// fast in V8, which otherwise checks every character against the full Unicode tables.
const WORD = /(?:(?:[A-Z]|\p{Lu})\.){2,}|(?:[A-Za-z0-9]|[\p{L}\p{N}])+(?:['’](?:[A-Za-z]|\p{L})+)*/gu;

const STOP_WORDS = new Set(englishStopWords);

/**
 * The longest index term, in UTF-16 code units: a longer word is indexed and queried by its first
 * MAX_TERM_LENGTH characters (folded), both sides alike, so it still finds itself. Real words stay
 * well under it (German compounds reach about 60); what exceeds it is a pasted blob, and a
 * 50,000-character term made every search that compared terms character by character take seconds.
 */
export const MAX_TERM_LENGTH = 64;

/** Initialisms whose folded form would collide with a common word ("US" is not "us"). */
const INITIALISMS = new Map([
  ["US", "usa"],
  ["U.S.", "usa"],
  ["USA", "usa"],
  ["U.S.A.", "usa"],
  ["UK", "uk"],
  ["U.K.", "uk"],
  ["EU", "eu"],
  ["E.U.", "eu"],
  ["UN", "un"],
  ["U.N.", "un"],
]);

/** Splits text into words with their offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    tokens.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

/** Words only, for minisearch's `tokenize` option. */
export function tokenizeWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * The index term of a word, or null when it carries no meaning for search (a stop word).
 * Used both when indexing and when querying, so both sides agree.
 */
export function indexTerm(word: string): string | null {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  // Corpora repeat a few tens of thousands of spellings millions of times; bound the cache anyway.
  if (termCache.size >= MAX_CACHED_WORDS) termCache.clear();
  const term = computeIndexTerm(word);
  termCache.set(word, term);
  return term;
}

const MAX_CACHED_WORDS = 200_000;
const termCache = new Map<string, string | null>();

function computeIndexTerm(word: string): string | null {
  const initialism = INITIALISMS.get(word);
  if (initialism) return initialism;
  const folded = capLength(foldWord(word).replace(/\./g, ""));
  if (folded === "" || STOP_WORDS.has(folded)) return null;
  return stemmer(folded);
}

/** The first MAX_TERM_LENGTH code units of a folded word, never ending in half a surrogate pair. */
function capLength(folded: string): string {
  if (folded.length <= MAX_TERM_LENGTH) return folded;
  const last = folded.charCodeAt(MAX_TERM_LENGTH - 1);
  return folded.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_TERM_LENGTH - 1 : MAX_TERM_LENGTH);
}

/** The index terms of a text, in order, stop words left out. */
export function indexTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = indexTerm(token.word);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** How paragraphs (and queries) become index terms, as minisearch's `tokenize` and `processTerm`. */
export const tokenizerOptions = {
  tokenize: tokenizeWords,
  processTerm: (word: string): string | null => indexTerm(word),
};
