import { describe, expect, it } from "vitest";
import { foldText, foldTypography } from "../../src/text/normalize.js";
import { indexTerms, tokenize } from "../../src/text/tokenize.js";

/** Every space separator of Unicode (general category Zs) other than the ASCII space. */
const SPACES = ["\u00A0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u202F", "\u205F", "\u3000"];

describe("every Unicode space separator is a space for matching", () => {
  it("the list is exactly \\p{Zs} without U+0020", () => {
    const all: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (/^\p{Zs}$/u.test(char) && char !== " ") all.push(char);
    }
    expect(all).toEqual(SPACES);
  });

  it.each(SPACES.map((space) => [`U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`, space]))(
    "%s splits words like a space, with offsets into the text as written",
    (_name, space) => {
      const text = `Ukraine’s${space}U.S.${space}ceasefire${space}${space}talks`;
      const tokens = tokenize(text);
      expect(tokens.map((token) => token.word)).toEqual(["Ukraine’s", "U.S.", "ceasefire", "talks"]);
      for (const token of tokens) expect(text.slice(token.start, token.end)).toBe(token.word);
      expect(indexTerms(text)).toEqual(indexTerms("Ukraine’s U.S. ceasefire talks"));
    },
  );

  it("foldTypography turns each one into a plain space, and foldText collapses runs of them", () => {
    for (const space of SPACES) {
      expect(foldTypography(`Root${space}Causes`)).toBe("root causes");
      expect(foldText(`Root${space}${space} Causes`)).toBe("root causes");
    }
  });
});
