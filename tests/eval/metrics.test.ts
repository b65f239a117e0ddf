import { describe, expect, it } from "vitest";
import { containsPhrase, dcg, firstOccurrences, hitRank, mean, ndcgAt, summarizeRanks } from "../../eval/metrics.js";

describe("containsPhrase / hitRank", () => {
  it("matches across curly quotes, dashes, case and punctuation", () => {
    expect(containsPhrase("Putin’s “root causes” — again.", "putin's \"root causes\"")).toBe(true);
    expect(containsPhrase("a NATO-wide surge", "NATO wide surge")).toBe(true);
    expect(containsPhrase("a ceasefire now", "ceasefire later")).toBe(false);
  });

  it("never matches an empty phrase", () => {
    expect(containsPhrase("anything", " — ")).toBe(false);
  });

  it("gives the 1-based rank of the first passage holding the phrase", () => {
    expect(hitRank(["no", "still no", "the phrase here", "the phrase again"], "phrase")).toBe(3);
    expect(hitRank(["no"], "phrase")).toBeNull();
    expect(hitRank([], "phrase")).toBeNull();
  });
});

describe("summarizeRanks", () => {
  it("computes hit@1, hit@3 and MRR by hand", () => {
    // ranks 1, 2, 4, miss: hit@1 = 1/4, hit@3 = 2/4, MRR = (1 + 1/2 + 1/4 + 0) / 4 = 0.4375
    expect(summarizeRanks([1, 2, 4, null])).toEqual({ n: 4, hit1: 0.25, hit3: 0.5, mrr: 0.4375 });
  });

  it("gives zeros for no queries and for all misses", () => {
    expect(summarizeRanks([])).toEqual({ n: 0, hit1: 0, hit3: 0, mrr: 0 });
    expect(summarizeRanks([null, null])).toEqual({ n: 2, hit1: 0, hit3: 0, mrr: 0 });
  });

  it("rejects ranks that are not positive whole numbers", () => {
    expect(() => summarizeRanks([0])).toThrow(RangeError);
    expect(() => summarizeRanks([1.5])).toThrow(RangeError);
  });
});

describe("dcg / ndcgAt", () => {
  it("discounts by log2(rank + 1)", () => {
    // 3/log2(2) + 2/log2(3) + 0 + 1/log2(5) = 3 + 1.261860 + 0.430677
    expect(dcg([3, 2, 0, 1], 10)).toBeCloseTo(3 + 2 / Math.log2(3) + 1 / Math.log2(5), 10);
    expect(dcg([3, 2, 0, 1], 2)).toBeCloseTo(3 + 2 / Math.log2(3), 10);
    expect(dcg([], 10)).toBe(0);
  });

  it("is 1 for the ideal ranking and 0 when no relevant doc is retrieved", () => {
    const judged = new Map([
      ["a", 2],
      ["b", 1],
    ]);
    expect(ndcgAt(["a", "b", "x"], judged)).toBeCloseTo(1, 10);
    expect(ndcgAt(["x", "y"], judged)).toBe(0);
    expect(ndcgAt([], judged)).toBe(0);
  });

  it("matches a hand-computed graded example", () => {
    // ranking b, x, a with grades b=1, a=2: DCG = 1/1 + 0 + 2/2 = 2
    // ideal a, b: IDCG = 2/1 + 1/log2(3) = 2.630930; nDCG = 2 / 2.630930 = 0.760190
    const judged = new Map([
      ["a", 2],
      ["b", 1],
    ]);
    expect(ndcgAt(["b", "x", "a"], judged)).toBeCloseTo(0.76019, 5);
  });

  it("computes a binary single-relevant case: relevant at rank 3 gives 1/log2(4) = 0.5", () => {
    expect(ndcgAt(["x", "y", "r"], new Map([["r", 1]]))).toBeCloseTo(0.5, 10);
  });

  it("only looks at the first k and counts a relevant doc absent from the ranking against it", () => {
    const judged = new Map([
      ["r", 1],
      ["s", 1],
    ]);
    // r at rank 1, s never retrieved: DCG = 1, IDCG = 1 + 1/log2(3) = 1.630930 -> 0.613147
    expect(ndcgAt(["r"], judged)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(["x", "r"], new Map([["r", 1]]), 1)).toBe(0);
  });

  it("ignores non-positive grades and repeated ids", () => {
    expect(ndcgAt(["n", "r"], new Map([["n", 0], ["r", 1]]))).toBeCloseTo(1 / Math.log2(3), 10);
    expect(ndcgAt(["r", "r", "s"], new Map([["r", 1], ["s", 1]]))).toBeCloseTo(1, 10);
    expect(ndcgAt(["a"], new Map([["a", 0]]))).toBe(0);
  });
});

describe("mean / firstOccurrences", () => {
  it("averages, with 0 for nothing", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBe(0);
  });

  it("keeps the first occurrence of each id, in order", () => {
    expect(firstOccurrences(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });
});
