import { beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";

const SPACES = ["\u00A0", "\u1680", "\u2000", "\u2003", "\u2009", "\u200A", "\u202F", "\u205F", "\u3000"];

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

describe("queries with Unicode spaces between words", () => {
  it("a query with U+2009 (thin space) between words finds exactly what the ASCII-spaced query finds", () => {
    const plain = engine.search("boots on the ground");
    expect(plain.length).toBeGreaterThan(0);
    expect(engine.search("boots\u2009on\u2009the\u2009ground")).toEqual(plain);
    expect(engine.quote("boots\u2009on\u2009the\u2009ground")).toEqual(engine.quote("boots on the ground"));
  });

  it.each(SPACES.map((space) => [`U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`, space]))(
    "%s between and around words changes nothing, and every passage is an exact slice of its article",
    (_name, space) => {
      const plain = engine.search("Potemkin negotiations sanctions");
      expect(plain.length).toBeGreaterThan(0);
      const spaced = engine.search(`${space}Potemkin${space}negotiations${space}${space}sanctions${space}`);
      expect(spaced).toEqual(plain);
      for (const result of spaced) expect(engine.article(result.articleId).body.slice(result.start, result.end)).toBe(result.text);
    },
  );
});
