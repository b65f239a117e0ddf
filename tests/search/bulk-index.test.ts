import MiniSearch, { type AsPlainObject } from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { assembleTextIndex, buildTextIndex } from "../../src/search/bulk-index.js";
import { countTermsInParallel, countTermsInWorker } from "../../src/search/parallel-count.js";
import { countTerms } from "../../src/search/term-counts.js";
import { tokenizerOptions } from "../../src/text/tokenize.js";
import { segmentBody } from "../../src/text/segment.js";

let texts: string[];
beforeAll(async () => {
  const { articles } = await loadCorpus("corpus");
  texts = articles.flatMap((article) => segmentBody(article.body).map((p) => article.body.slice(p.start, p.end)));
  // Edge cases next to the real paragraphs: only stop words, repeats in any case, initialisms.
  texts.push("the of and it", "Peace peace PEACE, peace talks. Talks!", "U.S. and US and us", "[…] a gap");
});

/** toJSON() with the index in term order: the radix tree's iteration order depends on insertion order. */
function canonical(index: MiniSearch): AsPlainObject {
  const json = index.toJSON();
  return { ...json, index: [...json.index].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

describe("bulk-built paragraph index", () => {
  it("is the index addAll builds, to the last posting and field length", () => {
    const added = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...tokenizerOptions });
    added.addAll(texts.map((text, id) => ({ id, text })));
    const { index } = buildTextIndex(texts, tokenizerOptions);
    expect(canonical(index)).toEqual(canonical(added));
    expect(index.documentCount).toBe(texts.length);
  });

  it("answers searches exactly as the addAll index does", () => {
    const added = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...tokenizerOptions });
    added.addAll(texts.map((text, id) => ({ id, text })));
    const { index } = buildTextIndex(texts, tokenizerOptions);
    for (const query of ["ceasefire", "security guarantees for ukraine", "peace talks", "us", "terr", "negotiat"]) {
      const options = { prefix: true, fuzzy: 0.2 };
      expect(index.search(query, options)).toEqual(added.search(query, options));
    }
  });

  it("takes added and discarded texts as the addAll index does", () => {
    // toJSON() leaves out minisearch's id lookup (_idToShortId), which discard() relies on.
    const added = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], ...tokenizerOptions });
    added.addAll(texts.map((text, id) => ({ id, text })));
    const { index } = buildTextIndex(texts, tokenizerOptions);
    for (const changed of [added, index]) {
      changed.add({ id: texts.length, text: "A ceasefire along the Dnipro, said the envoy." });
      changed.discard(0);
      changed.discard(texts.length - 1);
      expect(changed.has(0)).toBe(false);
    }
    expect(canonical(index)).toEqual(canonical(added));
    expect(index.search("dnipro ceasefire")).toEqual(added.search("dnipro ceasefire"));
    expect(index.search("dnipro")[0]?.id).toBe(texts.length);
  });

  it("knows which paragraphs hold each term", () => {
    const { terms } = buildTextIndex(["peace talks", "war", "Peace, peace!", "talks of war"], tokenizerOptions);
    expect(terms.size).toBe(3);
    expect([...terms.documentsWith("peac")]).toEqual([0, 2]);
    expect([...terms.documentsWith("talk")]).toEqual([0, 3]);
    expect([...terms.documentsWith("war")]).toEqual([1, 3]);
    expect(terms.documentFrequency("peac")).toBe(2);
    expect(terms.documentFrequency("truce")).toBe(0);
    expect([...terms.documentsWith("truce")]).toEqual([]);
    expect(terms.has("war")).toBe(true);
    expect([0, 1, 2, 3].map((id) => terms.holds("peac", id))).toEqual([true, false, true, false]);
    expect(terms.holds("truce", 0)).toBe(false);
  });
});

describe("term counts gathered in parts", () => {
  it("assemble into the index one count of all the texts makes", () => {
    const whole = buildTextIndex(texts, tokenizerOptions);
    // Uneven parts, one of them empty, cut where a term first appears in a later part.
    const cuts = [0, 7, 7, Math.floor(texts.length / 2), texts.length];
    const parts = cuts.slice(1).map((end, i) => countTerms(texts.slice(cuts[i], end), tokenizerOptions));
    const assembled = assembleTextIndex(parts, tokenizerOptions);
    // Not canonicalised: the terms must also be inserted in the same order.
    expect(assembled.index.toJSON()).toEqual(whole.index.toJSON());
    for (const term of ["peac", "ukrain", "usa", "ceasefir"]) {
      expect([...assembled.terms.documentsWith(term)]).toEqual([...whole.terms.documentsWith(term)]);
    }
  });

  it("come back from worker threads as this thread counts them", async () => {
    const parts = await countTermsInParallel(texts, { workers: 2 });
    expect(parts).toHaveLength(3);
    expect(parts.reduce((n, part) => n + part.fieldLengths.length, 0)).toBe(texts.length);
    expect(assembleTextIndex(parts, tokenizerOptions).index.toJSON()).toEqual(buildTextIndex(texts, tokenizerOptions).index.toJSON());
    const inWorker = await countTermsInWorker(texts.slice(0, 20));
    expect(inWorker).toEqual(countTerms(texts.slice(0, 20), tokenizerOptions));
  });
});
