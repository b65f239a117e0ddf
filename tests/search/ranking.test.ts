import { beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { NotFoundError, QueryError } from "../../src/errors.js";

// A three-article fixture small enough to reason about every rank by hand.
let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "tests/fixtures/ranking-corpus" });
});

const citations = (results: { citation: string }[]) => results.map((r) => r.citation);

describe("ranking on the fixture corpus", () => {
  it("ranks passages by how well they cover the query", () => {
    const results = engine.search("fishermen quay");
    // 1. harbor-deal 2.1 — the only sentence with both "fishermen" and "quay"
    // 2. undated-note 1.1 — "fishermen" alone, in a short paragraph
    expect(citations(results).slice(0, 2)).toEqual(["harbor-deal:2.1", "undated-note:1.1"]);
  });

  it("expands a query through the thesaurus, below the typed word", () => {
    const results = engine.search("ceasefire");
    // 1. bridge-toll 3.1 — "truce" is in the same synonym group as "ceasefire"
    expect(citations(results)).toEqual(["bridge-toll:3.1"]);
  });

  it("treats the last word as a prefix for as-you-type queries", () => {
    // "dredg" is a prefix of "dredging" (stem "dredg"), "harb" of "harbor"
    expect(citations(engine.search("dredg"))).toEqual(["harbor-deal:1.2"]);
    expect(engine.search("harb").map((r) => r.articleId)).toContain("harbor-deal");
  });

  it("falls back to typo tolerance only when exact terms find little", () => {
    // "fishermn" matches nothing exactly; fuzzy finds "fishermen"
    expect(engine.search("fishermn").map((r) => r.citation)).toContain("harbor-deal:2.1");
  });

  it("lifts passages of an article whose title matches", () => {
    // "bridge" is in bridge-toll's title and body; the title match keeps it first
    expect(engine.search("bridge repair")[0]?.articleId).toBe("bridge-toll");
  });

  it("never returns overlapping passages, nor more than two from one paragraph", () => {
    const results = engine.search("harbor fishermen plan fear berth city deal", { limit: 20 });
    for (const [i, a] of results.entries()) {
      for (const b of results.slice(i + 1)) {
        if (a.articleId === b.articleId) expect(a.start < b.end && b.start < a.end).toBe(false);
      }
    }
    const perParagraph = new Map<string, number>();
    for (const r of results) {
      const key = r.citation.replace(/\.\d+(?:-\d+)?$/, "");
      perParagraph.set(key, (perParagraph.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perParagraph.values())).toBeLessThanOrEqual(2);
  });

  it("marks the matched words for highlighting", () => {
    const [top] = engine.search("fishermen quay");
    expect(top?.highlights.map((h) => top.text.slice(h.start, h.end))).toEqual(["Fishermen", "quay"]);
  });

  it("filters by author (full name or surname, any case), article and date range", () => {
    expect(new Set(engine.search("harbor", { author: "kovac" }).map((r) => r.articleId))).toEqual(new Set(["bridge-toll"]));
    expect(new Set(engine.search("harbor", { author: "Maria Olsen" }).map((r) => r.articleId))).toEqual(new Set(["harbor-deal"]));
    expect(new Set(engine.search("fishermen", { article: "undated-note" }).map((r) => r.articleId))).toEqual(new Set(["undated-note"]));
    expect(new Set(engine.search("harbor", { from: "2022-01-01" }).map((r) => r.articleId))).toEqual(new Set(["bridge-toll"]));
    // An undated article is never inside a date range.
    expect(engine.search("fishermen", { to: "2030-01-01" }).map((r) => r.articleId)).not.toContain("undated-note");
  });

  it("says which author or article is unknown and suggests the closest", () => {
    const authorError = (() => {
      try {
        engine.search("harbor", { author: "olsn" });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(authorError).toBeInstanceOf(NotFoundError);
    expect((authorError as NotFoundError).suggestions).toContain("Maria Olsen");
    expect(() => engine.article("harbour-deal")).toThrow(/unknown article "harbour-deal"; did you mean "harbor-deal"/);
  });

  it("rejects an empty query or one of stop words only", () => {
    expect(() => engine.search("   ")).toThrow(QueryError);
    expect(() => engine.quote("the and of")).toThrow(/no searchable words/);
  });

  it("carries the attribution on every result", () => {
    const [top] = engine.quote("toll");
    expect(top).toMatchObject({
      articleId: "bridge-toll",
      title: "Tolls will not fix the bridge",
      authors: ["Tom Reyes", "Ana Kovac"],
      outlet: "Metro Ledger",
      published: "2023-09-12",
    });
    expect(top?.score).toBeGreaterThan(0);
  });
});

describe("quote", () => {
  it("keeps one passage per paragraph, the best one", () => {
    const searched = engine.search("harbor fishermen plan fear berth city deal", { limit: 20 });
    const quoted = engine.quote("harbor fishermen plan fear berth city deal", { limit: 20 });
    const paragraphOf = (citation: string) => citation.slice(0, citation.lastIndexOf("."));
    const paragraphs = quoted.map((r) => paragraphOf(r.citation));
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
    // Every paragraph a search reaches is quoted once, by the passage the search ranked first there.
    const firstPerParagraph = new Map<string, string>();
    for (const r of searched) if (!firstPerParagraph.has(paragraphOf(r.citation))) firstPerParagraph.set(paragraphOf(r.citation), r.citation);
    expect(new Set(quoted.map((r) => r.citation))).toEqual(new Set(firstPerParagraph.values()));
  });
});
