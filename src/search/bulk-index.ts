import MiniSearch, { type Options } from "minisearch";
import { countTerms, type TermCounts, type TermOptions } from "./term-counts.js";

export type { TermOptions } from "./term-counts.js";

/** A text as minisearch sees it: its place in the texts, and the text. */
export interface IndexedText {
  id: number;
  text: string;
}

/** A minisearch index of one text field, and which documents hold each of its terms. */
export interface BulkIndex {
  index: MiniSearch<IndexedText>;
  terms: TermPostings;
}

/**
 * Each index term's documents, kept from the build in one Int32Array (4 bytes a posting):
 * minisearch can only say which documents hold a term by scoring them all.
 */
export class TermPostings {
  readonly #numbers: ReadonlyMap<string, number>;
  readonly #starts: Int32Array;
  readonly #ids: Int32Array;

  constructor(numbers: ReadonlyMap<string, number>, starts: Int32Array, ids: Int32Array) {
    this.#numbers = numbers;
    this.#starts = starts;
    this.#ids = ids;
  }

  get size(): number {
    return this.#numbers.size;
  }

  has(term: string): boolean {
    return this.#numbers.has(term);
  }

  /** In how many documents the term occurs (0 when it is not an index term). */
  documentFrequency(term: string): number {
    const number = this.#numbers.get(term);
    return number === undefined ? 0 : (this.#starts[number + 1] ?? 0) - (this.#starts[number] ?? 0);
  }

  /** Whether the document holds the term. */
  holds(term: string, document: number): boolean {
    return includesSorted(this.documentsWith(term), document);
  }

  /** The documents that hold the term, ascending (a view: do not write to it). */
  documentsWith(term: string): Int32Array {
    const number = this.#numbers.get(term);
    if (number === undefined) return new Int32Array(0);
    return this.#ids.subarray(this.#starts[number] ?? 0, this.#starts[number + 1] ?? 0);
  }
}

/** Whether ascending `values` (a term's documents, say) include `value`: a binary search. */
export function includesSorted(values: Int32Array, value: number): boolean {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return values[low] === value;
}

/**
 * Builds the same minisearch index as `addAll(texts.map((text, id) => ({ id, text })))` with
 * fields ["text"]. addAll walks the radix tree once per token, which made it most of the build at
 * 10,000 articles. Here each text's terms are counted first (term-counts.ts), the (term, text,
 * count) rows are sorted by term, and the tree gets one insertion per distinct term.
 * tests/search/bulk-index.test.ts holds both builds to the same toJSON() and the same search results.
 */
export function buildTextIndex(texts: readonly string[], options: TermOptions): BulkIndex {
  return assembleTextIndex([countTerms(texts, options)], options);
}

/**
 * The index of texts whose terms were counted in consecutive runs (`parts`, in text order, as
 * worker threads count them): the same index buildTextIndex makes of all the texts at once.
 */
export function assembleTextIndex(parts: readonly TermCounts[], options: TermOptions): BulkIndex {
  // Number the terms as one count of all the texts would have: in the order they first appear.
  const terms: string[] = [];
  const termNumbers = new Map<string, number>();
  const globalTerms = parts.map((part) =>
    Int32Array.from(part.terms, (term) => {
      let number = termNumbers.get(term);
      if (number === undefined) {
        number = terms.length;
        terms.push(term);
        termNumbers.set(term, number);
      }
      return number;
    }),
  );

  // Counting sort of the rows by term. Parts and their rows are in text order, so each term's
  // texts stay ascending, as minisearch keeps them.
  const starts = new Int32Array(terms.length + 1);
  parts.forEach((part, p) => {
    const toGlobal = globalTerms[p] ?? new Int32Array(0);
    for (const local of part.rowTerms) {
      const slot = (toGlobal[local] ?? 0) + 1;
      starts[slot] = (starts[slot] ?? 0) + 1;
    }
  });
  for (let t = 0; t < terms.length; t++) starts[t + 1] = (starts[t + 1] ?? 0) + (starts[t] ?? 0);
  const rows = starts[terms.length] ?? 0;
  const next = starts.slice(0, terms.length);
  const ids = new Int32Array(rows);
  const counts = new Int32Array(rows);
  let firstText = 0;
  parts.forEach((part, p) => {
    const toGlobal = globalTerms[p] ?? new Int32Array(0);
    for (let row = 0; row < part.rowTerms.length; row++) {
      const term = toGlobal[part.rowTerms[row] ?? 0] ?? 0;
      const place = next[term] ?? 0;
      next[term] = place + 1;
      ids[place] = firstText + (part.rowTexts[row] ?? 0);
      counts[place] = part.rowCounts[row] ?? 0;
    }
    firstText += part.fieldLengths.length;
  });
  const sorted: SortedCounts = { terms, starts, ids, counts, fieldLengths: parts.map((part) => part.fieldLengths) };
  return { index: new CountedTextIndex({ fields: ["text"], ...options }, sorted), terms: new TermPostings(termNumbers, starts, ids) };
}

/** Term counts sorted by term: term t's texts are ids[starts[t]] to ids[starts[t + 1] - 1]. */
interface SortedCounts {
  terms: readonly string[];
  starts: Int32Array;
  ids: Int32Array;
  counts: Int32Array;
  /** Each text's field length, in text order, in the runs they were counted in. */
  fieldLengths: readonly Int32Array[];
}

/**
 * A minisearch index filled straight from sorted term counts. MiniSearch keeps its index in
 * protected fields so that a subclass can load it its own way (lucaong/minisearch#185, "Allow
 * subclassing MiniSearch"). This one sets them as `add()` would have for each text: going through
 * `loadJS` instead turns each of the 10,000-article library's 5 million postings into an object key
 * and back, about 4 s of its build; these Maps take under 1 s.
 */
class CountedTextIndex extends MiniSearch<IndexedText> {
  constructor(options: Options<IndexedText>, sorted: SortedCounts) {
    super(options);
    let id = 0;
    let averageLength = 0;
    for (const lengths of sorted.fieldLengths) {
      for (const length of lengths) {
        this._documentIds.set(id, id);
        this._idToShortId.set(id, id);
        this._fieldLength.set(id, [length]);
        // The running mean, computed as add() does, so the figure is the same to the bit.
        averageLength = (averageLength * id + length) / (id + 1);
        id++;
      }
    }
    this._avgFieldLength = [averageLength];
    this._documentCount = id;
    this._nextId = id;
    const { terms, starts, ids, counts } = sorted;
    for (let t = 0; t < terms.length; t++) {
      const documents = new Map<number, number>();
      for (let at = starts[t] ?? 0, to = starts[t + 1] ?? 0; at < to; at++) documents.set(ids[at] ?? 0, counts[at] ?? 0);
      this._index.set(terms[t] ?? "", new Map([[TEXT_FIELD, documents]]));
    }
  }
}

/** minisearch's number for the one field, "text" (fields are numbered in the order given). */
const TEXT_FIELD = 0;
