import { beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../../src/analysis/context.js";
import { topicPassages, topicRelevance } from "../../src/analysis/relevance.js";
import { timeline } from "../../src/analysis/timeline.js";
import { publicationDate, type PublishedField } from "../../src/corpus/dates.js";
import { createEngine } from "../../src/engine.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { isExactSlice, loadContext, syntheticArticle, syntheticContext } from "./context-fixture.js";

/** A context over invented articles whose `published` is any front-matter form, loaded as the loader would. */
function datedContext(articles: { id: string; published: PublishedField; body: string }[]): AnalysisContext {
  const built = articles.map((a) => ({
    ...syntheticArticle({ id: a.id, authors: [`Author ${a.id}`], body: a.body }),
    published: typeof a.published === "string" ? a.published : null,
    date: publicationDate(a.published),
  }));
  return createEngine("dated", built, [], Thesaurus.empty()).analysis;
}

let corpus: AnalysisContext;
let fixture: AnalysisContext;
beforeAll(async () => {
  corpus = await loadContext("corpus");
  fixture = await loadContext("tests/fixtures/ranking-corpus");
});

describe("timeline", () => {
  it("orders articles by publication date", () => {
    // harbor-deal is from 2021, bridge-toll from 2023; both mention the harbor.
    const result = timeline(fixture, "harbor");
    expect(result.entries.map((e) => [e.articleId, e.published, e.undated])).toEqual([
      ["harbor-deal", "2021-03-04", false],
      ["bridge-toll", "2023-09-12", false],
    ]);
  });

  it("puts undated articles last and marks them", () => {
    const result = timeline(fixture, "fishermen");
    expect(result.entries.map((e) => [e.articleId, e.undated])).toEqual([
      ["harbor-deal", false],
      ["undated-note", true],
    ]);
    const mixed = syntheticContext([
      { id: "no-date", authors: ["A"], body: "The harbor is old." },
      { id: "late", authors: ["B"], published: "2024-05-01", body: "The harbor was sold." },
      { id: "early", authors: ["C"], published: "2020-01-01", body: "The harbor opened." },
    ]);
    expect(timeline(mixed, "harbor").entries.map((e) => e.articleId)).toEqual(["early", "late", "no-date"]);
  });

  it("places inferred dates, months, years and ranges by their first possible day, and only unknown dates last", () => {
    const ctx = datedContext([
      { id: "unknown", published: null, body: "The harbor is old." },
      { id: "range", published: { from: "2024-03-10", to: "2024-09-30", inferred: true, evidence: "x" }, body: "The harbor was sold." },
      { id: "month", published: { month: "2024-04", inferred: true, evidence: "x" }, body: "The harbor was rebuilt." },
      { id: "day", published: "2024-03-20", body: "The harbor opened again." },
      { id: "year", published: { year: "2023", inferred: false }, body: "The harbor closed." },
      { id: "wide", published: { from: "2024-03", to: "2024-12", inferred: true, evidence: "x" }, body: "The harbor flooded." },
    ]);
    const result = timeline(ctx, "harbor");
    // By start: 2023-01-01, 2024-03-01 (wide), 2024-03-10 (range), 2024-03-20, 2024-04-01; a
    // midpoint would have put the range (June) after the month (April).
    expect(result.entries.map((e) => e.articleId)).toEqual(["year", "wide", "range", "day", "month", "unknown"]);
    expect(result.entries.map((e) => e.undated)).toEqual([false, false, false, false, false, true]);
    expect(result.entries.find((e) => e.articleId === "range")).toMatchObject({ published: null, undated: false, date: { precision: "range", start: "2024-03-10", end: "2024-09-30", inferred: true } });
  });

  it("gives one exact passage per article, its most relevant one, and skips articles with none", () => {
    const result = timeline(corpus, "NATO membership");
    const ids = result.entries.map((e) => e.articleId);
    expect(new Set(ids).size).toBe(ids.length);
    // The printed 2022 date first, then the inferred ones by their first possible day; the
    // National Post piece never mentions NATO.
    expect(ids).toEqual([
      "more-russia-loses-better-chances-for-diplomacy",
      "make-putin-an-offer-he-cant-refuse",
      "putin-has-no-legitimate-security-interests",
      "us-cant-pretend-putin-is-ready-for-peace",
    ]);
    expect(result.entries.map((e) => [e.published, e.date?.value, e.date?.inferred, e.undated])).toEqual([
      ["2022-04-01", "2022-04-01", false, false],
      [null, "2024-12", true, false],
      [null, "2025-03-02/2025-09-03", true, false],
      [null, "2025-04-30/2025-05-06", true, false],
    ]);
    const relevance = topicRelevance(corpus, "NATO membership");
    for (const entry of result.entries) {
      expect(isExactSlice(corpus, entry)).toBe(true);
      expect(entry).toMatchObject(relevance.rank(topicPassages(corpus, "NATO membership", [entry.articleId]))[0] ?? {});
    }
  });

  it("shows a ceasefire only where an article speaks of one", () => {
    const result = timeline(corpus, "ceasefire");
    // Neither the 2022 piece nor Getmanchuk's mentions a ceasefire, a truce or an armistice.
    expect(result.entries.map((e) => e.articleId).sort()).toEqual([
      "make-putin-an-offer-he-cant-refuse",
      "putin-is-playing-trump-for-a-fool",
      "us-cant-pretend-putin-is-ready-for-peace",
    ]);
    for (const entry of result.entries) expect(entry.text).toMatch(/ceasefire/);
  });
});
