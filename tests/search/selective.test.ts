import { beforeAll, describe, expect, it } from "vitest";
import { buildQueries } from "../../bench/queries.js";
import { generateTopicalCorpus } from "../../bench/topical.js";
import { loadCorpus, type Article } from "../../src/corpus/load.js";
import { PassageSearch, type PassageHit, type SegmentedArticle } from "../../src/search/passage-search.js";
import { countTerms } from "../../src/search/term-counts.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { segmentBody } from "../../src/text/segment.js";
import { tokenizerOptions } from "../../src/text/tokenize.js";
import { syntheticArticle } from "../analysis/context-fixture.js";

const segment = (articles: readonly Article[]): SegmentedArticle[] => articles.map((article) => ({ article, paragraphs: segmentBody(article.body) }));
const key = (hit: PassageHit) => `${hit.article.id}:${hit.span.start}-${hit.span.end}`;

const article = (id: string, paragraphs: string[]): Article => syntheticArticle({ id, authors: [], body: paragraphs.join("\n\n") });

describe("selective candidates in a large library", () => {
  // "harbor" is in every paragraph (common); "lighthouse" in two (selective).
  const filler = Array.from({ length: 30 }, (_, i) => `The harbor harbor harbor was busy on day ${i + 1}.`);
  const library = segment([
    article("filler", filler),
    article("keeper", ["The harbor lighthouse was repaired in spring.", "A lighthouse keeper wrote about the harbor."]),
  ]);

  it("only returns paragraphs with a selective word once another word is common", () => {
    const narrowed = new PassageSearch(library, Thesaurus.empty(), { floor: 5, share: 0 });
    const hits = narrowed.search("harbor lighthouse", { limit: 10 });
    expect(hits.map((hit) => hit.article.id)).toEqual(["keeper", "keeper"]);
    // Without narrowing, paragraphs full of "harbor" alone come back too.
    const full = new PassageSearch(library, Thesaurus.empty(), { floor: Infinity });
    expect(full.search("harbor lighthouse", { limit: 10 }).map((hit) => hit.article.id)).toContain("filler");
  });

  it("scores a candidate on every query word, as the full search does", () => {
    // leaveOutShare 1: "harbor", in every paragraph, would otherwise be left out of the scores.
    const narrowed = new PassageSearch(library, Thesaurus.empty(), { floor: 5, share: 0, leaveOutShare: 1 });
    const full = new PassageSearch(library, Thesaurus.empty(), { floor: Infinity });
    const fullScores = new Map(full.search("harbor lighthouse", { limit: 40 }).map((hit) => [key(hit), hit.score]));
    const hits = narrowed.search("harbor lighthouse", { limit: 10 });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.score).toBe(fullScores.get(key(hit)));
  });

  it("searches a query of common words on its rarest one", () => {
    const narrowed = new PassageSearch(library, Thesaurus.empty(), { floor: 1, share: 0 });
    // Both words are common at a floor of 1; "lighthouse" (2 paragraphs) is the rarer.
    expect(narrowed.search("harbor lighthouse", { limit: 10 }).map((hit) => hit.article.id)).toEqual(["keeper", "keeper"]);
    // A single word is searched as it is.
    expect(narrowed.search("harbor", { limit: 40 }).length).toBe(32);
  });
});

