import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SearchableMap from "minisearch/SearchableMap";
import { tokenizerOptions } from "../text/tokenize.js";

/** A paragraph as minisearch sees it: its place in the library, and its text. */
export interface IndexedParagraph {
  id: number;
  text: string;
}

/** One paragraph a search found, as minisearch's `search` reports it. */
export interface ParagraphResult {
  /** The paragraph's place in the texts indexed. */
  id: number;
  score: number;
  /** The index terms that matched (prefix and typo matches as found), in minisearch's order. */
  terms: string[];
  /** The query terms that matched. */
  queryTerms: string[];
}

/** How a search treats each of its terms; the meaning and defaults of minisearch's SearchOptions. */
export interface ParagraphSearchOptions {
  /** Also match the index terms that start with this query term. */
  prefix?: (term: string) => boolean;
  /** Also match index terms this far from the query term (a share of its length, as minisearch's `fuzzy`), or not. */
  fuzzy?: (term: string) => number | false;
  boostTerm?: (term: string) => number;
  /** A paragraph's boost for a matched (index) term; 0 leaves the posting out. */
  boostDocument?: (id: number, term: string) => number;
  weights?: { fuzzy: number; prefix: number };
  filter?: (id: number) => boolean;
}

/** The paragraphs' index: minisearch's ranking over postings kept as arrays. */
export interface ParagraphIndex {
  /** The paragraphs that match any of these index terms, best first, scored exactly as minisearch scores them. */
  search: (terms: readonly string[], options?: ParagraphSearchOptions) => ParagraphResult[];
  /** The number of paragraphs indexed. */
  documentCount: number;
  /** The paragraphs that hold a term, ascending (empty when none does). */
  paragraphsWith: (term: string) => Int32Array;
  /** How often the term occurs in each of `paragraphsWith(term)`, in the same order. */
  occurrencesOf: (term: string) => Int32Array;
  /** Each paragraph's length as minisearch counts it (distinct words, stop words included). */
  lengths: Int32Array;
  /** The mean of `lengths`, as minisearch's running mean works it out. */
  averageLength: number;
}

/** The minisearch options the paragraph index ranks as: one field, the project's tokenizer. */
export const paragraphIndexOptions = { fields: ["text"], ...tokenizerOptions };

/**
 * Indexes the texts and ranks them as a minisearch index of `addAll(texts.map((text, id) => ({ id, text })))`
 * with `paragraphIndexOptions` would, to the bit (tests/search/paragraph-index.test.ts compares both
 * on many searches), from postings kept as flat arrays: each text's terms are counted once, and a
 * restart loads the arrays as they were saved. Restoring a minisearch index of 105,447 Reuters
 * paragraphs with `loadJSON` took 1.4–4.4 s on the busy 2-core machine (a Map per term and per
 * posting), more than the 1.5 s a whole restart may take; the arrays load in tens of ms.
 */
export function buildParagraphIndex(texts: readonly string[], snapshots?: SnapshotStore, knownKey?: string): ParagraphIndex {
  const key = snapshots ? (knownKey ?? snapshotKey(texts)) : "";
  const saved = snapshots?.read(key);
  if (saved && saved.lengths.length === texts.length) return fromSnapshot(saved);
  const snapshot = buildSnapshot(texts);
  snapshots?.write(key, snapshot);
  return fromSnapshot(snapshot);
}

/** What a built index is made of, as it can be saved and loaded again: its terms and postings. */
export interface IndexSnapshot {
  /** The distinct terms, in the order they first occur (minisearch's insertion order). */
  terms: string[];
  /** Term t's postings are `ids[starts[t]]` to `ids[starts[t + 1] - 1]`. */
  starts: Int32Array;
  ids: Int32Array;
  counts: Int32Array;
  lengths: Int32Array;
}

/** Where snapshots are kept between runs (src/search/snapshot-files.ts keeps them in a folder). */
export interface SnapshotStore {
  read(key: string): IndexSnapshot | undefined;
  write(key: string, snapshot: IndexSnapshot): void;
}

/** Changes whenever the snapshot's layout may (the code that fills it is in codeVersion). */
const SNAPSHOT_FORMAT = "agora-paragraph-index-2";

let version: string | undefined;

/**
 * A hash of the code whose output snapshots hold: the corpus loader and its rules (src/corpus/),
 * segmentation and the tokenizer (src/text/), this file and snapshot-files. A deployment of other
 * code never serves the previous one's snapshots, whatever its version number says.
 */
