import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { QueryError } from "../../src/errors.js";
import { indexTerm, MAX_TERM_LENGTH } from "../../src/text/tokenize.js";

/**
 * A 50,000-character word, typed as a query or written in an article, must cost about what an
 * ordinary word costs. Typo tolerance compared it with every indexed term character by character
 * (minisearch's fuzzy search is O(query length) per tree node): 7–9 s a query. The bound is
 * generous (a query takes a few milliseconds now); a regression to per-character fuzzy work
 * cannot meet it.
 */
const BOUND_MS = 1000;
const LONG = 50_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe("a 50,000-character one-word query on the shipped corpus", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine({ corpusDir: "corpus" });
  });

  it("search and quote return no results, each in under 1 s", () => {
    const word = "x".repeat(LONG);
    const search = timed(() => engine.search(word));
    expect(search.value).toEqual([]);
    expect(search.ms).toBeLessThan(BOUND_MS);
    const quote = timed(() => engine.quote(word));
    expect(quote.value).toEqual([]);
    expect(quote.ms).toBeLessThan(BOUND_MS);
  });

  it("a long word next to a rare ordinary one (so typo tolerance is tried) still finds the ordinary one's passage, in under 1 s", () => {
    const rare = engine.search("Potemkin");
    expect(rare.length).toBeGreaterThan(0);
    expect(rare.length).toBeLessThan(3);
    for (const query of [`${"q".repeat(LONG)} Potemkin`, `Potemkin ${"q".repeat(LONG)}`]) {
      const { value, ms } = timed(() => engine.search(query));
      expect(value.map((result) => result.citation)).toEqual(rare.map((result) => result.citation));
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  it("typo tolerance still works for ordinary words", () => {
    expect(engine.search("ceasfire").some((result) => result.text.toLowerCase().includes("ceasefire"))).toBe(true);
  });
});

describe("an article holding a 50,000-character word", () => {
  const word = "z".repeat(LONG);
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "agora-long-term-"));
    const body = `The harbour opened today. Someone typed ${word} into the form.\n\nThe fishermen were pleased with the new quay.\n`;
    const front = ["---", "id: long-word", 'title: "A long word"', "authors:", "  - Jane Doe", "outlet: Example Times", 'published: "2024-01-02"', "source:", "  site: test", "---", ""];
    await writeFile(path.join(dir, "long-word.md"), `${front.join("\n")}\n${body}`);
    engine = await loadEngine({ corpusDir: dir });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is found by the same word, exactly quoted, in under 1 s", () => {
    const search = timed(() => engine.search(word));
    expect(search.value.map((result) => result.citation)).toEqual(["long-word:1.2"]);
    expect(search.value[0]?.text).toBe(`Someone typed ${word} into the form.`);
    expect(search.ms).toBeLessThan(BOUND_MS);
    const quote = timed(() => engine.quote(word));
    expect(quote.value.map((result) => result.citation)).toEqual(["long-word:1.2"]);
    expect(quote.ms).toBeLessThan(BOUND_MS);
  });

  it("a different 50,000-character word finds nothing, in under 1 s", () => {
    const { value, ms } = timed(() => engine.search("y".repeat(LONG)));
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("ordinary queries, prefixes and typos still work around it", () => {
    expect(engine.search("fishermn").map((result) => result.citation)).toContain("long-word:2.1");
    expect(engine.search("harbour").map((result) => result.citation)).toEqual(["long-word:1.1"]);
    expect(engine.search("zzzz").map((result) => result.citation)).toEqual(["long-word:1.2"]);
  });

  it("a query of punctuation only is still a QueryError", () => {
    expect(() => engine.search("—".repeat(LONG))).toThrow(QueryError);
  });
});

describe("index terms have a bounded length", () => {
  it("a word longer than MAX_TERM_LENGTH makes a term of at most that length, the same for index and query", () => {
    const term = indexTerm("x".repeat(LONG));
    expect(term?.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
    expect(indexTerm(`${"x".repeat(MAX_TERM_LENGTH)}yyy`)).toBe(term);
    // Words of ordinary length are untouched by the cap.
    expect(indexTerm("Pneumonoultramicroscopicsilicovolcanoconiosis")).toBe("pneumonoultramicroscopicsilicovolcanoconiosi");
  });

  it("the cut never splits a surrogate pair", () => {
    const term = indexTerm(`${"x".repeat(MAX_TERM_LENGTH - 1)}𝐀𝐀𝐀`) ?? "";
    expect(term.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
    expect(term).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});
