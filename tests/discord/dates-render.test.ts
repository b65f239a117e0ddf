import { describe, expect, it } from "vitest";
import { publicationDate } from "../../src/corpus/dates.js";
import { articleChoices } from "../../src/discord/autocomplete.js";
import { renderDigest } from "../../src/discord/digest-message.js";
import { buildDigest } from "../../src/digest/content.js";
import { loadEngine } from "../../src/engine.js";
import { attributionLine, escapeText, quoteEmbed } from "../../src/discord/render.js";
import { articleEmbed, searchEmbed, timelineEmbed } from "../../src/discord/views.js";
import type { ArticleInfo, PassageResult } from "../../src/types.js";

// Every place Discord shows a date shows an inferred one as inferred.

const INFERRED = publicationDate({ from: "2024-11-06", to: "2025-01-20", inferred: true, evidence: "It calls him 'President-elect Donald Trump'." });
const SHOWN = "≈ Nov 2024 – Jan 2025, from the text";

const passage: PassageResult = {
  articleId: "offer",
  title: "An offer",
  authors: ["Ann Able"],
  outlet: "Gazette",
  published: null,
  date: INFERRED,
  text: "Trump should make an offer.",
  start: 0,
  end: 27,
  citation: "offer:1.1",
  score: 1,
  highlights: [],
};

describe("inferred dates on Discord", () => {
  it("the quote embed, attribution line and search fields say the date is inferred", () => {
    expect(attributionLine(passage)).toBe(`Ann Able · Gazette · ${SHOWN}`);
    expect(quoteEmbed(passage).fields?.find((f) => f.name === "Published")?.value).toBe(SHOWN);
    expect(searchEmbed("offer", [passage]).fields?.[0]?.value).toContain(SHOWN);
    // A passage without `date` (built before dates had a precision) shows its printed day.
    const { date: _date, ...undated } = passage;
    expect(attributionLine({ ...undated, published: "2024-01-02" })).toBe("Ann Able · Gazette · 2024-01-02");
  });

  it("the timeline names an inferred entry by its date, not as undated", () => {
    const embed = timelineEmbed({ topic: "offer", entries: [{ ...passage, date: INFERRED, undated: false }, { ...passage, date: null, undated: true }] });
    expect(embed.fields?.map((f) => f.name)).toEqual([`${SHOWN} — Ann Able`, "Undated — Ann Able"]);
  });

  it("the article embed gives the evidence, escaped", () => {
    const article = { id: "offer", title: "An offer", authors: ["Ann Able"], outlet: "Gazette", published: null, date: INFERRED, source: { site: "test" }, gaps: 0, bios: [], notes: "", file: "offer.md" } satisfies ArticleInfo;
    const value = articleEmbed(article, 1, { scope: { kind: "article", value: "offer", articleIds: ["offer"], length: "short" }, sentences: [] }).fields?.find((f) => f.name === "Published")?.value;
    expect(value).toBe(`${SHOWN} — ${escapeText("It calls him 'President-elect Donald Trump'.")}`);
  });

  it("the digest shows the stored date, and a digest stored without one its printed day", () => {
    const stored = { citation: passage.citation, articleId: passage.articleId, start: 0, end: 27, title: passage.title, authors: passage.authors, outlet: passage.outlet, published: null, date: INFERRED, text: passage.text };
    const content = { localDate: "2026-01-01", rotation: 0, roleId: null, topic: null, passage: stored, debate: null, newArticles: [], newArticleCount: 0 };
    expect(JSON.stringify(renderDigest(content))).toContain(SHOWN);
    const { date: _date, ...old } = stored;
    const before = JSON.stringify(renderDigest({ ...content, passage: { ...old, published: "2024-01-02" } }));
    expect(before).toContain('"value":"2024-01-02"');
    expect(before).not.toContain("≈");
  });
});

describe("article autocomplete on the shipped corpus", () => {
  it("lists newest first by the inferred dates too, and marks their years as inferred", async () => {
    const engine = await loadEngine({ corpusDir: "corpus" });
    const choices = articleChoices(engine, "");
    expect(choices.map((c) => c.value)).toEqual([
      "putin-is-playing-trump-for-a-fool",
      "us-cant-pretend-putin-is-ready-for-peace",
      "putin-has-no-legitimate-security-interests",
      "make-putin-an-offer-he-cant-refuse",
      "more-russia-loses-better-chances-for-diplomacy",
    ]);
    // (The 2022 article's long title fills the 100-character name before its year.)
    expect(choices.slice(0, 4).map((c) => c.name.match(/\(([^()]*)\)$/)?.[1])).toEqual(["≈2025", "≈2025", "≈2025", "≈2024"]);
  });
});

describe("the digest built on the shipped corpus", () => {
  it("stores each passage's date, so an inferred one is shown as inferred", async () => {
    const engine = await loadEngine({ corpusDir: "corpus" });
    const { content } = buildDigest(engine, { guildId: "1", localDate: "2026-01-01", topic: null, roleId: null, used: { cycle: 0, citations: new Set() }, rotation: 0, newArticles: [] });
    const passages = [content.passage, ...(content.debate?.columns.map((c) => c.passage) ?? [])].filter((p) => p !== null);
    expect(passages.length).toBeGreaterThan(0);
    for (const p of passages) expect(p.date, p.articleId).toEqual(engine.article(p.articleId).date);
    expect(passages.some((p) => p.date?.inferred)).toBe(true);
  });
});
