import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus, type Article, type LoadedCorpus } from "../../src/corpus/load.js";
import { GAP_MARKER } from "../../src/corpus/schema.js";

const SEEDS = {
  bloomberg: "000_7b4552f29239c64c.txt",
  offer: "001_57302875f79407ea.txt",
  nationalPost: "002_5352769525018259.txt",
  getmanchuk: "003_46221a2014137dce.txt",
  dated: "004_910b2c4331b85f60.txt",
} as const;

let corpus: LoadedCorpus;

beforeAll(async () => {
  corpus = await loadCorpus("corpus");
});

function bySeed(seed: string): Article {
  const found = corpus.articles.filter((article) => article.source.seed === seed);
  expect(found, `articles cleaned from ${seed}`).toHaveLength(1);
  return found[0]!;
}

describe("shipped corpus", () => {
  it("loads five articles without problems", () => {
    expect(corpus.problems).toEqual([]);
    expect(corpus.articles).toHaveLength(5);
  });

  it("has unique ids, each matching its file name", () => {
    const ids = corpus.articles.map((article) => article.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const article of corpus.articles) expect(article.file).toBe(`${article.id}.md`);
  });

  it("credits seed 001 to the authors named in its bios, not to the reposter", () => {
    const article = bySeed(SEEDS.offer);
    expect(article.authors).toEqual(["Alexander Vershbow", "Hans Binnendijk"]);
    for (const a of corpus.articles) {
      expect(a.authors.some((author) => /vern evans/i.test(author))).toBe(false);
    }
    expect(article.body).not.toMatch(/Vern Evans/);
  });

  it("credits seed 000 to the Bloomberg Opinion editorial board", () => {
    const article = bySeed(SEEDS.bloomberg);
    expect(article.authors).toEqual(["Bloomberg Opinion Editorial Board"]);
    expect(article.outlet).toBe("Bloomberg Opinion");
  });

  it("credits seed 003 to Alena Getmanchuk", () => {
    expect(bySeed(SEEDS.getmanchuk).authors).toEqual(["Alena Getmanchuk"]);
  });

  it("leaves authors empty where the text names nobody", () => {
    expect(bySeed(SEEDS.nationalPost).authors).toEqual([]);
    expect(bySeed(SEEDS.dated).authors).toEqual([]);
    expect(bySeed(SEEDS.nationalPost).outlet).toBe("National Post");
  });

  it("keeps bios and site boilerplate out of every body", () => {
    for (const article of corpus.articles) {
      expect(article.body, article.id).not.toMatch(/is a distinguished fellow/i);
      expect(article.body, article.id).not.toMatch(/nonresident senior fellow/i);
      expect(article.body, article.id).not.toMatch(/The Editorial Board publishes/i);
      expect(article.body, article.id).not.toMatch(/TechTricks365/i);
      expect(article.body, article.id).not.toMatch(/Exit mobile version/i);
      expect(article.body, article.id).not.toMatch(/Read the full article here/i);
      expect(article.body, article.id).not.toMatch(/^National Post$/m);
      expect(article.body, article.id).not.toMatch(/^ ?date \d{4}-\d{2}-\d{2}/);
      for (const bio of article.bios) expect(article.body, article.id).not.toContain(bio);
    }
  });

  it("moves the bios into the front matter", () => {
    expect(bySeed(SEEDS.offer).bios).toHaveLength(2);
    expect(bySeed(SEEDS.getmanchuk).bios.join(" ")).toMatch(/^Alena Getmanchuk is Director of the New Europe Center/);
    expect(bySeed(SEEDS.bloomberg).bios.join(" ")).toMatch(/^The Editorial Board publishes the views/);
  });

  it("marks the words seed 002 lost as gaps, and counts them", () => {
    const article = bySeed(SEEDS.nationalPost);
    expect(article.gaps).toBeGreaterThan(0);
    expect(article.body.split(GAP_MARKER).length - 1).toBe(article.gaps);
    expect(article.body).toContain("U.S. President Donald Trump […] that Russia");
    expect(article.body).toContain("an “excellent” […] with Russian President Vladimir Putin.");
    // kept link text joins the sentence without a marker
    expect(article.body).toContain("Putin has steadfastly insisted — for three long years — that the war");
    expect(article.body).toContain("rife with historical revisionism, he seems");
    expect(article.body).toContain("press your military advantages? So he ignored");
  });

  it("marks no gaps in the other articles", () => {
    for (const article of corpus.articles) {
      if (article.source.seed === SEEDS.nationalPost) continue;
      expect(article.gaps, article.id).toBe(0);
      expect(article.body, article.id).not.toContain(GAP_MARKER);
    }
  });

  it("explains every missing publication date", () => {
    for (const article of corpus.articles) {
      if (article.date === null) expect(article.published_note, article.id).toMatch(/\S/);
      if (article.date?.inferred) expect(article.date.evidence, article.id).toMatch(/\S/);
    }
    expect(bySeed(SEEDS.dated).published).toBe("2022-04-01");
  });

  it("dates every article as narrowly as its own text allows, inferred dates marked with their evidence", () => {
    const dates = Object.fromEntries(
      Object.entries(SEEDS).map(([name, seed]) => {
        const { published, date } = bySeed(seed);
        return [name, [published, date?.precision, date?.value, date?.inferred]];
      }),
    );
    expect(dates).toEqual({
      dated: ["2022-04-01", "day", "2022-04-01", false],
      // "President-elect", Kellogg "nominee", Rutte's NATO foreign ministers meeting "Earlier this month"
      offer: [null, "month", "2024-12", true],
      // "more than three years of full-scale war", the "coalition of the willing" still forming
      getmanchuk: [null, "range", "2025-03-02/2025-09-03", true],
      // the minerals "agreement signed Wednesday" (30 April 2025)
      bloomberg: [null, "range", "2025-04-30/2025-05-06", true],
      // the Trump–Putin call (19 May 2025), Istanbul "just last week!"
      nationalPost: [null, "range", "2025-05-19/2025-05-25", true],
    });
    expect(corpus.articles.filter((article) => article.date === null).length).toBeLessThanOrEqual(1);
  });

  it("supplies a title note for every placeholder title", () => {
    for (const article of corpus.articles) {
      if (article.title.startsWith("[Untitled]")) expect(article.title_note, article.id).toMatch(/\S/);
    }
    expect(bySeed(SEEDS.bloomberg).title).toBe("The US Can’t Pretend That Putin Is Ready for Peace");
    expect(bySeed(SEEDS.offer).title).toBe("Make Putin an offer he can’t refuse");
  });

  it("separates paragraphs by one blank line and never breaks a line inside one", () => {
    for (const article of corpus.articles) {
      const paragraphs = article.body.split("\n\n");
      expect(paragraphs.length, article.id).toBeGreaterThan(1);
      for (const paragraph of paragraphs) {
        expect(paragraph, article.id).not.toContain("\n");
        expect(paragraph, article.id).toBe(paragraph.trim());
        expect(paragraph, article.id).not.toBe("");
      }
      expect(article.body, article.id).not.toMatch(/\u00A0| {2}| [.,;:?!]/);
    }
  });
});
