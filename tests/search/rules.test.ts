import { describe, expect, it } from "vitest";
import { candidateTerms, includesSorted, scoredTerms, STOP_WORD_FLOOR, synonymGroupRule } from "../../src/search/rules.js";
import { PassageSearch } from "../../src/search/passage-search.js";
import { syntheticArticle } from "../analysis/context-fixture.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { segmentBody } from "../../src/text/segment.js";
import { bestWindows, coverage, ParagraphText, windowScore } from "../../src/search/windows.js";

describe("the synonym-group rule", () => {
  const expanded = new Thesaurus([["sanctions", "embargo", "penalties"]]).expand(["sanction"], 0.5);
  // Paragraph 0 has the typed word and both synonyms; 1 both synonyms; 2 only "penalti"; 3 none.
  // "embargo" is the rarer synonym (2 paragraphs against 3), so the stronger one.
  const postings = new Map([
    ["sanction", [0]],
    ["embargo", [0, 1]],
    ["penalti", [0, 1, 2]],
  ]);
  const scores = synonymGroupRule(expanded, (term) => postings.get(term) ?? [], 10);

  it("lets a synonym score only where neither the typed word nor a stronger synonym is", () => {
    expect([0, 1, 2, 3].map((p) => scores(p, "embargo"))).toEqual([false, true, true, true]);
    expect([0, 1, 2, 3].map((p) => scores(p, "penalti"))).toEqual([false, false, true, true]);
  });

  it("always lets a typed term score", () => {
    expect(scores(0, "sanction")).toBe(true);
  });

  it("needs every word of a typed phrase member to stand aside", () => {
    const phrase = new Thesaurus([["ceasefire", "guns fall silent"]]).expand(["gun", "fall", "silent"], 0.5);
    const words = new Map([
      ["gun", [0, 1]],
      ["fall", [0]],
      ["silent", [0]],
      ["ceasefir", [0, 1]],
    ]);
    const rule = synonymGroupRule(phrase, (term) => words.get(term) ?? [], 10);
    expect(rule(0, "ceasefir")).toBe(false);
    expect(rule(1, "ceasefir")).toBe(true);
  });
});

describe("a library's stop words", () => {
  const n = 10_000;
  const df = new Map([
    ["harbor", 5_000],
    ["lighthous", 20],
    ["boat", 1_000],
  ]);
  const frequency = (term: string) => df.get(term) ?? 0;

  it("are left out of the scores while a rarer typed word remains", () => {
    expect(scoredTerms(["harbor", "lighthous"], ["boat"], frequency, n)).toEqual({ typed: ["lighthous"], expansion: ["boat"] });
  });

  it("are kept when nothing rarer is typed, or only a word the library lacks", () => {
    expect(scoredTerms(["harbor"], [], frequency, n).typed).toEqual(["harbor"]);
    expect(scoredTerms(["harbor", "zeppelin"], [], frequency, n).typed).toEqual(["harbor", "zeppelin"]);
    // A prefix being completed is a rarer word, though no paragraph has it whole.
    expect(scoredTerms(["harbor", "lightho"], [], frequency, n, "lightho").typed).toEqual(["lightho"]);
  });

  it("do not exist in a small library", () => {
    const small = (term: string) => (term === "harbor" ? STOP_WORD_FLOOR : 1);
    expect(scoredTerms(["harbor", "lighthous"], [], small, STOP_WORD_FLOOR).typed).toEqual(["harbor", "lighthous"]);
  });
});

describe("window choice", () => {
  const body = "The river froze. Boats stayed in. The harbor master wrote about the harbor ice.\n\nNothing else.";
  const [paragraph] = segmentBody(body);
  if (!paragraph) throw new Error("no paragraph");
  const text = new ParagraphText(body, paragraph);
  const weights = new Map([
    ["harbor", 1],
    ["ice", 0.5],
  ]);

  it("picks the windows that cover the query best, never overlapping, never above the paragraph's score", () => {
    const windows = bestWindows(text, weights, 10, 2);
    expect(windows.length).toBeGreaterThan(0);
    expect(body.slice(windows[0]?.span.start, windows[0]?.span.end)).toBe("The harbor master wrote about the harbor ice.");
    for (const window of windows) expect(window.score).toBeLessThanOrEqual(10);
    const [first, second] = windows;
    if (first && second) expect(first.span.end <= second.span.start || second.span.end <= first.span.start).toBe(true);
    expect(bestWindows(text, weights, 10, 1)).toHaveLength(1);
  });

  it("scores a window at most its paragraph's score, and at least half of it", () => {
    for (const share of [0, 0.3, 1]) {
      for (const rank of [0, 1]) {
        expect(windowScore(8, share, rank)).toBeLessThanOrEqual(8);
        expect(windowScore(8, share, rank)).toBeGreaterThanOrEqual(8 * 0.5 * 0.8);
      }
    }
  });

  it("counts each distinct term's weight once, and a little for repeats", () => {
    expect(coverage([{ term: "harbor" }, { term: "harbor" }, { term: "ice" }], weights)).toBeCloseTo(1.55);
  });
});

describe("includesSorted", () => {
  it("finds values in an ascending list", () => {
    expect([0, 3, 4, 9].map((v) => includesSorted([3, 4, 9], v))).toEqual([false, true, true, true]);
  });
});

describe("candidate terms in a large library", () => {
  // 100,000 paragraphs: a term is common past 500 of them (0.5%).
  const df = (term: string) => ({ mln: 20_000, year: 9_000, cattle: 120, shea: 3, dlrs: 15_000 })[term] ?? 0;
  const n = 100_000;

  it("narrow to the paragraphs of the selective typed terms when a common one is typed", () => {
    expect(candidateTerms(["mln", "cattle", "shea"], [], df, n)).toEqual(["cattle", "shea"]);
  });

  it("take the rarest term when every typed term is common, and do nothing when none is", () => {
    expect(candidateTerms(["mln", "year"], [], df, n)).toEqual(["year"]);
    expect(candidateTerms(["cattle", "shea"], [], df, n)).toBeUndefined();
  });

  it("count a common thesaurus term and the prefix being completed as common", () => {
    expect(candidateTerms(["cattle"], ["dlrs"], df, n)).toEqual(["cattle"]);
    expect(candidateTerms(["cattle", "sh"], [], df, n, "sh")).toEqual(["cattle"]);
  });

  it("never narrow a small library, not even for a prefix", () => {
    expect(candidateTerms(["mln", "shea"], [], (term) => Math.min(df(term), 400), 1_000)).toBeUndefined();
    expect(candidateTerms(["sanction", "ferr"], [], () => 3, 500, "ferr")).toBeUndefined();
  });
});

describe("a search in a large library", () => {
  // "ferry" in 552 of 2,952 paragraphs: common (past 500) but no stop word of the library (under a fifth).
  const body = [
    ...Array.from({ length: 550 }, (_, i) => `The harbour ferry ran on day ${i}.`),
    ...Array.from({ length: 2400 }, (_, i) => `The tide turned on day ${i}.`),
    "The ferry strike began at dawn.",
    "A second ferry strike followed.",
  ].join("\n\n");
  const library = [{ article: { ...syntheticArticle({ id: "harbour", authors: [], body }) }, paragraphs: segmentBody(body) }];

  it("returns only paragraphs with the selective word (the 550 with only the common one are not scored)", () => {
    const hits = new PassageSearch(library, Thesaurus.empty()).search("ferry strike", { limit: 10 });
    expect(hits.map((hit) => body.slice(hit.span.start, hit.span.end)).sort()).toEqual(["A second ferry strike followed.", "The ferry strike began at dawn."]);
  });
});
