import MiniSearch, { type AsPlainObject, type Options } from "minisearch";

/** How a text becomes words (minisearch's `tokenize`) and a word an index term or nothing (`processTerm`). */
export interface TermOptions {
  tokenize: (text: string) => string[];
  processTerm: (word: string) => string | null;
}

/** A minisearch index of one text field, and which documents hold each of its terms. */
export interface BulkIndex {
  index: MiniSearch<{ id: number; text: string }>;
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

  /** The documents that hold the term, ascending (a view: do not write to it). */
  documentsWith(term: string): Int32Array {
    const number = this.#numbers.get(term);
    if (number === undefined) return new Int32Array(0);
    return this.#ids.subarray(this.#starts[number] ?? 0, this.#starts[number + 1] ?? 0);
  }
}

/** A growable Int32Array: the postings log is millions of rows, too many for arrays of objects. */
class IntLog {
  data = new Int32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Builds the same minisearch index as `addAll(texts.map((text, id) => ({ id, text })))` with
 * fields ["text"], through minisearch's own serialised form (`toJSON()`'s shape, read back by
 * `MiniSearch.loadJS`). addAll walks the radix tree once per token, which made it most of the
 * build at 10,000 articles. Here each text's words are counted first, every (term, text, count)
 * is appended to a flat log, the log is sorted by term (a counting sort, so each term's texts stay
 * ascending), and the tree gets one insertion per distinct term. tests/search/bulk-index.test.ts
 * holds both builds to the same toJSON() and the same search results.
 */
export function buildTextIndex(texts: readonly string[], options: TermOptions): BulkIndex {
  const { tokenize, processTerm } = options;
  const terms: string[] = [];
  const termNumbers = new Map<string, number>();
  // Each spelling the tokenizer gives is numbered once: then a word costs one Map lookup, and the
  // rest of its counting is array work. Per spelling: its term's number (-1: a stop word, no term)
  // and the last text it was seen in, for minisearch's field length.
  const spellingNumbers = new Map<string, number>();
  const termOfSpelling: number[] = [];
  const spellingSeenIn: number[] = [];
  const log = { terms: new IntLog(), ids: new IntLog(), counts: new IntLog() };
  const fieldLength: Record<string, number[]> = {};
  const documentIds: Record<string, number> = {};
  let averageLength = 0;
  // Per term number: the last text it was in, and its occurrences there; the terms of this text.
  const termSeenIn: number[] = [];
  const termCount: number[] = [];
  const touched: number[] = [];
  texts.forEach((text, id) => {
    // minisearch's field length: distinct words as the tokenizer gave them, stop words included.
    let length = 0;
    for (const word of tokenize(text)) {
      let spelling = spellingNumbers.get(word);
      if (spelling === undefined) {
        spelling = termOfSpelling.length;
        spellingNumbers.set(word, spelling);
        termOfSpelling.push(termNumberOf(processTerm(word)));
        spellingSeenIn.push(-1);
      }
      if (spellingSeenIn[spelling] !== id) {
        spellingSeenIn[spelling] = id;
        length++;
      }
      const number = termOfSpelling[spelling] ?? -1;
      if (number < 0) continue;
      // Several spellings ("Peace", "peace") can make one term: their counts add up.
      if (termSeenIn[number] !== id) {
        termSeenIn[number] = id;
        termCount[number] = 0;
        touched.push(number);
      }
      termCount[number] = (termCount[number] ?? 0) + 1;
    }
    for (const number of touched) {
      log.terms.push(number);
      log.ids.push(id);
      log.counts.push(termCount[number] ?? 0);
    }
    touched.length = 0;
    documentIds[id] = id;
    fieldLength[id] = [length];
    // The running mean, computed as minisearch's add() does, so the figure is the same to the bit.
    averageLength = (averageLength * id + length) / (id + 1);
  });

  function termNumberOf(term: string | null): number {
    if (term === null || term === "") return -1;
    const known = termNumbers.get(term);
    if (known !== undefined) return known;
    terms.push(term);
    termNumbers.set(term, terms.length - 1);
    termSeenIn.push(-1);
    termCount.push(0);
    return terms.length - 1;
  }

  // Counting sort of the log by term; the log is in text order, so each term's texts stay ascending.
  const rows = log.terms.length;
  const starts = new Int32Array(terms.length + 1);
  for (let row = 0; row < rows; row++) {
    const slot = (log.terms.data[row] ?? 0) + 1;
    starts[slot] = (starts[slot] ?? 0) + 1;
  }
  for (let t = 0; t < terms.length; t++) starts[t + 1] = (starts[t + 1] ?? 0) + (starts[t] ?? 0);
  const next = starts.slice(0, terms.length);
  const ids = new Int32Array(rows);
  const counts = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const term = log.terms.data[row] ?? 0;
    const place = next[term] ?? 0;
    next[term] = place + 1;
    ids[place] = log.ids.data[row] ?? 0;
    counts[place] = log.counts.data[row] ?? 0;
  }

  // loadJS reads the index once, in order, with for…of. Each term's documents are made as it gets
  // there, so only one term's object is alive at a time instead of all 5 million postings of a
  // 10,000-article library (about 370 MB of peak RSS). bulk-index.test.ts fails if loadJS ever
  // reads the index another way: the loaded index would then be empty.
  const index: AsPlainObject["index"] = [];
  Object.defineProperty(index, Symbol.iterator, {
    *value(): Generator<AsPlainObject["index"][number]> {
      for (let t = 0; t < terms.length; t++) {
        const documents: Record<string, number> = {};
        for (let at = starts[t] ?? 0, to = starts[t + 1] ?? 0; at < to; at++) documents[ids[at] ?? 0] = counts[at] ?? 0;
        yield [terms[t] ?? "", { 0: documents }];
      }
    },
  });
  const plain: AsPlainObject = {
    documentCount: texts.length,
    nextId: texts.length,
    documentIds,
    fieldIds: { text: 0 },
    fieldLength,
    averageFieldLength: [averageLength],
    storedFields: {},
    dirtCount: 0,
    index,
    serializationVersion: 2,
  };
  const minisearchOptions: Options<{ id: number; text: string }> = { fields: ["text"], tokenize, processTerm };
  return { index: MiniSearch.loadJS(plain, minisearchOptions), terms: new TermPostings(termNumbers, starts, ids) };
}