describe("a large library's stop words", () => {
  const filler = Array.from({ length: 30 }, (_, i) => `The harbor was busy on day ${i + 1}.`);
  const library = segment([
    article("filler", filler),
    article("keeper", ["The lighthouse keeper kept the lamp lit.", "A lighthouse stood over the harbor harbor harbor."]),
  ]);

  it("are left out of the scores while a rarer word is typed, and still choose the window", () => {
    const search = new PassageSearch(library, Thesaurus.empty(), { floor: 5, share: 0, leaveOutShare: 0.5 });
    const hits = search.search("harbor lighthouse", { limit: 2 });
    // Scored on "lighthouse" alone, the two keeper paragraphs tie on it; "harbor" no longer puts
    // the one that repeats it far ahead, but is still highlighted there.
    expect(hits.map((hit) => hit.article.id)).toEqual(["keeper", "keeper"]);
    const kept = new PassageSearch(library, Thesaurus.empty(), { floor: 5, share: 0, leaveOutShare: 1 });
    const [first, second] = hits;
    const [keptFirst, keptSecond] = kept.search("harbor lighthouse", { limit: 2 });
    expect((keptFirst?.score ?? 0) / (keptSecond?.score ?? 1)).toBeGreaterThan((first?.score ?? 0) / (second?.score ?? 1));
    const withHarbor = hits.find((hit) => hit.span.start > 0);
    expect(withHarbor?.matches.length).toBe(4);
  });

  it("are searched as they are when nothing rarer is typed", () => {
    const search = new PassageSearch(library, Thesaurus.empty(), { floor: 5, share: 0, leaveOutShare: 0.5 });
    expect(search.search("harbor", { limit: 40 })).toHaveLength(31);
    // A word the library lacks is not a rarer word: "harbor" is still searched.
    expect(search.search("harbor zeppelin", { limit: 40, prefixLastTerm: false })).toHaveLength(31);
  });
});

describe("selective candidates on the benchmark's library", () => {
  let narrowed: PassageSearch;
  let full: PassageSearch;
  let queries: string[];
  beforeAll(async () => {
    const shipped = await loadCorpus("corpus");
    const bodies = shipped.articles.map((a) => a.body);
    const thesaurus = await Thesaurus.load("corpus/thesaurus.yml");
    const library = segment(generateTopicalCorpus(bodies, { seed: 11, count: 150, realShare: 0.5 }).articles);
    // A floor of 20 paragraphs stands in for the default's 500 in a library 100 times larger.
    narrowed = new PassageSearch(library, thesaurus, { floor: 20, share: 0, leaveOutShare: 1 });
    full = new PassageSearch(library, thesaurus, { floor: Infinity });
    queries = buildQueries({ bodies, thesaurusMembers: ["ceasefire", "territory"], count: 60, seed: 11 }).map((q) => q.text);
  });

  it("keeps most of the full search's top ten, with the same score for every passage both return", () => {
    let shared = 0;
    let total = 0;
    for (const query of queries) {
      const mine = narrowed.search(query, { limit: 10 });
      const theirs = new Map(full.search(query, { limit: 10 }).map((hit) => [key(hit), hit.score]));
      for (const hit of mine) {
        const score = theirs.get(key(hit));
        if (score === undefined) continue;
        shared++;
        expect(hit.score).toBeCloseTo(score, 9);
      }
      total += theirs.size;
    }
    // 423 of 600 (70%) when this was written; all of them would mean no narrowing at all.
    expect(shared / total).toBeGreaterThan(0.65);
    expect(shared / total).toBeLessThan(1);
  });
});

describe("a library indexed with worker threads", () => {
  it("searches exactly as one indexed on this thread", async () => {
    const { articles } = generateTopicalCorpus((await loadCorpus("corpus")).articles.map((a) => a.body), { seed: 11, count: 60 });
    const library = segment(articles);
    const thesaurus = await Thesaurus.load("corpus/thesaurus.yml");
    const here = new PassageSearch(library, thesaurus);
    const parallel = await PassageSearch.build(library, thesaurus, { workers: 1 });
    for (const query of ["ceasefire negotiations", "security guarantees", "territory", "sanctio"]) {
      expect(parallel.search(query, { limit: 10 })).toEqual(here.search(query, { limit: 10 }));
    }
  });

  it("refuses term counts of other paragraphs", () => {
    const library = segment([article("a", ["One paragraph.", "Two paragraphs."])]);
    const counted = [countTerms(["only one text"], tokenizerOptions)];
    expect(() => new PassageSearch(library, Thesaurus.empty(), {}, counted)).toThrow(/of 1 paragraphs, not these 2/);
  });
});
