import { mkdtemp, readFile, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findBoilerplate } from "../../src/corpus/boilerplate.js";
import { ingestFile, ingestText, type IngestResult } from "../../src/corpus/ingest.js";
import { parseArticle } from "../../src/corpus/load.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "raw");

async function raw(name: string): Promise<string> {
  return readFile(path.join(FIXTURES, name), "utf8");
}

function paragraphsOf(result: IngestResult): string[] {
  return result.body.split("\n\n");
}

/** Invariants every ingested body keeps, whatever its source shape. */
function expectCleanBody(result: IngestResult): void {
  for (const paragraph of paragraphsOf(result)) {
    expect(paragraph).not.toBe("");
    expect(paragraph).toBe(paragraph.trim());
    expect(paragraph).not.toMatch(/\n|\r|\u00A0| {2}/);
  }
  expect(findBoilerplate(result.body)).toBeUndefined();
  expect(result.body).not.toContain("[…]");
  expect(result.meta.gaps).toBe(0);
  for (const gap of result.suspectedGaps) expect(paragraphsOf(result)[gap.paragraph - 1]).toContain(gap.excerpt);
}

describe("ingestText: blank-line paragraphs with site boilerplate", () => {
  it("keeps the article's paragraphs verbatim, normalising only whitespace", async () => {
    const result = ingestText(await raw("blank-line-paragraphs.txt"), { sourceName: "blank-line-paragraphs.txt" });
    expect(result.shape).toBe("blank-line-paragraphs");
    expect(paragraphsOf(result)).toEqual([
      "Every mayor promises better buses. Few ride them. The gap between the speech and the stop is where public trust goes to die.",
      "Consider the No. 14 line, which runs “every ten minutes” on paper and every twenty-five minutes in February. Riders have learned to read the timetable as a hope, not a promise.",
      "The fix is not glamorous — painted lanes, signal priority, and drivers paid enough to stay. None of it needs a ribbon cutting. All of it needs a budget line that survives the next election.",
      "Critics say dedicated lanes punish drivers. The evidence says otherwise: where lanes have been painted, car journeys barely changed while bus journeys got faster.",
      "Cities that want fewer cars should start by making the bus the obvious choice.",
    ]);
    expectCleanBody(result);
  });

  it("drops the site name, repeated headline, byline, boilerplate and cookie banner, in source order", async () => {
    const result = ingestText(await raw("blank-line-paragraphs.txt"), { sourceName: "blank-line-paragraphs.txt" });
    expect(result.removedLines).toEqual([
      "CITYDESKREPOST",
      "Why Our Buses Deserve Better Than Slogans CityDeskRepost",
      "Why Our Buses Deserve Better Than Slogans CityDeskRepost",
      "by Jordan Pike",
      "Advertisement",
      "* * *",
      "More From CityDesk Opinion:",
      "Marta Lindqvist is a senior fellow at the Institute for Urban Mobility.",
      "Tomas Ferreira was the transport director of the Greater Harbour Authority.",
      "Read the full article here",
      "Related Posts",
      "Leave a Comment",
      "This website uses cookies to improve your experience. We’ll assume you’re ok with this, but you can opt-out if you wish. Accept Read More",
      "Privacy & Cookies Policy",
      "Exit mobile version",
    ]);
  });

  it("derives the metadata: title without the site suffix, bios, byline note, no author or date", async () => {
    const { meta } = ingestText(await raw("blank-line-paragraphs.txt"), { sourceName: "blank-line-paragraphs.txt" });
    expect(meta).toMatchObject({
      id: "why-our-buses-deserve-better-than-slogans",
      title: "Why Our Buses Deserve Better Than Slogans",
      authors: [],
      outlet: "Unknown",
      published: null,
      published_note: "not given at ingest; check the text",
      source: { site: "CityDeskRepost", seed: "blank-line-paragraphs.txt" },
      gaps: 0,
      bios: [
        "Marta Lindqvist is a senior fellow at the Institute for Urban Mobility.",
        "Tomas Ferreira was the transport director of the Greater Harbour Authority.",
      ],
    });
    expect(meta.notes).toContain("byline in source: by Jordan Pike — may be a reposter, not used as author");
    expect(meta.notes).toContain('Removed the site-name line "CITYDESKREPOST".');
    expect(meta.notes).toMatch(/Removed 9 boilerplate line\(s\): "Advertisement", "\* \* \*"/);
    expect(meta.notes).toContain("Moved 2 closing bio line(s) to bios (naming Marta Lindqvist, Tomas Ferreira).");
    expect(meta.notes).toContain("Gaps were not marked");
  });

  it("reports the stray space it removed before a full stop as a suspected gap", async () => {
    const result = ingestText(await raw("blank-line-paragraphs.txt"), { sourceName: "blank-line-paragraphs.txt" });
    expect(result.suspectedGaps).toEqual([
      {
        paragraph: 4,
        excerpt: "while bus journeys got faster.",
        reason: 'a space stood before "." (removed): a stripped hyperlink may have lost words here',
      },
    ]);
  });

  it("uses the given metadata instead of guesses", async () => {
    const { meta } = ingestText(await raw("blank-line-paragraphs.txt"), {
      sourceName: "buses.txt",
      title: "Why Our Buses Deserve Better Than Slogans",
      authors: ["Jordan Pike"],
      outlet: "CityDesk",
      published: "2024-02-29",
      site: "citydeskrepost.example",
    });
    expect(meta).toMatchObject({
      authors: ["Jordan Pike"],
      outlet: "CityDesk",
      published: "2024-02-29",
      source: { site: "citydeskrepost.example", seed: "buses.txt" },
    });
    expect(meta).not.toHaveProperty("published_note");
  });
});

