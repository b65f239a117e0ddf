import { beforeAll, describe, expect, it } from "vitest";
import { lexRank } from "../../src/analysis/lexrank.js";
import { summarize } from "../../src/analysis/summary-scope.js";
import { isPositionStatement, pickSummarySentences } from "../../src/analysis/summarize.js";
import { documentFrequencies, tfidfVectors } from "../../src/analysis/vectors.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { NotFoundError } from "../../src/errors.js";
import { indexTerms } from "../../src/text/tokenize.js";

const vectorsOf = (texts: string[]) => {
  const terms = texts.map(indexTerms);
  return tfidfVectors(terms, documentFrequencies(terms), terms.length);
};

describe("LexRank", () => {
  it("ranks the sentence that shares most with the others highest", () => {
    const ranks = lexRank(
      vectorsOf([
        "Sanctions on Russian banks hurt the Kremlin.",
        "Sanctions on Russian oil and Russian banks hurt the Kremlin and its war economy.",
        "Oil sanctions hurt the war economy.",
        "The weather in spring is pleasant.",
      ]),
    );
    const best = ranks.indexOf(Math.max(...ranks));
    expect(best).toBe(1);
    expect(ranks[3]).toBeLessThan(ranks[2] ?? 0);
    expect(ranks.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("follows its prior when sentences are unrelated", () => {
    const ranks = lexRank(vectorsOf(["Alpha beta.", "Gamma delta.", "Epsilon zeta."]), { prior: [3, 1, 1] });
    expect(ranks[0]).toBeGreaterThan(ranks[1] ?? 1);
  });
});

describe("position statements and MMR", () => {
  it("recognises normative language", () => {
    expect(isPositionStatement("The US ought to provide it.")).toBe(true);
    expect(isPositionStatement("That means the best strategy for the West is to sharply increase military assistance.")).toBe(true);
    expect(isPositionStatement("Putin must change his approach.")).toBe(true);
    expect(isPositionStatement("On Tuesday in Istanbul, the sides met for a sixth time.")).toBe(false);
  });

  it("never picks two near-duplicates", () => {
    const texts = [
      "Sanctions on Russian banks must be tightened now.",
      "Sanctions on Russian banks must be tightened now, really.",
      "Europe should pay for more of its own defence.",
      "Ukraine needs air defence systems.",
    ];
    const picked = pickSummarySentences(
      texts.map((t, i) => ({ position: i / 3, terms: indexTerms(t), normative: isPositionStatement(t) })),
      { count: 3 },
    );
    expect(picked).toHaveLength(3);
    expect(picked.includes(0) && picked.includes(1)).toBe(false);
  });
});

describe("summarize on the shipped corpus", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine({ corpusDir: "corpus" });
  });

  const expectExact = (sentences: { articleId: string; text: string; start: number; end: number }[]) => {
    for (const s of sentences) expect(engine.article(s.articleId).body.slice(s.start, s.end)).toBe(s.text);
  };

  it("summarizes one article in 3 / 5 / 8 sentences, in reading order, with elisions marked", () => {
    for (const [length, count] of [["short", 3], ["medium", 5], ["long", 8]] as const) {
      const summary = summarize(engine.analysis, { article: "make-putin-an-offer-he-cant-refuse" }, length);
      expect(summary.sentences).toHaveLength(count);
      expectExact(summary.sentences);
      const starts = summary.sentences.map((s) => s.start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      for (const [i, s] of summary.sentences.entries()) {
        const previous = summary.sentences[i - 1];
        const [pPar, pSen] = (previous?.citation.split(":")[1] ?? "0.0").split(".").map(Number);
        const [par, sen] = (s.citation.split(":")[1] ?? "").split(".").map(Number);
        expect(s.elidedBefore).toBe(previous !== undefined && pPar === par && (pSen ?? 0) + 1 < (sen ?? 0));
      }
    }
  });

  it("prefers a position statement over an equally central report", () => {
    const texts = [
      "Sanctions on Russian oil exports have hurt the Kremlin budget.",
      "Sanctions on Russian oil exports must hurt the Kremlin budget.",
      "Oil exports fund the Kremlin budget.",
    ];
    const candidates = texts.map((t) => ({ position: 0.5, terms: indexTerms(t), normative: isPositionStatement(t) }));
    expect(pickSummarySentences(candidates, { count: 1 })).toEqual([1]);
    // Without the boost the report (earlier, same centrality) is as good a pick: the boost decides.
    expect(pickSummarySentences(candidates, { count: 1, positionBoost: 1 })).toEqual([0]);
  });

  it("summarizes an author with one article from that article only, by surname", () => {
    const summary = summarize(engine.analysis, { author: "getmanchuk" }, "short");
    expect(summary.scope).toMatchObject({ kind: "author", value: "Alena Getmanchuk", articleIds: ["putin-has-no-legitimate-security-interests"] });
    expect(new Set(summary.sentences.map((s) => s.articleId))).toEqual(new Set(["putin-has-no-legitimate-security-interests"]));
    expectExact(summary.sentences);
  });

  it("summarizes a topic across authors, grouped in publication order", () => {
    const summary = summarize(engine.analysis, { topic: "sanctions" }, "medium");
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(new Set(summary.sentences.map((s) => s.articleId)).size).toBeGreaterThan(1);
    const dated = summary.sentences.map((s) => s.published ?? "9999");
    expect(dated).toEqual([...dated].sort());
    expectExact(summary.sentences);
  });

  it("returns no sentences for a topic nobody addresses", () => {
    expect(summarize(engine.analysis, { topic: "badminton tournament" }).sentences).toEqual([]);
  });

  it("names an unknown author and suggests the closest", () => {
    expect(() => summarize(engine.analysis, { author: "Binnendyk" })).toThrow(NotFoundError);
    expect(() => summarize(engine.analysis, { author: "Binnendyk" })).toThrow(/did you mean "Hans Binnendijk"/);
  });
});

describe("summarize a one-paragraph article", () => {
  it("returns its sentences, no more than it has", async () => {
    const engine = await loadEngine({ corpusDir: "tests/fixtures/ranking-corpus" });
    const summary = summarize(engine.analysis, { article: "undated-note" }, "long");
    expect(summary.sentences.map((s) => s.text)).toEqual(["Nobody asked the fishermen.", "The waterfront plan was drawn up in an office far from the water."]);
  });
});