export function codeVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash("sha256");
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sources = [path.join(here, "..", "corpus"), path.join(here, "..", "text")].flatMap((dir) => {
    try {
      return readdirSync(dir).sort().map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  });
  const own = readdirSync(here).filter((name) => /^(paragraph-index|snapshot-files)\.[cm]?[jt]s$/.test(name)).sort().map((name) => path.join(here, name));
  for (const file of [...sources, ...own]) {
    try {
      hash.update(file.slice(here.length)).update(readFileSync(file));
    } catch {
      // A folder, or a file that went away: not code this process runs.
    }
  }
  return (version = hash.digest("hex").slice(0, 16));
}

/** A hash of the texts, in order, and the format: a restart on an unchanged corpus finds its snapshot. */
export function snapshotKey(texts: readonly string[]): string {
  const hash = createHash("sha256").update(SNAPSHOT_FORMAT).update(codeVersion());
  for (const text of texts) hash.update(`${text.length}:`).update(text);
  return hash.digest("hex").slice(0, 32);
}

/** minisearch's BM25+ parameters (its defaults, which the paragraph search never changes). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** minisearch's default weights of prefix and typo matches, and its cap on edit distance. */
const DEFAULT_WEIGHTS = { fuzzy: 0.45, prefix: 0.375 };
const MAX_FUZZY = 6;

interface Raw {
  score: number;
  terms: string[];
  match: Record<string, string[]>;
}

function fromSnapshot({ terms, starts, ids, counts, lengths }: IndexSnapshot): ParagraphIndex {
  if (starts.length !== terms.length + 1) throw new Error("malformed index snapshot");
  const numbers = new Map<string, number>();
  terms.forEach((term, t) => numbers.set(term, t));
  const slice = (values: Int32Array, term: string) => {
    const t = numbers.get(term);
    return t === undefined ? new Int32Array(0) : values.subarray(starts[t] ?? 0, starts[t + 1] ?? 0);
  };
  const documentCount = lengths.length;
  // A running mean, as minisearch's add() keeps it, so the figure is the same to the bit.
  let averageLength = 0;
  lengths.forEach((length, id) => (averageLength = (averageLength * id + length) / (id + 1)));
  // The terms as minisearch's radix tree, for prefix and typo matches: built on the first such
  // search (in the same insertion order, so matches come in minisearch's order).
  let tree: SearchableMap<number> | undefined;
  const termTree = (): SearchableMap<number> => {
    if (!tree) {
      tree = new SearchableMap<number>();
      terms.forEach((term, t) => tree?.set(term, t));
    }
    return tree;
  };

  /** minisearch's termResults for the one field. */
  const termResults = (sourceTerm: string, derivedTerm: string, t: number | undefined, termWeight: number, termBoost: number, options: ParagraphSearchOptions, results: Map<number, Raw>): void => {
    if (t === undefined) return;
    const from = starts[t] ?? 0;
    const to = starts[t + 1] ?? 0;
    const matchingFields = to - from;
    const invDocFreq = Math.log(1 + (documentCount - matchingFields + 0.5) / (matchingFields + 0.5));
    const boostDocument = options.boostDocument;
    for (let at = from; at < to; at++) {
      const id = ids[at] ?? 0;
      const docBoost = boostDocument ? boostDocument(id, derivedTerm) : 1;
      if (!docBoost) continue;
      const termFreq = counts[at] ?? 0;
      const fieldLength = lengths[id] ?? 0;
      const rawScore = invDocFreq * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / averageLength)));
      const weightedScore = termWeight * termBoost * 1 * docBoost * rawScore;
      const result = results.get(id);
      if (result) {
        result.score += weightedScore;
        if (!result.terms.includes(sourceTerm)) result.terms.push(sourceTerm);
        const match = Object.prototype.hasOwnProperty.call(result.match, derivedTerm) ? result.match[derivedTerm] : undefined;
        if (match) match.push("text");
        else result.match[derivedTerm] = ["text"];
      } else {
        results.set(id, { score: weightedScore, terms: [sourceTerm], match: { [derivedTerm]: ["text"] } });
      }
    }
  };

  /** minisearch's executeQuerySpec: the term, then its prefix matches, then its typo matches. */
  const termQuery = (term: string, options: ParagraphSearchOptions): Map<number, Raw> => {
    const { fuzzy: fuzzyWeight, prefix: prefixWeight } = options.weights ?? DEFAULT_WEIGHTS;
    const termBoost = options.boostTerm ? options.boostTerm(term) : 1;
    const results = new Map<number, Raw>();
    termResults(term, term, numbers.get(term), 1, termBoost, options, results);
    const prefixMatches = options.prefix?.(term) ? termTree().atPrefix(term) : undefined;
    const fuzzy = options.fuzzy ? options.fuzzy(term) : false;
    let fuzzyMatches: Map<string, [number, number]> | undefined;
    if (fuzzy) {
      const maxDistance = fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(term.length * fuzzy)) : fuzzy;
      if (maxDistance) fuzzyMatches = termTree().fuzzyGet(term, maxDistance);
    }
    if (prefixMatches) {
      for (const [derived, t] of prefixMatches) {
        const distance = derived.length - term.length;
        if (!distance) continue;
        fuzzyMatches?.delete(derived);
        const weight = (prefixWeight * derived.length) / (derived.length + 0.3 * distance);
        termResults(term, derived, t, weight, termBoost, options, results);
      }
    }
    if (fuzzyMatches) {
      for (const [derived, [t, distance]] of fuzzyMatches) {
        if (!distance) continue;
        const weight = (fuzzyWeight * derived.length) / (derived.length + distance);
        termResults(term, derived, t, weight, termBoost, options, results);
      }
    }
    return results;
  };

  const search = (query: readonly string[], options: ParagraphSearchOptions = {}): ParagraphResult[] => {
    // minisearch's OR: each term's results added into the first's, in order.
    let combined: Map<number, Raw> | undefined;
    for (const term of query) {
      if (!term) continue;
      const results = termQuery(term, options);
      if (!combined) {
        combined = results;
        continue;
      }
      for (const [id, raw] of results) {
        const existing = combined.get(id);
        if (!existing) {
          combined.set(id, raw);
          continue;
        }
        existing.score = existing.score + raw.score;
        existing.match = Object.assign(existing.match, raw.match);
        for (const sourceTerm of raw.terms) if (!existing.terms.includes(sourceTerm)) existing.terms.push(sourceTerm);
      }
    }
    const found: ParagraphResult[] = [];
    for (const [id, { score, terms: queryTerms, match }] of combined ?? []) {
      if (options.filter && !options.filter(id)) continue;
      found.push({ id, score: score * (queryTerms.length || 1), terms: Object.keys(match), queryTerms });
    }
    return found.sort((a, b) => b.score - a.score);
  };

  return { search, documentCount, paragraphsWith: (term) => slice(ids, term), occurrencesOf: (term) => slice(counts, term), lengths, averageLength };
}