describe("ingestText: hard-wrapped archive text", () => {
  it("joins wrapped lines with one space and keeps line-end hyphens and glued dashes without adding one", async () => {
    const result = ingestText(await raw("hard-wrapped.txt"), { sourceName: "hard-wrapped.txt" });
    expect(result.shape).toBe("hard-wrapped");
    expect(paragraphsOf(result)).toEqual([
      "A city that hurries everywhere arrives nowhere in particular. We have built our streets for the speed of the car, and then we wonder why no one lingers on them long enough to become anybody’s neighbour.",
      "This is an old complaint, and by now a thoroughly familiar and well-known one. Our grandparents made it about the tram, their own grandparents about the railway; each generation finds that the new speed has quietly taken something from the pavement and the street—usually the children, and often the old.",
      "The answer is not to abolish speed but to ration it. A street can be fast at night and slow at noon — a “school street” in the morning, a delivery route in the afternoon — if we are willing to decide which.",
      "Slowness, in the end, is a choice a city makes on purpose.",
    ]);
    expect(result.meta.title).toBe("On the Virtue of Slow Cities");
    expect(result.meta.id).toBe("on-the-virtue-of-slow-cities");
    expect(result.removedLines).toEqual(["On the Virtue of Slow Cities"]);
    expect(result.suspectedGaps).toEqual([]);
    expect(result.meta.bios).toEqual([]);
    expectCleanBody(result);
  });
});

describe("ingestText: one paragraph per line", () => {
  const options = { sourceName: "one-paragraph-per-line.txt", title: "The Harbour Wall Was a Warning" };

  it("makes each line a paragraph and takes the date from the ' date YYYY-MM-DD' prefix", async () => {
    const result = ingestText(await raw("one-paragraph-per-line.txt"), options);
    expect(result.shape).toBe("one-paragraph-per-line");
    expect(paragraphsOf(result)).toEqual([
      "The harbour wall was built to last a century, and it has lasted exactly that.",
      "Engineers warned the council in 2009 that the wall would need rebuilding within twenty years.",
      "The warning was filed, discussed, and filed again.",
      "Now the repairs will cost four times what they would have cost then, and the bill will fall on residents who were children when the report was written.",
      "There is a lesson here about “deferred maintenance”, and it is not only about concrete.",
      "Every budget that postpones a repair is borrowing from someone who cannot yet vote.",
    ]);
    expect(result.meta.published).toBe("2023-03-09");
    expect(result.meta).not.toHaveProperty("published_note");
    expect(result.meta.id).toBe("the-harbour-wall-was-a-warning");
    expect(result.meta.bios).toEqual([
      "Priya Natarajan is Director of the Coastal Futures Lab and a nonresident fellow at the Harbour Institute.",
    ]);
    expect(result.removedLines).toEqual([
      "date 2023-03-09",
      "Priya Natarajan is Director of the Coastal Futures Lab and a nonresident fellow at the Harbour Institute.",
      "Source: Source",
    ]);
    expect(result.suspectedGaps).toEqual([]);
    expectCleanBody(result);
  });

  it("prefers the given date to the prefix", async () => {
    const result = ingestText(await raw("one-paragraph-per-line.txt"), { ...options, published: "2023-03-10" });
    expect(result.meta.published).toBe("2023-03-10");
    expect(result.body).not.toContain("2023-03-09");
  });

  it("asks for --title when the first line is not a headline", async () => {
    const text = await raw("one-paragraph-per-line.txt");
    expect(() => ingestText(text, { sourceName: "one-paragraph-per-line.txt" })).toThrow(/pass --title/);
  });

  it("drops a date line that holds nothing else", () => {
    const result = ingestText(" date 2021-11-30\nOne line.\nAnother line.\n", { sourceName: "d.txt", title: "Dated" });
    expect(result.shape).toBe("one-paragraph-per-line");
    expect(paragraphsOf(result)).toEqual(["One line.", "Another line."]);
    expect(result.meta.published).toBe("2021-11-30");
    expect(result.removedLines).toEqual(["date 2021-11-30"]);
  });

  it("rejects an empty title", async () => {
    const text = await raw("one-paragraph-per-line.txt");
    expect(() => ingestText(text, { ...options, title: "  " })).toThrow(/title must not be empty/);
  });

  it("rejects a published date that is not YYYY-MM-DD", async () => {
    const text = await raw("one-paragraph-per-line.txt");
    expect(() => ingestText(text, { ...options, published: "2023-02-30" })).toThrow(/YYYY-MM-DD/);
    expect(() => ingestText(text, { ...options, published: "9 March 2023" })).toThrow(/YYYY-MM-DD/);
  });
});

