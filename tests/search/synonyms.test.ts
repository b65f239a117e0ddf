import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/load.js";
import { PassageSearch, type SegmentedArticle } from "../../src/search/passage-search.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { segmentBody } from "../../src/text/segment.js";
import { syntheticArticle } from "../analysis/context-fixture.js";

const segment = (articles: readonly Article[]): SegmentedArticle[] => articles.map((article) => ({ article, paragraphs: segmentBody(article.body) }));
const article = (id: string, paragraphs: string[]): Article => syntheticArticle({ id, authors: [], body: paragraphs.join("\n\n") });
// Paragraphs about something else, so that no test word is in most paragraphs.
const filler = Array.from({ length: 12 }, (_, i) => `The ferry timetable changed on day ${i + 1}.`);

describe("thesaurus groups", () => {
  const thesaurus = new Thesaurus([
    ["ceasefire", "truce", "armistice", "guns fall silent"],
    ["sanctions", "embargo", "penalties"],
  ]);

  it("name the groups that call for each added term, with what the query typed of them", () => {
    const expanded = thesaurus.expand(["ceasefir", "talk"], 0.5);
    expect([...expanded.keys()]).toEqual(["truce", "armistic", "gun", "fall", "silent"]);
    // A phrase member shares its weight among its words.
    expect(expanded.get("truce")?.weight).toBe(0.5);
    expect(expanded.get("gun")?.weight).toBeCloseTo(0.5 / 3);
    const [group] = expanded.get("truce")?.groups ?? [];
    expect(group?.typed).toEqual([["ceasefir"]]);
    expect(group?.added).toEqual(["truce", "armistic", "gun", "fall", "silent"]);
    expect(thesaurus.expand(["talk"]).size).toBe(0);
  });

  const library = segment([
    article("filler", filler),
    // The typed word once, in a paragraph as long as the others.
    article("typed", ["The sanctions were renewed by the council in the spring session."]),
    // Three synonyms of it, none of them typed.
    article("synonyms", ["An embargo and penalties, then another embargo, in the spring session."]),
    // The typed word with a synonym beside it.
    article("both", ["The sanctions and the embargo were renewed by the spring session."]),
  ]);
  const search = new PassageSearch(library, thesaurus);
  const scores = (query: string) => new Map(search.search(query, { limit: 10 }).map((hit) => [hit.article.id, hit.score]));

  it("count once per paragraph: several synonyms add up to no more than their strongest", () => {
    const ranked = search.search("sanctions", { limit: 10 }).map((hit) => hit.article.id);
    // 1–2. typed, both — the typed word itself (both also has "embargo", which adds nothing there)
    // 3. synonyms — two synonyms, three occurrences, still only half a typed word's weight
    expect(ranked.slice(0, 2).sort()).toEqual(["both", "typed"]);
    expect(ranked[2]).toBe("synonyms");
  });

  it("add nothing to a paragraph that has the typed word", () => {
    // Both paragraphs in one article, so that they share its context (ArticleContext counts
    // synonyms for the article as a whole): what is left to compare is each paragraph's own score.
    const together = segment([article("together", [...filler, "The sanctions were renewed in the spring session.", "The sanctions and the embargo were renewed by the spring session."])]);
    const scoresOf = (thesaurusInUse: Thesaurus) =>
      new PassageSearch(together, thesaurusInUse).search("sanctions", { limit: 10 }).map((hit) => hit.score);
    const withThesaurus = scoresOf(thesaurus);
    expect(withThesaurus).toHaveLength(2);
    expect(withThesaurus).toEqual(scoresOf(Thesaurus.empty()));
  });

  it("still find paragraphs that only have a synonym", () => {
    expect([...scores("embargo").keys()].sort()).toEqual(["both", "synonyms", "typed"]);
    expect(search.search("armistice", { limit: 10 })).toEqual([]);
  });

  it("still find them while the last word is being typed", () => {
    // "ferr" is completed as a prefix ("ferry", in the filler): that takes no paragraph away.
    const ids = new Set(search.search("sanctions ferr", { limit: 20 }).map((hit) => hit.article.id));
    expect(ids).toEqual(new Set(["typed", "both", "synonyms", "filler"]));
  });
});