/** The texts indexed on this thread, with no snapshot (for small indexes such as the articles' titles). */
export function indexTexts(texts: readonly string[]): ParagraphIndex {
  return fromSnapshot(buildSnapshot(texts));
}

/**
 * A minisearch search of whole terms (no prefix, no typos, no boosts, OR) over a document of
 * several fields, each indexed apart (`fields`, in minisearch's field order, the same documents
 * in each): the scores minisearch gives, to the bit. Results by score, best first.
 */
export function searchFields(fields: readonly ParagraphIndex[], query: readonly string[]): { id: number; score: number }[] {
  let combined: Map<number, { score: number; terms: string[] }> | undefined;
  for (const term of query) {
    if (!term) continue;
    const results = new Map<number, { score: number; terms: string[] }>();
    for (const field of fields) {
      const ids = field.paragraphsWith(term);
      const counts = field.occurrencesOf(term);
      const matchingFields = ids.length;
      const invDocFreq = Math.log(1 + (field.documentCount - matchingFields + 0.5) / (matchingFields + 0.5));
      ids.forEach((id, at) => {
        const termFreq = counts[at] ?? 0;
        const fieldLength = field.lengths[id] ?? 0;
        const rawScore = invDocFreq * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / field.averageLength)));
        const weightedScore = 1 * 1 * 1 * 1 * rawScore;
        const result = results.get(id);
        if (result) result.score += weightedScore;
        else results.set(id, { score: weightedScore, terms: [term] });
      });
    }
    if (!combined) {
      combined = results;
      continue;
    }
    for (const [id, raw] of results) {
      const existing = combined.get(id);
      if (!existing) combined.set(id, raw);
      else {
        existing.score = existing.score + raw.score;
        for (const sourceTerm of raw.terms) if (!existing.terms.includes(sourceTerm)) existing.terms.push(sourceTerm);
      }
    }
  }
  return [...(combined ?? [])].map(([id, { score, terms }]) => ({ id, score: score * (terms.length || 1) })).sort((a, b) => b.score - a.score);
}