describe("ingestText: line endings and encoding", () => {
  it("reads a Windows file with BOM and CRLF line endings, and drops the closing outlet line", async () => {
    const text = await raw("windows-crlf.txt");
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text).toContain("\r\n");
    const result = ingestText(text, { sourceName: "windows-crlf.txt" });
    expect(result.shape).toBe("blank-line-paragraphs");
    expect(result.meta.title).toBe("A Four-Day Week for the Town Hall?");
    expect(result.meta.id).toBe("a-four-day-week-for-the-town-hall");
    expect(paragraphsOf(result)).toEqual([
      "The town hall will try a four-day week from September, and the predictable complaints have already arrived.",
      "Residents worry that the planning office will be shut when they need it. That is a fair worry, and the council should answer it with opening hours, not slogans.",
      "But the early evidence from other councils is encouraging: fewer sick days, faster replies, and staff who stay.",
    ]);
    expect(result.removedLines).toEqual(["A Four-Day Week for the Town Hall?", "The Harbour Ledger"]);
    expect(result.meta.outlet).toBe("Unknown");
    expect(result.meta.notes).toContain('Removed the closing outlet line "The Harbour Ledger".');
    expectCleanBody(result);
  });

  it("gives the same result for CRLF, old-Mac CR and LF line endings", async () => {
    const text = (await raw("windows-crlf.txt")).replace(/^\uFEFF/, "");
    const lf = ingestText(text.replace(/\r\n/g, "\n"), { sourceName: "x.txt" });
    const cr = ingestText(text.replace(/\r\n/g, "\r"), { sourceName: "x.txt" });
    const crlf = ingestText(text, { sourceName: "x.txt" });
    expect(cr).toEqual(lf);
    expect(crlf).toEqual(lf);
  });
});

describe("ingestText: lines broken where hyperlinks were stripped", () => {
  it("joins the broken lines into sentences without inventing a marker", async () => {
    const result = ingestText(await raw("broken-lines.txt"), { sourceName: "broken-lines.txt" });
    expect(result.shape).toBe("broken-lines");
    expect(result.meta.title).toBe("The Library Card Is the Cheapest Ticket We Have");
    expect(paragraphsOf(result)).toEqual([
      "Last winter the county council to cut branch opening hours by a third, and almost nobody noticed until the doors were locked.",
      "That silence should worry us more than the cuts themselves.",
      "Libraries are where a teenager without a laptop can finish, where a pensioner can renew a passport, and where anyone can sit for an afternoon without being asked to buy something.",
      "The council says the savings are modest but necessary. But the sums involved would not pave a single of the ring road.",
      "Nobody is asking for new palaces of reading.",
      "The people who use libraries most are the people with the least time to campaign for them — shift workers, carers, children.",
      "Keep the doors open.",
    ]);
    expect(result.removedLines).toEqual(["The Library Card Is the Cheapest Ticket We Have", "Northern Ledger"]);
    expectCleanBody(result);
  });

  it("reports every join as a suspected gap for a human to check", async () => {
    const { suspectedGaps, meta } = ingestText(await raw("broken-lines.txt"), { sourceName: "broken-lines.txt" });
    expect(suspectedGaps.map(({ paragraph, excerpt }) => ({ paragraph, excerpt }))).toEqual([
      { paragraph: 1, excerpt: "Last winter the county council to cut branch opening hours by" },
      { paragraph: 3, excerpt: "teenager without a laptop can finish, where a pensioner can renew a" },
      { paragraph: 4, excerpt: "council says the savings are modest but necessary. But the sums" },
      { paragraph: 4, excerpt: "savings are modest but necessary. But the sums involved would not" },
      { paragraph: 4, excerpt: "involved would not pave a single of the ring road." },
      { paragraph: 6, excerpt: "least time to campaign for them — shift workers, carers, children." },
    ]);
    expect(suspectedGaps[0]?.reason).toMatch(/ended without \. ! \?.*next line starts in lowercase/);
    expect(suspectedGaps[1]?.reason).toMatch(/next line starts with ","/);
    expect(suspectedGaps[3]?.reason).toMatch(/next line starts with "\."/);
    expect(suspectedGaps[5]?.reason).toMatch(/next line starts with "—"/);
    for (const gap of suspectedGaps) expect(gap.reason).toMatch(/stripped hyperlink/);
    expect(meta.gaps).toBe(0);
    expect(meta.notes).toContain("Gaps were not marked: 6 suspected place(s)");
  });
});

