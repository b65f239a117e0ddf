import { beforeAll, describe, expect, it } from "vitest";
import { buildVocabulary, generateCorpus } from "../../bench/synthetic.js";
import { generateTopicalCorpus } from "../../bench/topical.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { articleMetaSchema } from "../../src/corpus/schema.js";
import { indexTerms } from "../../src/text/tokenize.js";

let bodies: string[];
beforeAll(async () => {
  bodies = (await loadCorpus("corpus")).articles.map((article) => article.body);
});

describe("multi-topic synthetic corpus", () => {
  it("is deterministic and prefix-stable", () => {
    const small = generateTopicalCorpus(bodies, { seed: 4, count: 6 });
    const large = generateTopicalCorpus(bodies, { seed: 4, count: 12 });
    expect(large.articles.slice(0, 6)).toEqual(small.articles);
    expect(generateTopicalCorpus(bodies, { seed: 5, count: 6 }).articles[0]?.body).not.toBe(small.articles[0]?.body);
  });

  it("draws a share of the articles from the real vocabulary, as the single-topic corpus does, and the rest from topics", () => {
    const { articles, topicOf } = generateTopicalCorpus(bodies, { seed: 4, count: 200 });
    const real = topicOf.filter((topic) => topic === -1).length;
    expect(real).toBeGreaterThan(8);
    expect(real).toBeLessThan(40);
    expect(new Set(topicOf.filter((topic) => topic >= 0)).size).toBeGreaterThan(25);
    const single = generateCorpus(buildVocabulary(bodies, { seed: 4 }), { seed: 4, count: 200 }).articles;
    topicOf.forEach((topic, i) => {
      if (topic === -1) expect(articles[i]).toEqual(single[i]);
    });
    for (const article of articles) {
      const { body, file, ...meta } = article;
      expect(articleMetaSchema.parse(meta)).toEqual(meta);
      expect(file).toBe(`${article.id}.md`);
      expect(body.split("\n\n").length).toBeGreaterThanOrEqual(8);
    }
  });

  it("keeps the real op-eds' content words out of topic articles, which share function words", () => {
    const { articles, topicOf } = generateTopicalCorpus(bodies, { seed: 4, count: 60 });
    const realTerms = new Set(bodies.flatMap((body) => indexTerms(body)));
    articles.forEach((article, i) => {
      if (topicOf[i] === -1) return;
      const terms = indexTerms(article.body);
      const shared = terms.filter((term) => realTerms.has(term)).length;
      // Invented words may stem like a real one now and then, but not more.
      expect(shared / terms.length).toBeLessThan(0.02);
      expect(article.body).toMatch(/\b(?:the|of|and)\b/);
    });
  });
});
