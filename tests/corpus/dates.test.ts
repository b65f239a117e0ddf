import { describe, expect, it } from "vitest";
import { dateOf, dateSortKey, overlapsRange, printedDay, publicationDate, publishedFieldSchema } from "../../src/corpus/dates.js";
import { parseArticle } from "../../src/corpus/load.js";

/** A corpus file whose `published` is the given YAML (indented lines for a mapping). */
function file(published: string, extra = ""): string {
  return `---\nid: dated\ntitle: "Dated"\nauthors: []\noutlet: Example\n${published}\n${extra}source:\n  site: test\n---\n\nThe body.\n`;
}

function problems(published: string, extra = ""): string[] {
  const result = parseArticle("dated.md", file(published, extra));
  return "problems" in result ? result.problems.map((p) => `${p.file}: ${p.field}: ${p.reason}`) : [];
}

function loaded(published: string, extra = "") {
  const result = parseArticle("dated.md", file(published, extra));
  if ("problems" in result) throw new Error(result.problems.map((p) => `${p.field}: ${p.reason}`).join("; "));
  return result.article;
}

describe("the published field", () => {
  it("still takes a plain printed day, and null with a note", () => {
    expect(loaded('published: "2024-02-29"')).toMatchObject({
      published: "2024-02-29",
      date: { precision: "day", value: "2024-02-29", start: "2024-02-29", end: "2024-02-29", inferred: false, evidence: null },
    });
    expect(loaded("published: null", 'published_note: "no clue"\n')).toMatchObject({ published: null, date: null });
  });

  it("takes a day, a month, a year or a range, printed or inferred with evidence", () => {
    const month = loaded('published:\n  month: "2025-02"\n  inferred: true\n  evidence: "\'earlier this month\'"');
    expect(month).toMatchObject({ published: null, date: { precision: "month", value: "2025-02", start: "2025-02-01", end: "2025-02-28", inferred: true, evidence: "'earlier this month'" } });
    expect(loaded('published:\n  month: "2024-02"\n  inferred: false').date).toMatchObject({ start: "2024-02-01", end: "2024-02-29" });
    expect(loaded('published:\n  year: "2023"\n  inferred: false')).toMatchObject({ published: null, date: { precision: "year", start: "2023-01-01", end: "2023-12-31", inferred: false, evidence: null } });
    // An inferred day is not a printed one: `published` stays null.
    expect(loaded('published:\n  day: "2025-05-02"\n  inferred: true\n  evidence: "x"').published).toBeNull();
    expect(loaded('published:\n  day: "2025-05-02"\n  inferred: false').published).toBe("2025-05-02");
    const range = loaded('published:\n  from: "2024-11"\n  to: "2025-01-20"\n  inferred: true\n  evidence: "\'President-elect\'"');
    expect(range.date).toEqual({ precision: "range", value: "2024-11/2025-01-20", start: "2024-11-01", end: "2025-01-20", inferred: true, evidence: "'President-elect'" });
    expect(loaded('published:\n  from: "2024"\n  to: "2025"\n  inferred: true\n  evidence: "x"').date).toMatchObject({ start: "2024-01-01", end: "2025-12-31" });
  });

  it("names file and field for every mistake", () => {
    expect(problems('published: "January 2nd"')).toEqual(["dated.md: published: must be a date as YYYY-MM-DD (a real calendar day)"]);
    expect(problems('published: "2023-02-30"')).toEqual(["dated.md: published: must be a date as YYYY-MM-DD (a real calendar day)"]);
    expect(problems("published: 2025")[0]).toMatch(/^dated\.md: published: must be a date as "YYYY-MM-DD", null, or an object/);
    expect(problems('published:\n  month: "2025-5"\n  inferred: true\n  evidence: "x"')).toEqual(["dated.md: published.month: must be a month as YYYY-MM"]);
    expect(problems('published:\n  month: "2025-05"\n  inferred: true')).toEqual([
      "dated.md: published.evidence: required when inferred is true: quote the clues in the text and say what they imply",
    ]);
    expect(problems('published:\n  month: "2025-05"')).toEqual([
      "dated.md: published.inferred: must be true (worked out from clues in the text) or false (printed in the text)",
    ]);
    expect(problems('published:\n  month: "2025-05"\n  year: "2025"\n  inferred: false')).toEqual([
      "dated.md: published: give exactly one of day, month, year, or from + to (got month, year)",
    ]);
    expect(problems('published:\n  from: "2025-05"\n  inferred: false')).toEqual(["dated.md: published.to: a range needs both from and to"]);
    expect(problems('published:\n  from: "2025-05-02"\n  to: "2025-04"\n  inferred: false')).toEqual(["dated.md: published.to: must not be before from (2025-05-02)"]);
    expect(problems('published:\n  from: "May"\n  to: "2025-04"\n  inferred: false')).toEqual([
      "dated.md: published.from: must be a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)",
    ]);
    expect(problems('published:\n  dya: "2025-05-02"\n  inferred: false')[0]).toMatch(/^dated\.md: published: Unrecognized key: "dya"/);
    expect(problems("published: null")).toEqual(["dated.md: published_note: required when published is null"]);
  });

  it("keeps the plain string form the schema's own output", () => {
    expect(publishedFieldSchema.parse("2022-04-01")).toBe("2022-04-01");
    expect(printedDay("2022-04-01")).toBe("2022-04-01");
    expect(printedDay({ month: "2022-04", inferred: false })).toBeNull();
  });
});

describe("ordering and filtering by date", () => {
  const range = publicationDate({ from: "2024-11-06", to: "2025-01-20", inferred: true, evidence: "x" });
  const month = publicationDate({ month: "2024-12", inferred: true, evidence: "x" });
  const day = publicationDate("2024-12-01");

  it("sorts by the first possible day, then the last", () => {
    const keys = [day, month, range, null].map(dateSortKey);
    expect(keys).toEqual(["2024-12-01/2024-12-01", "2024-12-01/2024-12-31", "2024-11-06/2025-01-20", null]);
    expect([...keys].filter((k) => k !== null).sort()).toEqual(["2024-11-06/2025-01-20", "2024-12-01/2024-12-01", "2024-12-01/2024-12-31"]);
  });

  it("counts a range or a month as inside a filter when it overlaps it; undated never", () => {
    expect(overlapsRange(range, "2025-01-01", "2025-12-31")).toBe(true);
    expect(overlapsRange(range, "2025-01-21", undefined)).toBe(false);
    expect(overlapsRange(range, undefined, "2024-11-06")).toBe(true);
    expect(overlapsRange(range, undefined, "2024-11-05")).toBe(false);
    expect(overlapsRange(month, "2024-12-31", "2024-12-31")).toBe(true);
    expect(overlapsRange(day, "2024-12-02", undefined)).toBe(false);
    expect(overlapsRange(null, undefined, undefined)).toBe(false);
  });

  it("falls back to the printed day for articles and passages built without a date", () => {
    expect(dateOf({ published: "2024-01-02" })).toMatchObject({ precision: "day", start: "2024-01-02", inferred: false });
    expect(dateOf({ published: null })).toBeNull();
    expect(dateOf({ published: null, date: month })).toBe(month);
  });
});
