import MiniSearch from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { buildParagraphIndex, indexTexts, paragraphIndexOptions, searchFields, type IndexedParagraph, type ParagraphSearchOptions } from "../../src/search/paragraph-index.js";
import { PassageSearch } from "../../src/search/passage-search.js";
import { tokenizerOptions } from "../../src/text/tokenize.js";
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

/** What minisearch's search says, in the shape ParagraphIndex.search gives. */
function viaMinisearch(index: MiniSearch<IndexedParagraph>, terms: readonly string[], options: ParagraphSearchOptions = {}) {
  return index
    .search(terms.join(" "), {
      tokenize: (text) => text.split(" "),
      processTerm: (term) => term,
      combineWith: "OR",
      ...(options.prefix ? { prefix: options.prefix } : {}),
      ...(options.fuzzy ? { fuzzy: options.fuzzy } : {}),
      ...(options.boostTerm ? { boostTerm: options.boostTerm } : {}),
      ...(options.boostDocument ? { boostDocument: options.boostDocument as (id: unknown, term: string) => number } : {}),
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.filter ? { filter: (result) => options.filter?.(result.id as number) ?? true } : {}),
    })
    .map(({ id, score, terms: matched, queryTerms }) => ({ id: id as number, score, terms: matched, queryTerms }));
}

describe("the paragraph index", () => {
  it("holds the postings and lengths addAll's minisearch index holds", () => {
    const built = buildParagraphIndex(texts);
    const serialized = JSON.parse(JSON.stringify(addAll(texts))) as { index: [string, { 0: Record<string, number> }][]; fieldLength: Record<string, number[]>; averageFieldLength: number[] };
    for (const [term, { 0: postings }] of serialized.index) {
      expect([...built.paragraphsWith(term)]).toEqual(Object.keys(postings).map(Number));
      expect([...built.occurrencesOf(term)]).toEqual(Object.values(postings));
    }
    expect([...built.lengths]).toEqual(Object.values(serialized.fieldLength).map(([length]) => length));
    expect(built.averageLength).toBe(serialized.averageFieldLength[0]);
    expect(built.documentCount).toBe(texts.length);
    expect(buildParagraphIndex([]).search(["peac"])).toEqual([]);
  });

  it("ranks as minisearch ranks, to the bit: whole terms, prefixes, typos, boosts, filters", () => {
    const added = addAll(texts);
    const built = buildParagraphIndex(texts);
    const queries = [["ceasefir"], ["secur", "guarante", "ukrain"], ["peac", "talk", "peac"], ["us"], ["terr"], ["negoti"], ["quot"], ["sanction", "oil", "russia"], ["", "war"], ["zzzz"]];
    const boost = (id: number, term: string) => (id % 3 === 0 ? 0 : 1 + (id % 5) / 10 + term.length / 100);
    const variants: ParagraphSearchOptions[] = [
      {},
      { prefix: (term) => term.length >= 3 },
      { fuzzy: () => 0.2 },
      { fuzzy: (term) => (term.length > 4 ? 0.3 : false), prefix: (term) => term === "terr", weights: { fuzzy: 0.3, prefix: 0.6 } },
      { boostTerm: (term) => (term === "peac" ? 0.5 : 1), boostDocument: boost },
      { filter: (id) => id % 2 === 0, prefix: () => true },
    ];
    let found = 0;
    for (const query of queries) {
      for (const options of variants) {
        const results = built.search(query, options);
        expect(results).toEqual(viaMinisearch(added, query, options));
        found += results.length;
      }
    }
    expect(found).toBeGreaterThan(200);
  });

  it("ranks titles and authors as a two-field minisearch index does", () => {
    const docs = texts.slice(0, 200).map((text, id) => ({ id, title: text.slice(0, 60), authors: id % 4 === 0 ? "" : ["Alexander Vershbow", "Anne Applebaum", "Peace Talks"][id % 3] ?? "" }));
    const added = new MiniSearch<{ id: number; title: string; authors: string }>({ fields: ["title", "authors"], ...tokenizerOptions });
    added.addAll(docs);
    const fields = [indexTexts(docs.map((doc) => doc.title)), indexTexts(docs.map((doc) => doc.authors))];
    for (const query of ["peace talks", "Applebaum on Ukraine", "vershbow peace peace", "the", ""]) {
      const expected = added.search(query, { ...tokenizerOptions, prefix: false }).map(({ id, score }) => ({ id: id as number, score }));
      expect(searchFields(fields, PassageSearch.queryTerms(query))).toEqual(expected);
    }
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
