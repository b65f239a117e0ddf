import { beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../../src/analysis/context.js";
import { choosePassages, CONTRAST_BUDGET_CHARS, contrast, MAX_CONTRAST_COLUMNS } from "../../src/analysis/contrast.js";
import { topicRelevance } from "../../src/analysis/relevance.js";
import type { PassageResult } from "../../src/types.js";
import { NotFoundError } from "../../src/errors.js";
import { isExactSlice, loadContext, syntheticContext } from "./context-fixture.js";

let corpus: AnalysisContext;
let fixture: AnalysisContext;
beforeAll(async () => {
  corpus = await loadContext("corpus");
  fixture = await loadContext("tests/fixtures/ranking-corpus");
});

const MORE_RUSSIA = "Unknown author (more-russia-loses-better-chances-for-diplomacy)";

describe("contrast on the shipped corpus", () => {
  it("gives every author a column in the fixed order: earliest publication, then name", () => {
    const result = contrast(corpus, "NATO membership");
    // By date, inferred ones by their first possible day: 2022-04-01, Dec 2024, from 2025-03-02,
    // from 2025-04-30, from 2025-05-19.
    expect(result.columns.map((c) => c.author)).toEqual([
      MORE_RUSSIA,
      "Alexander Vershbow & Hans Binnendijk",
      "Alena Getmanchuk",
      "Bloomberg Opinion Editorial Board",
      "Unknown author (National Post)",
    ]);
    expect(result.omitted).toEqual([]);
    expect(result.columns.find((c) => c.author.startsWith("Alexander"))?.authors).toEqual(["Alexander Vershbow", "Hans Binnendijk"]);
  });

  it("quotes only exact slices, within the same budget for every column, never cut", () => {
    for (const topic of ["NATO membership", "sanctions", "security guarantees", "ceasefire", "territorial concessions"]) {
      for (const column of contrast(corpus, topic).columns) {
        expect(column.passages.length).toBeLessThanOrEqual(2);
        expect(column.passages.reduce((sum, p) => sum + p.text.length, 0)).toBeLessThanOrEqual(CONTRAST_BUDGET_CHARS);
        for (const passage of column.passages) {
          expect(isExactSlice(corpus, passage)).toBe(true);
          expect(column.articleIds).toContain(passage.articleId);
        }
      }
    }
  });

  it("picks passages that are about the topic, and says so with an empty list otherwise", () => {
    const result = contrast(corpus, "NATO membership");
    for (const column of result.columns) for (const p of column.passages) expect(p.text).toMatch(/NATO|membership/);
    // The National Post piece never mentions NATO: no quote rather than a weak one.
    const post = result.columns.find((c) => c.author === "Unknown author (National Post)");
    expect(post?.passages).toEqual([]);
    expect(post?.terms).toEqual([]);
    expect(result.columns.find((c) => c.author === "Alena Getmanchuk")?.passages[0]?.text).toContain("aspirations to join NATO");
  });

  it("gives a named author who never addresses the topic an explicit empty column", () => {
    // Getmanchuk's article never mentions sanctions or a ceasefire.
    for (const topic of ["sanctions", "ceasefire"]) {
      const column = contrast(corpus, topic).columns.find((c) => c.author === "Alena Getmanchuk");
      expect(column).toBeDefined();
      expect(column?.passages).toEqual([]);
    }
    const withSanctions = contrast(corpus, "sanctions").columns.filter((c) => c.passages.length > 0);
    for (const column of withSanctions) expect(column.passages[0]?.text).toMatch(/sanction/i);
  });

  it("shows distinctive words only for columns that quote something", () => {
    for (const column of contrast(corpus, "negotiations with Putin").columns) {
      expect(column.terms.length).toBeLessThanOrEqual(5);
      if (column.passages.length === 0) expect(column.terms).toEqual([]);
      // The topic's own words are not news.
      for (const term of column.terms) expect(term.toLowerCase()).not.toMatch(/^(?:negotiations?|putin)$/);
    }
  });

  it("keeps the same order whatever order the authors are asked for in", () => {
    const a = contrast(corpus, "security guarantees", { authors: ["Bloomberg Opinion Editorial Board", "getmanchuk"] });
    const b = contrast(corpus, "security guarantees", { authors: ["Getmanchuk", "Bloomberg Opinion Editorial Board"] });
    expect(a.columns.map((c) => c.author)).toEqual(["Alena Getmanchuk", "Bloomberg Opinion Editorial Board"]);
    expect(b.columns.map((c) => c.author)).toEqual(a.columns.map((c) => c.author));
    // A filter leaves out the unattributed articles.
    expect(a.columns.some((c) => c.author.startsWith("Unknown author"))).toBe(false);
  });

  it("rejects an unknown author with a suggestion", () => {
    let error: unknown;
    try {
      contrast(corpus, "NATO membership", { authors: ["Vershbo"] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).suggestions).toContain("Alexander Vershbow");
  });

  it("hints only at what the passages show, and never as a quote", () => {
    const result = contrast(corpus, "NATO membership");
    // The 2022 piece's passage says Ukraine is open to "not pursue NATO membership".
    expect(result.hints.some((h) => h.includes('mention "NATO"') && h.includes(`only ${MORE_RUSSIA}'s passage has a negation just before it ("not")`))).toBe(true);
    const quoted = result.columns.flatMap((c) => c.passages.map((p) => p.text));
    for (const hint of result.hints) expect(quoted.some((text) => text.includes(hint))).toBe(false);
  });
});

describe("contrast on small corpora", () => {
  it("leaves an author out of nothing: Maria Olsen never mentions a toll", () => {
    const result = contrast(fixture, "toll");
    expect(result.columns.map((c) => c.author)).toEqual(["Maria Olsen", "Ana Kovac & Tom Reyes", "Unknown author (undated-note)"]);
    expect(result.columns[0]?.passages).toEqual([]);
    expect(result.columns[1]?.passages[0]?.text).toContain("toll");
    expect(result.hints).toEqual([]);
  });

  it("shows at most six columns and names the ones left out", () => {
    const articles = Array.from({ length: 8 }, (_, i) => ({
      id: `piece-${i + 1}`,
      authors: [`Writer ${String.fromCharCode(65 + i)}`],
      published: `2024-0${i + 1}-01`,
      // Writers G and H never mention the harbor; the others do.
      body: i < 6 ? `The harbor plan needs money. Writer ${i} likes boats.` : `The budget is tight. Writer ${i} likes trains.`,
    }));
    const result = contrast(syntheticContext(articles), "harbor");
    expect(result.columns.length).toBe(MAX_CONTRAST_COLUMNS);
    expect(result.omitted).toEqual(["Writer G", "Writer H"]);
    expect(result.columns.map((c) => c.author)).toEqual(["Writer A", "Writer B", "Writer C", "Writer D", "Writer E", "Writer F"]);
  });

  it("hints at a negation one passage has and the other lacks", () => {
    const ctx = syntheticContext([
      { id: "for", authors: ["Ann Able"], published: "2024-01-01", body: "The council must impose sanctions on the mill." },
      { id: "against", authors: ["Bo Baker"], published: "2024-02-01", body: "The council should not impose sanctions on the mill." },
    ]);
    expect(contrast(ctx, "sanctions").hints).toEqual([
      'Both Ann Able and Bo Baker mention "sanctions"; only Bo Baker\'s passage has a negation just before it ("not").',
    ]);
    const agreeing = syntheticContext([
      { id: "one", authors: ["Ann Able"], body: "The council must impose sanctions on the mill." },
      { id: "two", authors: ["Bo Baker"], body: "The council should impose sanctions on the mill." },
    ]);
    expect(contrast(agreeing, "sanctions").hints).toEqual([]);
  });
});

describe("choosing a column's passages", () => {
  const passage = (citation: string, score: number, text: string): PassageResult => ({
    articleId: "a", title: "A", authors: ["X"], outlet: "O", published: null, text, start: 0, end: text.length, citation, score, highlights: [],
  });

  it("prefers a position statement that scores nearly as well", () => {
    const best = passage("a:1.1", 10, "The harbor plan was debated.");
    const position = passage("a:2.1", 8, "The city should sign the harbor plan.");
    expect(choosePassages([best, position], 100)[0]).toBe(position);
    const weakPosition = passage("a:2.1", 5, "The city should sign the harbor plan.");
    expect(choosePassages([best, weakPosition], 100)[0]).toBe(best);
  });

  it("adds a second passage only from another paragraph and only when both fit", () => {
    const first = passage("a:1.1", 10, "x".repeat(300));
    const sameParagraph = passage("a:1.2", 9, "y".repeat(100));
    const other = passage("a:2.1", 8, "z".repeat(200));
    expect(choosePassages([first, sameParagraph, other], 600)).toEqual([first, other]);
    expect(choosePassages([first, other], 450)).toEqual([first]);
    // A passage longer than the budget is skipped, never cut.
    const long = passage("a:3.1", 20, "w".repeat(700));
    expect(choosePassages([long, first], 600)).toEqual([first]);
  });

  it("sets the relevance floor from the typed words and the best score", () => {
    const relevance = topicRelevance(corpus, "NATO membership");
    expect(relevance.typed).toEqual(["nato", "membership"]);
    const best = relevance.best;
    expect(best).toBeGreaterThan(0);
    // Every typed word: relevant whatever the score.
    expect(relevance.isRelevant({ text: "Immediate NATO membership would be ideal.", score: 0.01 })).toBe(true);
    // Half of them: relevant only with a tenth of the best score.
    expect(relevance.isRelevant({ text: "It would be barred from joining NATO.", score: 0.2 * best })).toBe(true);
    expect(relevance.isRelevant({ text: "It would be barred from joining NATO.", score: 0.05 * best })).toBe(false);
    // None (thesaurus or typo matches only): relevant only with half the best score.
    expect(relevance.isRelevant({ text: "Further details would be negotiated later.", score: 0.4 * best })).toBe(false);
    expect(relevance.isRelevant({ text: "Further details would be negotiated later.", score: best })).toBe(true);
    // A three-word topic: one word of three is not enough.
    const burden = topicRelevance(corpus, "European burden-sharing");
    expect(burden.isRelevant({ text: "The European partners met.", score: burden.best })).toBe(false);
  });
});
