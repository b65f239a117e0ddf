import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  articleCandidates,
  decodeText,
  evaluateSystem,
  headToHead,
  isBbcFolder,
  leadSystem,
  loadBbc,
  prepareArticle,
  referenceSentences,
  restoreSentenceSpaces,
  splitArticle,
  summarizerSystem,
  summaryText,
} from "../../eval/summary.js";

// Invented texts in the dataset's layout; no dataset text is used here.
const BODY = [
  "The town council approved a new bridge on Monday. The bridge will cost £2.5m.",
  "Residents said the old crossing was unsafe. The council should have acted sooner, one said.",
  "Work on the bridge starts in May.",
].join("\n\n");

describe("reading the dataset layout", () => {
  it("restores the space lost after each reference sentence, keeping decimals whole", () => {
    const restored = restoreSentenceSpaces("Costs rose to £2.5m.Work starts in May.\"It is late,\" she said.");
    expect(restored).toBe("Costs rose to £2.5m. Work starts in May. \"It is late,\" she said.");
    expect(referenceSentences(restored)).toEqual(["Costs rose to £2.5m.", "Work starts in May.", "\"It is late,\" she said."]);
    expect(restoreSentenceSpaces("He said: \"We are ready.\"The work starts.")).toBe("He said: \"We are ready.\" The work starts.");
  });

  it("splits the title line from the body", () => {
    expect(splitArticle("Bridge approved\r\n\r\nFirst paragraph.\n\nSecond.")).toEqual({ title: "Bridge approved", body: "First paragraph.\n\nSecond." });
    expect(splitArticle("Only a title")).toEqual({ title: "Only a title", body: "" });
  });

  it("decodes UTF-8, and Latin-1 when the bytes are not valid UTF-8", () => {
    expect(decodeText(new TextEncoder().encode("£5 café"))).toBe("£5 café");
    expect(decodeText(Uint8Array.from([0xa3, 0x35, 0x20, 0x63, 0x61, 0x66, 0xe9]))).toBe("£5 café");
  });
});

describe("candidates and systems", () => {
  it("makes every sentence a candidate with position = rank / (n - 1)", () => {
    const { sentences, candidates } = articleCandidates(BODY);
    expect(sentences).toHaveLength(5);
    expect(sentences[1]).toBe("The bridge will cost £2.5m.");
    expect(candidates.map((c) => c.position)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(candidates.map((c) => c.normative)).toEqual([false, false, false, true, false]);
    expect(candidates[0]?.terms).toContain("bridg");
  });

  it("gives a single sentence position 0", () => {
    expect(articleCandidates("Just one sentence here.").candidates.map((c) => c.position)).toEqual([0]);
  });

  const article = prepareArticle({
    id: "local/001",
    category: "local",
    title: "Bridge approved",
    body: BODY,
    reference: "The town council approved a new bridge on Monday. Work on the bridge starts in May.",
  });

  it("lead-k keeps the first k sentences and the summary reads in article order", () => {
    expect(leadSystem(2)(article)).toEqual([0, 1]);
    expect(summaryText(article, [4, 0])).toBe("The town council approved a new bridge on Monday. Work on the bridge starts in May.");
  });

  it("the summarizer keeps k distinct sentences", () => {
    const picked = summarizerSystem(2, { leadBias: 1 })(article);
    expect(picked).toHaveLength(2);
    expect(new Set(picked).size).toBe(2);
  });

  it("scores a summary that is the reference at 1", () => {
    const exact = evaluateSystem([article], () => [0, 4]);
    expect(exact.mean.rouge2.f1).toBeCloseTo(1, 12);
    expect(exact.rouge2F1ByCategory).toEqual({ local: exact.mean.rouge2.f1 });
    expect(exact.meanTokens).toBe(article.referenceTokens.length);
    expect(evaluateSystem([article], leadSystem(1)).mean.rouge1.recall).toBeCloseTo(9 / 16, 12);
  });

  it("counts wins, ties and losses", () => {
    expect(headToHead([0.5, 0.2, 0.3], [0.4, 0.2, 0.6])).toEqual({ wins: 1, ties: 1, losses: 1 });
  });
});

describe("loadBbc", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "agora-bbc-"));
    for (const category of ["alpha", "beta"]) {
      await mkdir(join(dir, "articles", category), { recursive: true });
      await mkdir(join(dir, "summaries", category), { recursive: true });
      for (const file of ["001.txt", "002.txt"]) {
        await writeFile(join(dir, "articles", category, file), `Title ${category} ${file}\n\nOne sentence. Another one.\n`);
        await writeFile(join(dir, "summaries", category, file), "One sentence.Another one.");
      }
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("recognises the layout", async () => {
    expect(await isBbcFolder(dir)).toBe(true);
    expect(await isBbcFolder(join(dir, "articles"))).toBe(false);
  });

  it("orders by file number then category, so a limit samples every category", async () => {
    const articles = await loadBbc(dir, 3);
    expect(articles.map((a) => a.id)).toEqual(["alpha/001", "beta/001", "alpha/002"]);
    expect(articles[0]).toMatchObject({ title: "Title alpha 001.txt", body: "One sentence. Another one.\n", reference: "One sentence. Another one." });
  });
});
