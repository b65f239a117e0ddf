import { describe, expect, it } from "vitest";
import { contrastColumns } from "../../src/analysis/contrast.js";
import { publicationDate, type PublishedField } from "../../src/corpus/dates.js";
import type { Article } from "../../src/corpus/load.js";
import { createEngine } from "../../src/engine.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

/** An invented article with any front-matter form of `published`, as the loader would give it. */
function article(id: string, author: string | null, published: PublishedField, body = `The harbor toll in ${id} must be lowered.`): Article {
  return {
    id,
    title: `Title of ${id}`,
    authors: author === null ? [] : [author],
    outlet: "Test Gazette",
    published: typeof published === "string" ? published : null,
    date: publicationDate(published),
    ...(published === null ? { published_note: "none" } : {}),
    source: { site: "test" },
    gaps: 0,
    bios: [],
    notes: "",
    body,
    file: `${id}.md`,
  };
}

const engine = createEngine(
  "dates",
  [
    article("printed", "Cy Clay", "2025-03-10"),
    article("elect", "Ann Able", { from: "2024-11-06", to: "2025-01-20", inferred: true, evidence: "'President-elect'" }),
    article("may", "Bo Baker", { month: "2025-05", inferred: true, evidence: "'earlier this month'" }),
    article("nodate", "Di Dunn", null),
    // Unsigned: a column of its own, placed by its inferred date as well.
    article("unsigned", null, { year: "2024", inferred: true, evidence: "x" }, "Ferries must run."),
  ],
  [],
  Thesaurus.empty(),
);
const ids = (options: { from?: string; to?: string }) => new Set(engine.search("harbor toll", options).map((r) => r.articleId));

describe("--from/--to on dates with a precision", () => {
  it("counts a range or month that overlaps the filter, and never an undated article", () => {
    expect(ids({ from: "2025-01-01" })).toEqual(new Set(["elect", "printed", "may"]));
    expect(ids({ from: "2025-01-21" })).toEqual(new Set(["printed", "may"]));
    expect(ids({ to: "2024-11-06" })).toEqual(new Set(["elect"]));
    expect(ids({ to: "2024-11-05" })).toEqual(new Set());
    expect(ids({ from: "2025-05-31", to: "2025-06-30" })).toEqual(new Set(["may"]));
    expect(ids({ from: "2025-03-11", to: "2025-04-30" })).toEqual(new Set());
  });

  it("carries the date into every passage", () => {
    const [result] = engine.search("harbor toll", { article: "elect" });
    expect(result).toMatchObject({ published: null, date: { precision: "range", inferred: true, start: "2024-11-06" } });
  });
});

describe("contrast columns by date", () => {
  it("orders columns by each author's earliest date, inferred ones by their first possible day, undated last", () => {
    expect(contrastColumns(engine.analysis).map((c) => c.author)).toEqual(["Unknown author (Test Gazette)", "Ann Able", "Cy Clay", "Bo Baker", "Di Dunn"]);
  });
});
