import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { Engine } from "../engine.js";
import { parseCitation } from "../text/passages.js";
import { textHash, type VectorCache } from "./cache.js";

/** One quotable window of the library, by position (its text is the body slice). */
export interface PassageRef {
  articleId: string;
  paragraph: number;
  start: number;
  end: number;
}

/** A paragraph the vectors rank, with its windows most similar first. */
export interface VectorParagraph {
  /** `<article-id>:<paragraph>`, as `paragraphKey` gives for a result. */
  key: string;
  similarity: number;
  windows: PassageRef[];
}

/** Articles enumerated (and their windows hashed) between two turns of the event loop: ~20 ms. */
const ARTICLES_PER_TURN = 10;
/** Cached vectors read between two turns of the event loop. */
const CACHED_PER_TURN = 2_000;

/**
 * Every passage window of the engine (`engine.passages`) and, once embedded, its vector. A text
 * that occurs in several windows (a repeated sentence) is embedded once. Positions are kept in
 * typed arrays: a query scans every window, and objects per window would cost more than the dot
 * products themselves.
 */
export class PassageVectors {
  readonly #articleIds: string[] = [];
  readonly #articleIndex = new Map<string, number>();
  readonly #paragraphKeys: string[] = [];
  readonly #paragraphOf = new Map<string, number>();
  /** Per paragraph: its article (index into #articleIds) and its run of refs. */
  readonly #paragraphArticle: number[] = [];
  readonly #paragraphFirstRef: number[] = [];
  /** Per ref (window): its paragraph, offsets and distinct text. */
  readonly #refParagraph: number[] = [];
  readonly #refStart: number[] = [];
  readonly #refEnd: number[] = [];
  readonly #refText: number[] = [];
  /** Per distinct text: its hash, one ref holding it, whether it has a vector yet. */
  readonly #hashes: string[] = [];
  readonly #sampleRef: number[] = [];
  #has = new Uint8Array();
  #missing = 0;
  /**
   * Every vector in one array, row i for distinct text i, allocated when the first vector
   * arrives (it gives the length): a scan then reads memory in order, with no object per vector.
   */
  #matrix: Float32Array | undefined;
  #dims = 0;

  private constructor(private readonly engine: Pick<Engine, "article">) {}

  /** Enumerates the library's windows, yielding to the event loop as it goes. */
  static async collect(engine: Pick<Engine, "articles" | "article" | "passages">, signal?: AbortSignal): Promise<PassageVectors> {
    const self = new PassageVectors(engine);
    const byHash = new Map<string, number>();
    const articles = engine.articles();
    for (let a = 0; a < articles.length; a++) {
      if (a > 0 && a % ARTICLES_PER_TURN === 0) {
        await yieldToLoop();
        signal?.throwIfAborted();
      }
      const articleId = articles[a]?.id ?? "";
      self.#articleIndex.set(articleId, a);
      self.#articleIds.push(articleId);
      for (const passage of engine.passages(articleId)) {
        const key = `${articleId}:${parseCitation(passage.citation)?.paragraph ?? 0}`;
        let paragraph = self.#paragraphOf.get(key);
        if (paragraph === undefined) {
          paragraph = self.#paragraphKeys.length;
          self.#paragraphOf.set(key, paragraph);
          self.#paragraphKeys.push(key);
          self.#paragraphArticle.push(a);
          self.#paragraphFirstRef.push(self.#refParagraph.length);
        }
        const hash = textHash(passage.text);
        let text = byHash.get(hash);
        if (text === undefined) {
          text = self.#hashes.length;
          byHash.set(hash, text);
          self.#hashes.push(hash);
          self.#sampleRef.push(self.#refParagraph.length);
          self.#missing++;
        }
        self.#refParagraph.push(paragraph);
        self.#refStart.push(passage.start);
        self.#refEnd.push(passage.end);
        self.#refText.push(text);
      }
    }
    self.#paragraphFirstRef.push(self.#refParagraph.length);
    self.#has = new Uint8Array(self.#hashes.length);
    return self;
  }

  /** Windows in the library. */
  get size(): number {
    return this.#refParagraph.length;
  }

  /** Distinct window texts (what is embedded). */
  get distinctTexts(): number {
    return this.#hashes.length;
  }

  /** Distinct texts still without a vector; 0 means ranking by vectors can start. */
  get missing(): number {
    return this.#missing;
  }

  /**
   * Fills what the cache holds for this model, 2,000 texts between two turns of the event loop
   * (SQLite answers synchronously); returns how many distinct texts it had.
   */
  async loadCached(cache: VectorCache, model: string, signal?: AbortSignal): Promise<number> {
    let found = 0;
    for (let first = 0; first < this.#hashes.length; first += CACHED_PER_TURN) {
      if (first > 0) {
        await yieldToLoop();
        signal?.throwIfAborted();
      }
      const chunk = this.#hashes.slice(first, first + CACHED_PER_TURN);
      const vectors = cache.get(model, chunk);
      chunk.forEach((hash, i) => {
        const vector = vectors.get(hash);
        if (vector === undefined) return;
        this.set(first + i, vector);
        found++;
      });
    }
    return found;
  }

