import { beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { MisquoteError } from "../../src/errors.js";
import { verifyPassage } from "../../src/text/passages.js";
import { MAX_PASSAGE_CHARS, MAX_PASSAGE_SENTENCES } from "../../src/text/passages.js";
import { tokenizeWords } from "../../src/text/tokenize.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

describe("every passage is an exact slice of its article", () => {
  it("holds for every passage the engine can form", () => {
    let count = 0;
    for (const info of engine.articles()) {
      const article = engine.article(info.id);
      for (const passage of engine.passages(info.id)) {
        count++;
        expect(passage.text).toBe(article.body.slice(passage.start, passage.end));
        expect(passage.text).not.toMatch(/\n/);
        expect(passage.text).toBe(passage.text.trim());
        expect(passage.citation.startsWith(`${info.id}:`)).toBe(true);
        const sentences = /:(\d+)\.(\d+)(?:-(\d+))?$/.exec(passage.citation);
        const span = sentences ? Number(sentences[3] ?? sentences[2]) - Number(sentences[2]) + 1 : 0;
        expect(span).toBeGreaterThanOrEqual(1);
        expect(span).toBeLessThanOrEqual(MAX_PASSAGE_SENTENCES);
        if (span > 1) expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      }
    }
    expect(count).toBeGreaterThan(300);
  });

  it("holds for every search and quote result over the corpus vocabulary", () => {
    // Every distinct word of every body, as a query: each result must still be an exact slice.
    const words = new Set(engine.articles().flatMap((a) => tokenizeWords(engine.article(a.id).body).map((w) => w.toLowerCase())));
    let checked = 0;
    for (const word of words) {
      let results;
      try {
        results = [...engine.search(word, { limit: 5 }), ...engine.quote(word)];
      } catch {
        continue; // stop words have no searchable terms
      }
      for (const result of results) {
        checked++;
        expect(result.text).toBe(engine.article(result.articleId).body.slice(result.start, result.end));
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("refuses a passage that is not a body slice", () => {
    const article = engine.article(engine.articles()[0]?.id ?? "");
    const real = engine.passages(article.id)[0];
    if (!real) throw new Error("no passage");
    expect(() => verifyPassage(article, { ...real, text: `${real.text} ` })).toThrow(MisquoteError);
    expect(() => verifyPassage(article, real)).not.toThrow();
  });
});
