import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import { tokenizerOptions } from "../text/tokenize.js";

/** A paragraph as minisearch sees it: its place in the library, and its text. */
export interface IndexedParagraph {
  id: number;
  text: string;
}

/** The paragraphs' minisearch index, and which paragraphs hold each of its terms. */
export interface ParagraphIndex {
  index: MiniSearch<IndexedParagraph>;
  /** The paragraphs that hold a term, ascending (empty when none does). minisearch cannot say without scoring them all. */
  paragraphsWith: (term: string) => Int32Array;
  /** How often the term occurs in each of `paragraphsWith(term)`, in the same order. */
  occurrencesOf: (term: string) => Int32Array;
  /** Each paragraph's length as minisearch counts it (distinct words, stop words included). */
  lengths: Int32Array;
}

/** The minisearch options of the paragraph index: one field, the project's tokenizer. */
export const paragraphIndexOptions = { fields: ["text"], ...tokenizerOptions };

/**
 * Indexes the texts as `addAll(texts.map((text, id) => ({ id, text })))` would, through minisearch's
 * public `loadJSON`: each text's terms are counted once, written in the serialisation format
 * `toJSON` writes (format version 2), and loaded. On 105,447 Reuters paragraphs this takes about
 * 2.5 s against 3.6–5 s for `addAll`, which walks minisearch's radix tree once per word, and the
 * counts give the postings the synonym rule and the stop-word rule need. minisearch checks the
 * format's version on load, so a minisearch that changes it fails loudly here, never silently;
 * tests/search/paragraph-index.test.ts holds the result equal to addAll's, byte for byte.
 */
export function buildParagraphIndex(texts: readonly string[], snapshots?: SnapshotStore, knownKey?: string): ParagraphIndex {
  const key = snapshots ? (knownKey ?? snapshotKey(texts)) : "";
  const saved = snapshots?.read(key);
  if (saved) {
    try {
      return fromSnapshot(saved);
    } catch {
      // A snapshot minisearch no longer reads (another version): built again below, and replaced.
    }
  }
  const snapshot = buildSnapshot(texts);
  snapshots?.write(key, snapshot);
  return fromSnapshot(snapshot);
}

/**
 * What a built index is made of, as it can be saved and loaded again: minisearch's own
 * serialisation (`json`) and the postings the ranking rules read.
 */
export interface IndexSnapshot {
  json: string;
  terms: string[];
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

/** Changes whenever the texts, the tokenizer's output format or minisearch's serialisation may. */
const SNAPSHOT_FORMAT = "agora-paragraph-index-1/minisearch-serialization-2";

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

function fromSnapshot({ json, terms, starts, ids, counts, lengths }: IndexSnapshot): ParagraphIndex {
  const numbers = new Map(terms.map((term, t) => [term, t]));
  const slice = (values: Int32Array, term: string) => {
    const t = numbers.get(term);
    return t === undefined ? new Int32Array(0) : values.subarray(starts[t] ?? 0, starts[t + 1] ?? 0);
  };
  return {
    index: MiniSearch.loadJSON<IndexedParagraph>(json, paragraphIndexOptions),
    paragraphsWith: (term) => slice(ids, term),
    occurrencesOf: (term) => slice(counts, term),
    lengths,
  };
}

function buildSnapshot(texts: readonly string[]): IndexSnapshot {
  const counted = countTerms(texts);
  const { terms, starts, ids, counts } = sortByTerm(counted);
  const n = texts.length;
  const documentIds: string[] = [];
  const fieldLength: string[] = [];
  let averageLength = 0;
  counted.fieldLengths.forEach((length, id) => {
    documentIds.push(`"${id}":${id}`);
    fieldLength.push(`"${id}":[${length}]`);
    // A running mean, computed as add() does, so the figure is the same to the bit.
    averageLength = (averageLength * id + length) / (id + 1);
  });
  const index: string[] = [];
  terms.forEach((term, t) => {
    const postings: string[] = [];
    for (let at = starts[t] ?? 0, to = starts[t + 1] ?? 0; at < to; at++) postings.push(`"${ids[at] ?? 0}":${counts[at] ?? 0}`);
    index.push(`[${JSON.stringify(term)},{"0":{${postings.join(",")}}}]`);
  });
  const json =
    `{"documentCount":${n},"nextId":${n},"documentIds":{${documentIds.join(",")}},"fieldIds":{"text":0},` +
    `"fieldLength":{${fieldLength.join(",")}},"averageFieldLength":[${n > 0 ? averageLength : ""}],"storedFields":{},"dirtCount":0,` +
    `"index":[${index.join(",")}],"serializationVersion":2}`;
  return { json, terms, starts, ids, counts, lengths: Int32Array.from(counted.fieldLengths) };
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
