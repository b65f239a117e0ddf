/** How a text becomes words (minisearch's `tokenize`) and a word an index term or nothing (`processTerm`). */
export interface TermOptions {
  tokenize: (text: string) => string[];
  processTerm: (word: string) => string | null;
}

/**
 * The term counts of a run of texts: what minisearch's add() works out for each text, kept in
 * flat arrays so that a worker thread can hand them back without copying (see count-worker.ts).
 */
export interface TermCounts {
  /** The distinct terms, numbered in the order they first appear. */
  terms: string[];
  /**
   * One row per (term, text) pair, in text order: the term's number, the text's place in the
   * run, and how often the term occurs in it.
   */
  rowTerms: Int32Array;
  rowTexts: Int32Array;
  rowCounts: Int32Array;
  /** Per text, minisearch's field length: distinct words as the tokenizer gave them, stop words included. */
  fieldLengths: Int32Array;
}

/** A growable Int32Array: a 10,000-article library has millions of rows, too many for arrays of objects. */
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

  /** The rows written, in an array of their own (so its buffer can be transferred). */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Counts the terms of each text, as minisearch's add() would for a one-field document. */
export function countTerms(texts: readonly string[], options: TermOptions): TermCounts {
  const { tokenize, processTerm } = options;
  const terms: string[] = [];
  const termNumbers = new Map<string, number>();
  // Each spelling the tokenizer gives is numbered once: then a word costs one Map lookup, and the
  // rest of its counting is array work. Per spelling: its term's number (-1: a stop word, no term)
  // and the last text it was seen in, for the field length.
  const spellingNumbers = new Map<string, number>();
  const termOfSpelling: number[] = [];
  const spellingSeenIn: number[] = [];
  // Per term number: the last text it was in, and its occurrences there; the terms of this text.
  const termSeenIn: number[] = [];
  const termCount: number[] = [];
  const touched: number[] = [];
  const rows = { terms: new IntLog(), texts: new IntLog(), counts: new IntLog() };
  const fieldLengths = new Int32Array(texts.length);

  const termNumberOf = (term: string | null): number => {
    if (term === null || term === "") return -1;
    const known = termNumbers.get(term);
    if (known !== undefined) return known;
    terms.push(term);
    termNumbers.set(term, terms.length - 1);
    termSeenIn.push(-1);
    termCount.push(0);
    return terms.length - 1;
  };

  texts.forEach((text, place) => {
    let length = 0;
    for (const word of tokenize(text)) {
      let spelling = spellingNumbers.get(word);
      if (spelling === undefined) {
        spelling = termOfSpelling.length;
        spellingNumbers.set(word, spelling);
        termOfSpelling.push(termNumberOf(processTerm(word)));
        spellingSeenIn.push(-1);
      }
      if (spellingSeenIn[spelling] !== place) {
        spellingSeenIn[spelling] = place;
        length++;
      }
      const number = termOfSpelling[spelling] ?? -1;
      if (number < 0) continue;
      // Several spellings ("Peace", "peace") can make one term: their counts add up.
      if (termSeenIn[number] !== place) {
        termSeenIn[number] = place;
        termCount[number] = 0;
        touched.push(number);
      }
      termCount[number] = (termCount[number] ?? 0) + 1;
    }
    for (const number of touched) {
      rows.terms.push(number);
      rows.texts.push(place);
      rows.counts.push(termCount[number] ?? 0);
    }
    touched.length = 0;
    fieldLengths[place] = length;
  });
  return { terms, rowTerms: rows.terms.toArray(), rowTexts: rows.texts.toArray(), rowCounts: rows.counts.toArray(), fieldLengths };
}
