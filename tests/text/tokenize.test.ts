import { describe, expect, it } from "vitest";
import { foldText, foldWord } from "../../src/text/normalize.js";
import { indexTerm, indexTerms, tokenize } from "../../src/text/tokenize.js";

describe("matching-only normalisation", () => {
  it("folds curly quotes, dashes and possessives", () => {
    expect(foldWord("Russia’s")).toBe("russia");
    expect(foldWord("allies’")).toBe("allies");
    expect(foldText("Kyiv’s “root causes” — pre-invasion")).toBe("kyiv root causes pre invasion");
  });

  it("gives the same index term to spellings that differ only in typography", () => {
    expect(indexTerm("Ukraine’s")).toBe(indexTerm("Ukraine's"));
    expect(indexTerm("Ukraine’s")).toBe(indexTerm("ukraine"));
    expect(indexTerm("negotiations")).toBe(indexTerm("negotiation"));
  });

  it("drops stop words but keeps the country 'US' apart from the pronoun 'us'", () => {
    expect(indexTerm("the")).toBeNull();
    expect(indexTerm("US")).toBe("usa");
    expect(indexTerm("U.S.")).toBe("usa");
    expect(indexTerms("give us peace")).toEqual(["give", "us", "peac"]);
  });

  it("splits hyphenated words and keeps offsets into the original text", () => {
    const text = "pro-Russian U.S.-provided";
    expect(tokenize(text).map((t) => [t.word, text.slice(t.start, t.end)])).toEqual([
      ["pro", "pro"],
      ["Russian", "Russian"],
      ["U.S.", "U.S."],
      ["provided", "provided"],
    ]);
  });
});
