import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { findDates, matchDateline, matchStampLine } from "../../src/corpus/date-proposal.js";
import { ingestText } from "../../src/corpus/ingest.js";
import { parseArticle } from "../../src/corpus/load.js";
import { joinFrontMatter } from "../../src/corpus/frontmatter.js";

// Small invented raw texts: ingest proposes a date from them for a human to confirm.

const options = { sourceName: "raw.txt", title: "The Ferry Question" };
const PARAGRAPHS = "The ferry should run all winter.\n\nThe council says the money is not there, but it found money for the car park.";

describe("dates in a text", () => {
  it("finds dates as people print them, only real ones", () => {
    expect(findDates("Signed March 3, 2025, then Mar. 4 2025, Monday, 5 March 2025, 2025-03-06 and in February 2022; not 2025-02-30 nor May 40, 2025.").map((d) => [d.day, d.precision, d.text])).toEqual([
      ["2025-03-03", "day", "March 3, 2025"],
      ["2025-03-04", "day", "Mar. 4 2025"],
      ["2025-03-05", "day", "Monday, 5 March 2025"],
      ["2025-03-06", "day", "2025-03-06"],
      ["2022-02-01", "month", "February 2022"],
    ]);
    expect(findDates("You may 2025 times try; the year 2024; the 3 May meeting.")).toEqual([]);
  });

  it("recognises stamp lines and datelines, and nothing else as such", () => {
    expect(matchStampLine("Published March 3, 2025")?.published?.day).toBe("2025-03-03");
    expect(matchStampLine("Updated: 2025-03-04 10:00 GMT")?.updated?.day).toBe("2025-03-04");
    expect(matchStampLine("Published 3 March 2025 | Updated 4 March 2025 at 9:15 a.m. ET")).toMatchObject({ published: { day: "2025-03-03" }, updated: { day: "2025-03-04" } });
    expect(matchStampLine("Published March 3, 2025, the report found that ferries lose money.")).toBeUndefined();
    expect(matchStampLine("The council published its plan on March 3, 2025.")).toBeUndefined();
    expect(matchDateline("KYIV, Ukraine, March 3, 2025 — The ferry ran.")?.text).toBe("KYIV, Ukraine, March 3, 2025 —");
    expect(matchDateline("WASHINGTON, 3 March 2025 (Reuters) - The ferry ran.")?.date.day).toBe("2025-03-03");
    expect(matchDateline("On March 3, 2025 — a Monday — the ferry ran.")).toBeUndefined();
  });
});

describe("ingest proposes a date", () => {
  it("from a Published stamp, removed from the body, written as inferred with its evidence", () => {
    const result = ingestText(`The Ferry Question\nPublished March 3, 2025\nUpdated March 4, 2025\n\n${PARAGRAPHS}\n`, options);
    expect(result.dateProposal?.source).toBe("published stamp");
    expect(result.meta.published).toEqual({
      day: "2025-03-03",
      inferred: true,
      evidence: "Proposed at ingest, to confirm: the raw text's line 'Published March 3, 2025' was removed from the body as a date stamp.",
    });
    expect(result.body).toBe(PARAGRAPHS);
    expect(result.removedLines).toEqual(["The Ferry Question", "Published March 3, 2025", "Updated March 4, 2025"]);
    expect(result.meta.notes).toContain('Removed 2 date stamp line(s): "Published March 3, 2025", "Updated March 4, 2025".');
  });

  it("from a dateline, which stays in the body", () => {
    const result = ingestText(`KYIV, Ukraine, March 3, 2025 — ${PARAGRAPHS}\n`, options);
    expect(result.meta.published).toMatchObject({ day: "2025-03-03", inferred: true, evidence: "Proposed at ingest, to confirm: the dateline 'KYIV, Ukraine, March 3, 2025 —'." });
    expect(result.body.startsWith("KYIV, Ukraine, March 3, 2025 — ")).toBe(true);
  });

  it("from an Updated stamp: on or before it, not before the latest date the text mentions", () => {
    const result = ingestText(`Last updated: 2025-03-20\n\nThe ferry stopped on March 3, 2025 and again in February 2025.\n\nIt should run.\n`, options);
    expect(result.dateProposal?.source).toBe("updated stamp");
    expect(result.meta.published).toMatchObject({ from: "2025-03-03", to: "2025-03-20", inferred: true });
    const alone = ingestText(`Updated March 20, 2025\n\n${PARAGRAPHS}\n`, options);
    expect(alone.meta.published).toMatchObject({ day: "2025-03-20", inferred: true });
  });

  it("from the latest date the text mentions: on or after it, within 30 days", () => {
    const result = ingestText(`The ferry stopped on 2022-04-01, after the vote of March 28, 2022.\n\nIt should run.\n`, options);
    expect(result.dateProposal?.source).toBe("mentioned dates");
    expect(result.meta.published).toMatchObject({ from: "2022-04-01", to: "2022-05-01", inferred: true });
    expect((result.meta.published as { evidence: string }).evidence).toContain("'2022-04-01'");
    const month = ingestText(`Since the invasion in February 2022 the ferry is full.\n\nIt should run.\n`, options);
    expect(month.meta.published).toMatchObject({ from: "2022-02-01", to: "2022-03-30" });
  });

  it("proposes nothing over a given date or a printed ' date' prefix, and nothing when the text has no date", () => {
    expect(ingestText(`Published March 3, 2025\n\n${PARAGRAPHS}\n`, { ...options, published: "2025-03-05" })).toMatchObject({ meta: { published: "2025-03-05" } });
    expect(ingestText(`Published March 3, 2025\n\n${PARAGRAPHS}\n`, { ...options, published: "2025-03-05" }).dateProposal).toBeUndefined();
    expect(ingestText(` date 2021-11-30 ${PARAGRAPHS}\n`, options).meta.published).toBe("2021-11-30");
    const none = ingestText(`${PARAGRAPHS}\n`, options);
    expect(none.dateProposal).toBeUndefined();
    expect(none.meta).toMatchObject({ published: null, published_note: "not given at ingest; check the text" });
  });

  it("writes a front matter the loader accepts, showing the date as inferred", () => {
    const result = ingestText(`Published March 3, 2025\n\n${PARAGRAPHS}\n`, options);
    const parsed = parseArticle("f.md", joinFrontMatter({ ...result.meta }, result.body));
    expect(parsed).toMatchObject({ article: { published: null, date: { precision: "day", start: "2025-03-03", inferred: true } } });
  });

  it("prints the proposal for the person running ingest, and writes it into the file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-date-"));
    const raw = path.join(dir, "ferry.txt");
    await writeFile(raw, `The Ferry Question\nPublished March 3, 2025\n\n${PARAGRAPHS}\n`);
    const corpus = await mkdtemp(path.join(os.tmpdir(), "agora-date-corpus-"));
    const out: string[] = [];
    const code = await runCli(["ingest", raw, "--corpus", corpus], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("proposed date (from the published stamp): ≈ 3 Mar 2025, from the text");
    expect(text).toContain('confirm it (a date the text prints: published: "2025-03-03") or correct it');
    const written = await readFile(path.join(corpus, "the-ferry-question.md"), "utf8");
    expect(written).toContain("published:\n  day: 2025-03-03\n  inferred: true\n  evidence: \"Proposed at ingest, to confirm:");
  });
});
