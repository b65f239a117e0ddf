import { describe, expect, it } from "vitest";
import { ingestText } from "../../src/corpus/ingest.js";
import { rebuildParagraphs } from "../../src/corpus/paragraphs.js";
import { endsSentence, joinPieces, normaliseRaw, stripSiteSuffix } from "../../src/corpus/rawtext.js";

/**
 * Complexity regression tests, not benchmarks: each input takes well under a second once the work
 * per line is bounded, and took from tens of seconds to many minutes while every line re-read the
 * paragraph built so far (end-of-string regexes on the growing text). The bounds are generous so
 * that a slow or busy machine does not fail them; a quadratic regression cannot pass them.
 */
const LINES = 100_000;
const BOUND_MS = 3000;
const TITLE = "A Title For The Test";

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

function lines(make: (i: number) => string): string[] {
  return Array.from({ length: LINES }, (_, i) => make(i));
}

describe("ingest of a 100k-line raw text runs in linear-ish time", () => {
  it("hard-wrapped: one 100k-line wrapped block is rebuilt in under 3 s", () => {
    const raw = [TITLE, "", ...lines(() => "the quick brown fox jumps over the lazy dog and keeps running on"), "", "The end."].join("\n");
    const { value, ms } = timed(() => ingestText(raw, { sourceName: "wrapped.txt", title: TITLE }));
    expect(value.shape).toBe("hard-wrapped");
    expect(value.body.split("\n\n")).toHaveLength(2);
    expect(value.body.length).toBe(LINES * 65 - 1 + "\n\nThe end.".length);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("blank-line paragraphs: a 100k-line block of long lines (not hard-wrapped) is joined in under 3 s", () => {
    const long = "This line is much longer than any hard-wrapped archive would ever make one, so the block is not wrapped and";
    const raw = [TITLE, "", ...lines(() => long), "", "The end."].join("\n");
    const { value, ms } = timed(() => ingestText(raw, { sourceName: "long-lines.txt", title: TITLE }));
    expect(value.shape).toBe("blank-line-paragraphs");
    expect(value.body.split("\n\n")).toHaveLength(2);
    expect(value.suspectedGaps).toHaveLength(LINES - 1);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("broken lines: 100k lines broken mid-sentence are joined in under 3 s, each join reported", () => {
    const raw = [TITLE, ...lines((i) => `word number ${i} continues here and`)].join("\n");
    const { value, ms } = timed(() => ingestText(raw, { sourceName: "broken.txt", title: TITLE }));
    expect(value.shape).toBe("broken-lines");
    expect(value.suspectedGaps).toHaveLength(LINES - 1);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("repeated short lines: 100k two-letter lines are joined in under 3 s", () => {
    const raw = [TITLE, ...lines(() => "ok")].join("\n");
    const { value, ms } = timed(() => ingestText(raw, { sourceName: "short.txt", title: TITLE }));
    expect(value.body).toBe(Array.from({ length: LINES }, () => "ok").join(" "));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("stray spaces: 100k joined lines each with a space before a comma are tidied in under 3 s", () => {
    const input = lines((i) => `item ${i} ,`);
    const { value, ms } = timed(() => rebuildParagraphs(input));
    expect(value.paragraphs).toEqual([input.map((line) => line.replace(" ,", ",")).join(" ")]);
    expect(value.suspectedGaps).toHaveLength(2 * LINES - 1);
    // Every excerpt is still copied exactly from the tidied paragraph.
    for (const gap of value.suspectedGaps.slice(0, 50)) expect(value.paragraphs[0]).toContain(gap.excerpt);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe("raw-text helpers look only at the end of a string", () => {
  it("stripSiteSuffix on a headline with a 50k-character run of mixed spaces takes under 1 s", () => {
    const line = `Title${" \u2003".repeat(25_000)}x TechSite`;
    const { value, ms } = timed(() => stripSiteSuffix(line, ["TechSite"]));
    expect(value.suffix).toBe("TechSite");
    expect(value.title.endsWith("x")).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it("stripSiteSuffix still drops a separator before the site name", () => {
    expect(stripSiteSuffix("Buses Deserve Better | CityDesk", ["CityDesk"])).toEqual({ title: "Buses Deserve Better", suffix: "CityDesk" });
    expect(stripSiteSuffix("Buses Deserve Better —  CityDesk", ["CityDesk"])).toEqual({ title: "Buses Deserve Better", suffix: "CityDesk" });
    expect(stripSiteSuffix("Buses Deserve Better- CityDesk", ["CityDesk"])).toEqual({ title: "Buses Deserve Better-", suffix: "CityDesk" });
  });

  it("endsSentence and joinPieces keep their meaning", () => {
    for (const ended of ["Done.", "Really?", "Stop!", "and so…", "“Quoted.”", "(Aside.)", "He said ‘no.’"]) expect(endsSentence(ended)).toBe(true);
    for (const open of ["", "and", "”", "a comma,", "Done. and"]) expect(endsSentence(open)).toBe(false);
    expect(joinPieces("well-", "known")).toBe("well-known");
    expect(joinPieces("-", "known")).toBe("- known");
    expect(joinPieces("word", ", then")).toBe("word, then");
    expect(joinPieces("word —", "then")).toBe("word — then");
  });
});

describe("normaliseRaw folds every Unicode space separator", () => {
  it("turns each \\p{Zs} character into a plain space and collapses the runs", () => {
    const spaces = ["\u00A0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u202F", "\u205F", "\u3000"];
    for (const space of spaces) expect(space).toMatch(/^\p{Zs}$/u);
    const [line] = normaliseRaw(`${spaces.map((space, i) => `w${i}${space}`).join("")}end${spaces.join("")}\u2009x${"\u3000"}`);
    expect(line).toBe(`${spaces.map((_, i) => `w${i}`).join(" ")} end x`);
  });

  it("an ingested body keeps no Unicode space separator other than the plain space", () => {
    const raw = `${TITLE}\n\nThe\u2009first\u3000paragraph\u2003ends\u205Fhere.\n\nThe second\u00A0one\u202Fdoes\u2002too.`;
    const result = ingestText(raw, { sourceName: "spaces.txt", title: TITLE });
    expect(result.body).toBe("The first paragraph ends here.\n\nThe second one does too.");
  });
});
