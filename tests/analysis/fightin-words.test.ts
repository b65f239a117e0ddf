import { describe, expect, it } from "vitest";
import { distinctiveTerms, logOddsZScores, surfaceForms, termCounts } from "../../src/analysis/fightin-words.js";

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const plus = (a: Map<string, number>, b: Map<string, number>) => {
  const sum = new Map(a);
  for (const [term, n] of b) sum.set(term, (sum.get(term) ?? 0) + n);
  return sum;
};

describe("weighted log-odds with an informative Dirichlet prior", () => {
  // Group: a×10, b×5 (n=15). Rest: b×5, c×10 (n=15). Prior = both: each term a third of 30
  // words, so with α_0 = 30 every α_w = 10.
  const group = counts({ a: 10, b: 5 });
  const rest = counts({ b: 5, c: 10 });
  const prior = plus(group, rest);

  it("matches eq. 22 worked by hand", () => {
    const z = logOddsZScores(group, rest, prior, 30);
    // δ_a = log(20 / (15+30-10-10)) − log(10 / (15+30-0-10)) = log(0.8) − log(10/35) = 1.0296
    // σ²_a = 1/20 + 1/10 = 0.15, so z = 1.0296 / 0.3873 = 2.658
    expect(z.get("a")).toBeCloseTo(Math.log(0.8 / (10 / 35)) / Math.sqrt(0.15), 6);
    expect(z.get("a")).toBeCloseTo(2.658, 2);
    // Used equally by both sides of equal size: no difference at all.
    expect(z.get("b")).toBeCloseTo(0, 10);
    // Only the rest uses c: the same size, the other sign.
    expect(z.get("c")).toBeCloseTo(-2.658, 2);
  });

  it("keeps only positive z above the floor, best first", () => {
    const terms = distinctiveTerms(group, rest, prior, { priorStrength: 30, minCount: 1 });
    expect(terms.map((t) => t.term)).toEqual(["a"]);
    expect(terms[0]?.count).toBe(10);
    // From the other side, c is the distinctive one.
    expect(distinctiveTerms(rest, group, prior, { priorStrength: 30, minCount: 1 }).map((t) => t.term)).toEqual(["c"]);
  });

  it("orders by z: a bigger lead over the rest scores higher", () => {
    const g = counts({ strong: 30, mild: 20, even: 20, filler: 130 });
    const r = counts({ strong: 2, mild: 4, even: 20, filler: 174 });
    const z = logOddsZScores(g, r, plus(g, r));
    expect(z.get("strong")).toBeGreaterThan(z.get("mild") ?? Infinity);
    expect(z.get("mild")).toBeGreaterThan(0);
    expect(Math.abs(z.get("even") ?? 1)).toBeLessThan(0.5);
    expect(distinctiveTerms(g, r, plus(g, r)).map((t) => t.term)).toEqual(["strong", "mild"]);
  });

  it("does not let a word used once top the list, as a raw log-odds ratio would", () => {
    const g = counts({ rare: 1, frequent: 20, filler: 79 });
    const r = counts({ frequent: 2, filler: 98 });
    const z = logOddsZScores(g, r, plus(g, r));
    // The raw ratio of "rare" is infinite (1 against 0); the prior keeps its z small.
    expect(z.get("rare")).toBeLessThan(z.get("frequent") ?? -Infinity);
    expect(z.get("rare")).toBeLessThan(1.96);
    expect(distinctiveTerms(g, r, plus(g, r), { minCount: 1 }).map((t) => t.term)).toEqual(["frequent"]);
  });

  it("shrinks more where the background corpus uses the word a lot", () => {
    const g = counts({ word: 6, filler: 94 });
    const r = counts({ filler: 100 });
    // The same observed counts, against a background where "word" is rare or common.
    const rareInBackground = counts({ word: 1, filler: 999 });
    const commonInBackground = counts({ word: 100, filler: 900 });
    const zRare = logOddsZScores(g, r, rareInBackground, 500).get("word") ?? 0;
    const zCommon = logOddsZScores(g, r, commonInBackground, 500).get("word") ?? 0;
    expect(zRare).toBeGreaterThan(zCommon);
    expect(zCommon).toBeGreaterThan(0);
  });

  it("respects minCount and top", () => {
    const g = counts({ x: 40, y: 30, z: 20, once: 1, filler: 9 });
    const r = counts({ filler: 100 });
    const prior = plus(g, r);
    expect(distinctiveTerms(g, r, prior, { top: 2 }).map((t) => t.term)).toEqual(["x", "y"]);
    expect(distinctiveTerms(g, r, prior, { minCount: 2 }).some((t) => t.term === "once")).toBe(false);
  });
});

describe("readable words for stems", () => {
  it("shows the most frequent written form of each stem", () => {
    const texts = ["Negotiations began in spring.", "The negotiations failed.", "They negotiated again, and the negotiations resumed."];
    const forms = surfaceForms(texts);
    expect(termCounts(texts).get("negoti")).toBe(4);
    expect(forms.get("negoti")).toBe("negotiations");
  });

  it("keeps capitals only for words never written in lower case", () => {
    const forms = surfaceForms(["NATO met. NATO allies agreed.", "Sanctions bite. New sanctions came."]);
    expect(forms.get("nato")).toBe("NATO");
    expect(forms.get("sanction")).toBe("sanctions");
  });
});
