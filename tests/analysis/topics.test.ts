import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnalysisContext } from "../../src/analysis/context.js";
import { keyPhrases, loadCuratedTopics, topics, type CuratedTopic } from "../../src/analysis/topics.js";
import { loadContext, syntheticContext } from "./context-fixture.js";

let corpus: AnalysisContext;
let curated: CuratedTopic[];
beforeAll(async () => {
  corpus = await loadContext("corpus");
  curated = await loadCuratedTopics("corpus/topics.yml");
});

describe("curated topics file", () => {
  it("loads the shipped topics", () => {
    expect(curated.map((t) => t.name)).toEqual([
      "territorial concessions",
      "ceasefire",
      "security guarantees",
      "NATO membership",
      "sanctions",
      "peacekeepers",
      "negotiations with Putin",
      "European burden-sharing",
    ]);
  });

  it("treats a missing file as no topics and names file and field in errors", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-topics-"));
    expect(await loadCuratedTopics(path.join(dir, "topics.yml"))).toEqual([]);
    const bad = path.join(dir, "bad.yml");
    await writeFile(bad, "topics:\n  - name: sanctions\n    synonyms: embargo\n");
    await expect(loadCuratedTopics(bad)).rejects.toThrow(`${bad}: topics.0.synonyms`);
    await writeFile(bad, "topics:\n  - synonyms: [embargo]\n");
    await expect(loadCuratedTopics(bad)).rejects.toThrow(`${bad}: topics.0.name`);
    await writeFile(bad, "topics: [\n");
    await expect(loadCuratedTopics(bad)).rejects.toThrow(bad);
  });
});

describe("topics on the shipped corpus", () => {
  it("lists the curated topics first, with the authors who address them", () => {
    const list = topics(corpus, curated);
    expect(list.slice(0, curated.length).map((t) => t.name)).toEqual(curated.map((t) => t.name));
    const byName = new Map(list.map((t) => [t.name, t]));
    const nato = byName.get("NATO membership");
    expect(nato?.curated).toBe(true);
    expect(nato?.authors).toEqual(expect.arrayContaining(["Alena Getmanchuk", "Alexander Vershbow", "Bloomberg Opinion Editorial Board"]));
    expect(nato?.authors).not.toContain("Unknown author (National Post)");
    // Getmanchuk's article never mentions sanctions; only Vershbow and Binnendijk write of sharing the burden.
    expect(byName.get("sanctions")?.authors).not.toContain("Alena Getmanchuk");
    expect(byName.get("European burden-sharing")?.authors).toEqual(["Alexander Vershbow", "Hans Binnendijk"]);
    for (const topic of list) {
      expect(topic.passageCount).toBeGreaterThanOrEqual(topic.authors.length > 0 ? 1 : 0);
      if (topic.authors.length === 0) expect(topic.passageCount).toBe(0);
    }
  });

  it("lets a curated topic absorb the corpus phrases that match it", () => {
    const list = topics(corpus, curated);
    const nato = list.find((t) => t.name === "NATO membership");
    expect(nato?.phrases).toEqual(expect.arrayContaining(["NATO membership", "join NATO"]));
    const corpusTopics = list.filter((t) => !t.curated).map((t) => t.name.toLowerCase());
    for (const absorbed of ["nato membership", "join nato", "security guarantees", "sanctions", "ceasefire"]) expect(corpusTopics).not.toContain(absorbed);
  });

  it("finds key phrases as written, in at least two articles, without near-duplicates", () => {
    const phrases = keyPhrases(corpus);
    const texts = phrases.map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(["security guarantees", "NATO membership", "sanctions"]));
    const bodies = corpus.articles.map((a) => a.article.body);
    for (const phrase of phrases) {
      expect(phrase.articles).toBeGreaterThanOrEqual(2);
      expect(bodies.some((body) => body.includes(phrase.text))).toBe(true);
    }
    // "guarantees" is mostly used inside "security guarantees", so it is merged into it.
    expect(texts).not.toContain("guarantees");
    expect(new Set(phrases.map((p) => p.terms.join(" "))).size).toBe(phrases.length);
    // Names and words every article uses are not topics.
    for (const name of ["Putin", "Ukraine", "Vladimir Putin", "war"]) expect(texts).not.toContain(name);
  });

  it("works without curated topics", () => {
    const list = topics(corpus);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((t) => !t.curated && t.authors.length > 0)).toBe(true);
  });
});

describe("topics on a small corpus", () => {
  it("gives a curated topic nobody addresses no authors and no passages", () => {
    const ctx = syntheticContext([
      { id: "a", authors: ["Ann Able"], body: "The harbor deal is good. The harbor deal should pass." },
      { id: "b", authors: ["Bo Baker"], body: "The harbor deal is bad. A harbor deal costs money." },
    ]);
    const list = topics(ctx, [{ name: "bridge tolls", synonyms: ["road pricing"] }]);
    expect(list[0]).toMatchObject({ name: "bridge tolls", authors: [], passageCount: 0, curated: true });
    expect(list.find((t) => t.name === "harbor deal")).toMatchObject({ authors: ["Ann Able", "Bo Baker"], curated: false });
  });
});
