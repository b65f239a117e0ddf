import { describe, expect, it } from "vitest";
import { lcsLength, rouge, ROUGE_MEASURES, rougeL, rougeN, rougeTokens, scoreOf } from "../../eval/rouge.js";

const ZERO = { recall: 0, precision: 0, f1: 0 };

function expectScore(actual: { recall: number; precision: number; f1: number }, recall: number, precision: number, f1: number): void {
  expect(actual.recall).toBeCloseTo(recall, 12);
  expect(actual.precision).toBeCloseTo(precision, 12);
  expect(actual.f1).toBeCloseTo(f1, 12);
}

describe("rougeTokens", () => {
  it("lower-cases and turns every non-alphanumeric into a space, as the ROUGE script does", () => {
    expect(rougeTokens("TimeWarner's profit: $10.9bn.For 2005, up 27%!")).toEqual(["timewarner", "s", "profit", "10", "9bn", "for", "2005", "up", "27"]);
    expect(rougeTokens("  ... — ")).toEqual([]);
  });

  it("does not stem unless asked, and then only tokens longer than three characters", () => {
    expect(rougeTokens("The cats were running")).toEqual(["the", "cats", "were", "running"]);
    expect(rougeTokens("The cats were running", { stem: true })).toEqual(["the", "cat", "were", "run"]);
    expect(rougeTokens("was has", { stem: true })).toEqual(["was", "has"]);
  });
});

describe("ROUGE on the classic example", () => {
  const candidate = "the cat was found under the bed";
  const reference = "the cat was under the bed";

  it("ROUGE-1: 6 of 6 reference unigrams, 6 of 7 candidate unigrams", () => {
    expectScore(rougeN(candidate, reference, 1), 6 / 6, 6 / 7, 12 / 13);
  });

  it("ROUGE-2: 4 shared bigrams of 5 reference and 6 candidate bigrams", () => {
    // shared: "the cat", "cat was", "under the", "the bed"; the reference's "was under" is missing.
    expectScore(rougeN(candidate, reference, 2), 4 / 5, 4 / 6, 8 / 11);
  });

  it("ROUGE-L: the LCS is the whole reference, 6 tokens", () => {
    expectScore(rougeL(candidate, reference), 6 / 6, 6 / 7, 12 / 13);
  });

  it("rouge() gives all three at once", () => {
    const scores = rouge(candidate, reference);
    expectScore(scores.rouge1, 1, 6 / 7, 12 / 13);
    expectScore(scores.rouge2, 4 / 5, 2 / 3, 8 / 11);
    expectScore(scores.rougeL, 1, 6 / 7, 12 / 13);
  });

  it("is case- and punctuation-insensitive", () => {
    expect(rouge("The cat was found, under the bed!", "THE CAT WAS UNDER THE BED.")).toEqual(rouge(candidate, reference));
  });
});

describe("ROUGE-N", () => {
  it("clips repeated n-grams to their count in the reference", () => {
    // "the" occurs 4 times in the candidate but twice in the reference: 2 matches.
    expectScore(rougeN("the the the the", "the cat the", 1), 2 / 3, 2 / 4, 4 / 7);
  });

  it("is zero for texts too short to have n-grams", () => {
    expect(rougeN("cat", "cat", 2)).toEqual(ZERO);
    expectScore(rougeN("cat", "cat", 1), 1, 1, 1);
  });

  it("is symmetric in F1 and swaps recall with precision", () => {
    const forward = rougeN("a b c d e", "a b x d e f", 2);
    const backward = rougeN("a b x d e f", "a b c d e", 2);
    // bigrams shared: "a b", "d e"; 4 candidate bigrams, 5 reference bigrams.
    expectScore(forward, 2 / 5, 2 / 4, 4 / 9);
    expectScore(backward, 2 / 4, 2 / 5, 4 / 9);
  });

  it("uses stemmed tokens when asked", () => {
    expect(rougeN("The cats were running", "the cat runs", 1).recall).toBeCloseTo(1 / 3, 12);
    // stemmed: "the cat were run" against "the cat run": 3 of 3, 3 of 4.
    expectScore(rougeN("The cats were running", "the cat runs", 1, { stem: true }), 1, 3 / 4, 6 / 7);
  });
});

describe("ROUGE-L", () => {
  it("takes the longest common subsequence, in order but not contiguous", () => {
    expect(lcsLength(["a", "b", "c", "d"], ["b", "a", "d", "c"])).toBe(2);
    expect(lcsLength(["a", "x", "b", "y", "c"], ["a", "b", "c"])).toBe(3);
    expect(lcsLength([], ["a"])).toBe(0);
    expectScore(rougeL("a b c d", "b a d c"), 2 / 4, 2 / 4, 1 / 2);
    expectScore(rougeL("a x b y c", "a b c"), 3 / 3, 3 / 5, 3 / 4);
  });

  it("spans sentence boundaries (sentence-level LCS over the whole texts)", () => {
    expectScore(rougeL("police said. the man fled.", "the man fled police said"), 3 / 5, 3 / 5, 3 / 5);
  });
});

describe("edge cases", () => {
  it("scores an empty candidate 0", () => {
    expect(rouge("", "the cat was under the bed")).toEqual({ rouge1: ZERO, rouge2: ZERO, rougeL: ZERO });
    expect(rouge("...", "the cat was under the bed")).toEqual({ rouge1: ZERO, rouge2: ZERO, rougeL: ZERO });
  });

  it("scores an empty reference 0", () => {
    expect(rouge("the cat was under the bed", "")).toEqual({ rouge1: ZERO, rouge2: ZERO, rougeL: ZERO });
  });

  it("scores two empty texts 0, not NaN", () => {
    expect(rouge("", "")).toEqual({ rouge1: ZERO, rouge2: ZERO, rougeL: ZERO });
    expect(scoreOf(0, 0, 0)).toEqual(ZERO);
  });

  it("scores identical texts 1", () => {
    const text = "Ministers said the plan would go ahead.";
    const scores = rouge(text, text);
    for (const measure of ROUGE_MEASURES) expectScore(scores[measure], 1, 1, 1);
  });
});
