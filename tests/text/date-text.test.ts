import { describe, expect, it } from "vitest";
import { publicationDate, type PublishedField } from "../../src/corpus/dates.js";
import { dateText, dateYear } from "../../src/text/attribution.js";

const text = (field: PublishedField) => dateText({ published: typeof field === "string" ? field : null, date: publicationDate(field) });

describe("dateText", () => {
  it("shows a printed day as written, and a missing date as unknown", () => {
    expect(text("2022-04-01")).toBe("2022-04-01");
    expect(text(null)).toBe("date unknown");
    // Passages built without `date` (stored digests, fixtures) still show their printed day.
    expect(dateText({ published: "2022-04-01" })).toBe("2022-04-01");
    expect(dateText({ published: null })).toBe("date unknown");
  });

  it("marks every inferred date as such, at its precision", () => {
    expect(text({ month: "2025-05", inferred: true, evidence: "x" })).toBe("≈ May 2025, from the text");
    expect(text({ year: "2025", inferred: true, evidence: "x" })).toBe("≈ 2025, from the text");
    expect(text({ day: "2025-05-02", inferred: true, evidence: "x" })).toBe("≈ 2 May 2025, from the text");
    expect(text({ from: "2024-11-06", to: "2025-01-20", inferred: true, evidence: "x" })).toBe("≈ Nov 2024 – Jan 2025, from the text");
    expect(text({ from: "2025-03-02", to: "2025-09-03", inferred: true, evidence: "x" })).toBe("≈ Mar – Sep 2025, from the text");
    expect(text({ from: "2025-04-30", to: "2025-05-06", inferred: true, evidence: "x" })).toBe("≈ 30 Apr – 6 May 2025, from the text");
    expect(text({ from: "2025-05-19", to: "2025-05-25", inferred: true, evidence: "x" })).toBe("≈ 19–25 May 2025, from the text");
    expect(text({ from: "2024-12-28", to: "2025-01-03", inferred: true, evidence: "x" })).toBe("≈ 28 Dec 2024 – 3 Jan 2025, from the text");
    expect(text({ from: "2024-12", to: "2024-12", inferred: true, evidence: "x" })).toBe("≈ Dec 2024, from the text");
    expect(text({ from: "2023", to: "2024", inferred: true, evidence: "x" })).toBe("≈ 2023 – 2024, from the text");
  });

  it("shows a printed month, year or range in words, without the mark", () => {
    expect(text({ month: "2025-05", inferred: false })).toBe("May 2025");
    expect(text({ year: "2025", inferred: false })).toBe("2025");
    expect(text({ from: "2025-05-01", to: "2025-05-03", inferred: false })).toBe("1–3 May 2025");
  });
});

describe("dateYear", () => {
  it("gives the year for short labels, marked when inferred", () => {
    expect(dateYear({ published: "2022-04-01" })).toBe("2022");
    expect(dateYear({ published: null, date: publicationDate({ month: "2024-12", inferred: true, evidence: "x" }) })).toBe("≈2024");
    expect(dateYear({ published: null, date: publicationDate({ from: "2024-11-06", to: "2025-01-20", inferred: true, evidence: "x" }) })).toBe("≈2024–2025");
    expect(dateYear({ published: null })).toBe("");
  });
});
