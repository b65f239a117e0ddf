import { beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../../src/analysis/context.js";
import { topicPassages, topicRelevance } from "../../src/analysis/relevance.js";
import { timeline } from "../../src/analysis/timeline.js";
import { isExactSlice, loadContext, syntheticContext } from "./context-fixture.js";

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

  it("gives one exact passage per article, its most relevant one, and skips articles with none", () => {
    const result = timeline(corpus, "NATO membership");
    const ids = result.entries.map((e) => e.articleId);
    expect(new Set(ids).size).toBe(ids.length);
    // The only dated article comes first; the National Post piece never mentions NATO.
    expect(ids[0]).toBe("more-russia-loses-better-chances-for-diplomacy");
    expect(result.entries[0]?.undated).toBe(false);
    expect(result.entries.slice(1).every((e) => e.undated && e.published === null)).toBe(true);
    expect(ids).not.toContain("putin-is-playing-trump-for-a-fool");
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