  /** The distinct texts without a vector, as (index, hash, text) to embed. */
  unembedded(): { index: number; hash: string; text: string }[] {
    const out: { index: number; hash: string; text: string }[] = [];
    this.#has.forEach((has, index) => {
      if (has) return;
      const ref = this.#sampleRef[index] ?? 0;
      const articleId = this.#articleIds[this.#paragraphArticle[this.#refParagraph[ref] ?? 0] ?? 0] ?? "";
      out.push({ index, hash: this.#hashes[index] ?? "", text: this.engine.article(articleId).body.slice(this.#refStart[ref], this.#refEnd[ref]) });
    });
    return out;
  }

  /**
   * Stores a distinct text's vector. One whose length differs from the first vector's (a model
   * changed under the same name) is stored as NaN, which ranks last, rather than stall the library.
   */
  set(index: number, vector: Float32Array): void {
    if (index < 0 || index >= this.#has.length) throw new RangeError(`no passage text ${index}`);
    if (this.#matrix === undefined) {
      this.#dims = vector.length;
      this.#matrix = new Float32Array(this.#has.length * this.#dims);
    }
    if (vector.length === this.#dims) this.#matrix.set(vector, index * this.#dims);
    else this.#matrix.fill(Number.NaN, index * this.#dims, (index + 1) * this.#dims);
    if (!this.#has[index]) this.#missing--;
    this.#has[index] = 1;
  }

  /**
   * The `limit` paragraphs whose best window is most similar to the query (cosine: vectors are
   * unit length), among articles in `scope` (all when undefined) and, when given, among
   * `paragraphKeys` only.
   */
  nearestParagraphs(query: Float32Array, options: { scope?: ReadonlySet<string> | undefined; paragraphKeys?: readonly string[] | undefined; limit: number }): VectorParagraph[] {
    const matrix = this.#matrix ?? new Float32Array();
    const dims = this.#dims;
    const best = new Float64Array(this.#paragraphKeys.length).fill(-Infinity);
    const similarity = new Float64Array(this.#hashes.length).fill(Number.NaN);
    // Locals, not private fields, in the loop that runs once per window.
    const firstRef = this.#paragraphFirstRef;
    const refText = this.#refText;
    const score = (paragraph: number): void => {
      const end = firstRef[paragraph + 1]!;
      let top = -Infinity;
      for (let ref = firstRef[paragraph]!; ref < end; ref++) {
        const text = refText[ref]!;
        let value = similarity[text]!;
        if (Number.isNaN(value)) value = similarity[text] = query.length === dims ? rowDot(query, matrix, text * dims) : -Infinity;
        if (value > top) top = value;
      }
      best[paragraph] = top;
    };
    const inScope = options.scope === undefined ? undefined : new Set([...options.scope].map((id) => this.#articleIndex.get(id) ?? -1));
    if (options.paragraphKeys !== undefined) {
      for (const key of options.paragraphKeys) {
        const paragraph = this.#paragraphOf.get(key);
        if (paragraph !== undefined && (inScope === undefined || inScope.has(this.#paragraphArticle[paragraph] ?? -1))) score(paragraph);
      }
    } else {
      for (let paragraph = 0; paragraph < best.length; paragraph++) {
        if (inScope === undefined || inScope.has(this.#paragraphArticle[paragraph] ?? -1)) score(paragraph);
      }
    }
    const ranked: number[] = [];
    best.forEach((value, paragraph) => value > -Infinity && ranked.push(paragraph));
    ranked.sort((a, b) => (best[b] ?? 0) - (best[a] ?? 0));
    return ranked.slice(0, options.limit).map((paragraph) => this.#paragraph(paragraph, best[paragraph] ?? 0, similarity));
  }

  #paragraph(paragraph: number, value: number, similarity: Float64Array): VectorParagraph {
    const articleId = this.#articleIds[this.#paragraphArticle[paragraph] ?? 0] ?? "";
    const key = this.#paragraphKeys[paragraph] ?? "";
    const windows: { ref: PassageRef; similarity: number }[] = [];
    const end = this.#paragraphFirstRef[paragraph + 1] ?? 0;
    for (let ref = this.#paragraphFirstRef[paragraph] ?? 0; ref < end; ref++) {
      const window = { articleId, paragraph: Number(key.slice(articleId.length + 1)), start: this.#refStart[ref] ?? 0, end: this.#refEnd[ref] ?? 0 };
      windows.push({ ref: window, similarity: similarity[this.#refText[ref] ?? 0] ?? -Infinity });
    }
    return { key, similarity: value, windows: windows.sort((a, b) => b.similarity - a.similarity).map((window) => window.ref) };
  }
}

/**
 * Cosine of unit vectors: the dot product of `query` with the matrix row at `offset`. Four
 * running sums let the CPU overlap the additions (about twice as fast as one in V8); a NaN row
 * (see `set`) ranks last.
 */
function rowDot(query: Float32Array, matrix: Float32Array, offset: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = query.length - (query.length % 4);
  let i = 0;
  for (; i < n; i += 4) {
    s0 += query[i]! * matrix[offset + i]!;
    s1 += query[i + 1]! * matrix[offset + i + 1]!;
    s2 += query[i + 2]! * matrix[offset + i + 2]!;
    s3 += query[i + 3]! * matrix[offset + i + 3]!;
  }
  for (; i < query.length; i++) s0 += query[i]! * matrix[offset + i]!;
  const sum = s0 + s1 + s2 + s3;
  return Number.isNaN(sum) ? -Infinity : sum;
}
