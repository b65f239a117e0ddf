import { beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";

// Ranking on the shipped corpus where the passage shown matters as much as the paragraph it is in:
// a window is scored by how much of the whole query it covers (rarer words weigh more), so a
// window that matches one word of a paragraph that matches only that word no longer counts as
// a full match.
let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

const top = (query: string) => engine.quote(query, { limit: 3 }).map((result) => result.citation);

describe("quote windows on the shipped corpus", () => {
  it("puts the sentence with all the rare words first", () => {
    const citations = top("secondary sanctions on buyers of Russian oil");
    // 1. us-cant-pretend 10.1 — "…secondary measures against buyers of Russian oil…"
    // 2. more-russia-loses 7.5-6 — Europe's leverage on Russian oil and gas payments, no "secondary"
    expect(citations.slice(0, 2)).toEqual(["us-cant-pretend-putin-is-ready-for-peace:10.1", "more-russia-loses-better-chances-for-diplomacy:7.5-6"]);
  });

  it("prefers the sentence naming the agreement over one that only mentions a deal", () => {
    // 1. us-cant-pretend 4.4 — "The agreement signed Wednesday to give the US privileged access to Ukraine's mineral resources…"
    expect(top("the minerals agreement")[0]).toBe("us-cant-pretend-putin-is-ready-for-peace:4.4");
  });

  it("keeps the passage with both 'sell out' and 'cede territory' above one with 'territory' alone", () => {
    const citations = top("Would Trump sell out Ukraine by forcing it to cede territory?");
    // 1. make-putin-an-offer 1.3-4 — "He can sell out an independent democracy … forcing it not only to cede territory…"
    // 2. putin-is-playing 4.1-2 — "…of territory west of the Dnipro River…"
    expect(citations.slice(0, 2)).toEqual(["make-putin-an-offer-he-cant-refuse:1.3-4", "putin-is-playing-trump-for-a-fool:4.1-2"]);
  });
});