function buildSnapshot(texts: readonly string[]): IndexSnapshot {
  const counted = countTerms(texts);
  const { terms, starts, ids, counts } = sortByTerm(counted);
  return { terms, starts, ids, counts, lengths: Int32Array.from(counted.fieldLengths) };
}

/** One row per (term, text): the term's number, the text, and how often the term occurs in it. */
interface TermCounts {
  /** The distinct terms, numbered in the order they first appear (minisearch's insertion order). */
  terms: string[];
  rowTerms: number[];
  rowTexts: number[];
  rowCounts: number[];
  /** Per text, minisearch's field length: its distinct words as tokenized, stop words included. */
  fieldLengths: number[];
}

/** Counts the terms of each text as minisearch's add() does for a one-field document. */
function countTerms(texts: readonly string[]): TermCounts {
  const { tokenize, processTerm } = tokenizerOptions;
  const counted: TermCounts = { terms: [], rowTerms: [], rowTexts: [], rowCounts: [], fieldLengths: [] };
  const termNumbers = new Map<string, number>();
  // Each spelling is numbered once, so a word costs one Map lookup and the rest is array work.
  // Per spelling: its term's number (-1: a stop word) and the last text it was seen in.
  const spellingNumbers = new Map<string, number>();
  const termOfSpelling: number[] = [];
  const spellingSeenIn: number[] = [];
  // Per term: the last text it was seen in and its occurrences there; the terms of this text.
  const termSeenIn: number[] = [];
  const termCount: number[] = [];
  const touched: number[] = [];
  const numberOf = (term: string): number => {
    let number = termNumbers.get(term);
    if (number === undefined) {
      number = counted.terms.push(term) - 1;
      termNumbers.set(term, number);
      termSeenIn.push(-1);
      termCount.push(0);
    }
    return number;
  };
  texts.forEach((text, place) => {
    let length = 0;
    for (const word of tokenize(text)) {
      let spelling = spellingNumbers.get(word);
      if (spelling === undefined) {
        spelling = termOfSpelling.length;
        spellingNumbers.set(word, spelling);
        const term = processTerm(word);
        termOfSpelling.push(term ? numberOf(term) : -1);
        spellingSeenIn.push(-1);
      }
      if (spellingSeenIn[spelling] !== place) {
        spellingSeenIn[spelling] = place;
        length++;
      }
      const number = termOfSpelling[spelling] ?? -1;
      if (number < 0) continue;
      // Several spellings ("Peace", "peace") make one term: their counts add up.
      if (termSeenIn[number] !== place) {
        termSeenIn[number] = place;
        termCount[number] = 0;
        touched.push(number);
      }
      termCount[number] = (termCount[number] ?? 0) + 1;
    }
    for (const number of touched) {
      counted.rowTerms.push(number);
      counted.rowTexts.push(place);
      counted.rowCounts.push(termCount[number] ?? 0);
    }
    touched.length = 0;
    counted.fieldLengths.push(length);
  });
  return counted;
}

/** The rows by term (a counting sort; each term's texts stay ascending): term t's are `starts[t]` to `starts[t + 1] - 1`. */
function sortByTerm(counted: TermCounts): { terms: string[]; starts: Int32Array; ids: Int32Array; counts: Int32Array } {
  const { terms, rowTerms, rowTexts, rowCounts } = counted;
  const starts = new Int32Array(terms.length + 1);
  for (const term of rowTerms) starts[term + 1] = (starts[term + 1] ?? 0) + 1;
  for (let t = 0; t < terms.length; t++) starts[t + 1] = (starts[t + 1] ?? 0) + (starts[t] ?? 0);
  const next = starts.slice(0, terms.length);
  const ids = new Int32Array(rowTerms.length);
  const counts = new Int32Array(rowTerms.length);
  rowTerms.forEach((term, row) => {
    const place = next[term] ?? 0;
    next[term] = place + 1;
    ids[place] = rowTexts[row] ?? 0;
    counts[place] = rowCounts[row] ?? 0;
  });
  return { terms, starts, ids, counts };
}