describe("ingestText: head and tail heuristics", () => {
  it("takes a headline followed by a byline, and notes the byline without crediting it", () => {
    const result = ingestText("Make It Count\n\nby Ann Other\n\nVotes are scarce. Spend them well.\n", { sourceName: "a.txt" });
    expect(result.meta.title).toBe("Make It Count");
    expect(result.meta.authors).toEqual([]);
    expect(result.body).toBe("Votes are scarce. Spend them well.");
    expect(result.meta.notes).toContain("byline in source: by Ann Other — may be a reposter, not used as author");
  });

  it("keeps a closing sentence that only looks like a bio or an outlet name", () => {
    const text = "Green Streets\n\nThe mayor cycles to work.\n\nThe mayor is a cyclist herself, and it shows.\n\nWell Done\n";
    const result = ingestText(text, { sourceName: "b.txt" });
    expect(result.meta.bios).toEqual([]);
    expect(paragraphsOf(result)).toEqual(["The mayor cycles to work.", "The mayor is a cyclist herself, and it shows."]);
    expect(result.removedLines).toEqual(["Green Streets", "Well Done"]);
  });

  it("does not take a broken first line for a headline", () => {
    expect(() => ingestText("U.S. officials\nsaid little.\nThen they left.\n", { sourceName: "c.txt" })).toThrow(/pass --title/);
  });
});

describe("ingestFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = { outlet: "Northern Ledger", authors: ["Sam Okafor"], published: "2024-01-15", site: "example.org" };

  it("writes corpus/<id>.md that the corpus loader accepts", async () => {
    const result = await ingestFile(path.join(FIXTURES, "broken-lines.txt"), dir, options);
    expect(result.file).toBe(path.join(dir, "the-library-card-is-the-cheapest-ticket-we-have.md"));
    const parsed = parseArticle(path.basename(result.file), await readFile(result.file, "utf8"));
    if (!("article" in parsed)) throw new Error(`not accepted: ${JSON.stringify(parsed.problems)}`);
    expect(parsed.article).toMatchObject({
      id: "the-library-card-is-the-cheapest-ticket-we-have",
      authors: ["Sam Okafor"],
      outlet: "Northern Ledger",
      published: "2024-01-15",
      source: { site: "example.org", seed: "broken-lines.txt" },
      gaps: 0,
    });
    expect(parsed.article.body).toBe(result.body);
  });

  it("refuses to overwrite an existing file", async () => {
    const first = await ingestFile(path.join(FIXTURES, "broken-lines.txt"), dir, options);
    const before = await readFile(first.file, "utf8");
    await expect(ingestFile(path.join(FIXTURES, "broken-lines.txt"), dir, { ...options, authors: [] })).rejects.toThrow(
      /refusing to overwrite .*the-library-card-is-the-cheapest-ticket-we-have\.md/,
    );
    expect(await readFile(first.file, "utf8")).toBe(before);
  });

  it("refuses an id already used by another file in the folder", async () => {
    const first = await ingestFile(path.join(FIXTURES, "hard-wrapped.txt"), dir, {});
    await rename(first.file, path.join(dir, "slow-cities.md"));
    await expect(ingestFile(path.join(FIXTURES, "hard-wrapped.txt"), dir, {})).rejects.toThrow(
      /id "on-the-virtue-of-slow-cities" is already used by .*slow-cities\.md/,
    );
  });

  it("reports a missing corpus folder", async () => {
    await expect(ingestFile(path.join(FIXTURES, "hard-wrapped.txt"), path.join(dir, "missing"), {})).rejects.toThrow(
      /corpus folder not found/,
    );
  });
});
