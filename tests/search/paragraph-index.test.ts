import MiniSearch from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { buildParagraphIndex, paragraphIndexOptions, type IndexedParagraph } from "../../src/search/paragraph-index.js";
import { segmentBody } from "../../src/text/segment.js";

let texts: string[];
beforeAll(async () => {
  const { articles } = await loadCorpus("corpus");
  texts = articles.flatMap((article) => segmentBody(article.body).map((p) => article.body.slice(p.start, p.end)));
  // Edge cases beside the real paragraphs: only stop words, repeats in any case, initialisms,
  // an empty text, a term JSON must escape.
  texts.push("the of and it", "Peace peace PEACE, peace talks. Talks!", "U.S. and US and us", "[…] a gap", "", 'a "quoted" back\\slash');
});

function addAll(documents: readonly string[]): MiniSearch<IndexedParagraph> {
  const index = new MiniSearch<IndexedParagraph>(paragraphIndexOptions);
  index.addAll(documents.map((text, id) => ({ id, text })));
  return index;
}

describe("the paragraph index", () => {
  it("is the index addAll builds, byte for byte (terms in the same order too)", () => {
    const { index } = buildParagraphIndex(texts);
    expect(JSON.stringify(index)).toBe(JSON.stringify(addAll(texts)));
    expect(index.documentCount).toBe(texts.length);
  });

  it("is addAll's index of no texts", () => {
    expect(JSON.stringify(buildParagraphIndex([]).index)).toBe(JSON.stringify(addAll([])));
  });

  it("answers searches and takes changes as the addAll index does", () => {
    const added = addAll(texts);
    const { index } = buildParagraphIndex(texts);
    for (const query of ["ceasefire", "security guarantees for ukraine", "peace talks", "us", "terr", "negotiat", "quoted"]) {
      const options = { prefix: true, fuzzy: 0.2 };
      expect(index.search(query, options)).toEqual(added.search(query, options));
    }
    for (const changed of [added, index]) {
      changed.add({ id: texts.length, text: "A ceasefire along the Dnipro, said the envoy." });
      changed.discard(0);
      expect(changed.has(0)).toBe(false);
    }
    expect(JSON.stringify(index)).toBe(JSON.stringify(added));
    expect(index.search("dnipro")[0]?.id).toBe(texts.length);
  });

  it("knows which paragraphs hold each term, ascending", () => {
    const { paragraphsWith } = buildParagraphIndex(["peace talks", "war", "Peace, peace!", "talks of war"]);
    expect([...paragraphsWith("peac")]).toEqual([0, 2]);
    expect([...paragraphsWith("talk")]).toEqual([0, 3]);
    expect([...paragraphsWith("war")]).toEqual([1, 3]);
    // A stop word and an absent word hold nowhere.
    expect([...paragraphsWith("of")]).toEqual([]);
    expect([...paragraphsWith("truce")]).toEqual([]);
  });
});
