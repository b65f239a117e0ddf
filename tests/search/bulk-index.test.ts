import MiniSearch, { type AsPlainObject } from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { buildTextIndex } from "../../src/search/bulk-index.js";
import { tokenizerOptions } from "../../src/search/passage-search.js";
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
  });
});
