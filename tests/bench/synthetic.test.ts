import { beforeAll, describe, expect, it } from "vitest";
import { buildQueries } from "../../bench/queries.js";
import { mulberry32 } from "../../bench/random.js";
import { buildVocabulary, generateCorpus, SHAPE, type Vocabulary } from "../../bench/synthetic.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { articleMetaSchema } from "../../src/corpus/schema.js";
import { segmentBody } from "../../src/text/segment.js";
import { tokenize } from "../../src/text/tokenize.js";

let bodies: string[];
let vocabulary: Vocabulary;

beforeAll(async () => {
  bodies = (await loadCorpus("corpus")).articles.map((article) => article.body);
  vocabulary = buildVocabulary(bodies, { seed: 7, rareWords: 2000 });
});

describe("synthetic corpus", () => {
  it("mulberry32 is deterministic and in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(100);
  });

  it("is the same for the same seed, different for another, and prefix-stable", () => {
    const one = generateCorpus(vocabulary, { seed: 1, count: 12 });
    expect(generateCorpus(buildVocabulary(bodies, { seed: 7, rareWords: 2000 }), { seed: 1, count: 12 })).toEqual(one);
    expect(generateCorpus(vocabulary, { seed: 2, count: 12 }).articles[0]?.body).not.toBe(one.articles[0]?.body);
    expect(generateCorpus(vocabulary, { seed: 1, count: 5 }).articles).toEqual(one.articles.slice(0, 5));
  });

  it("draws mostly real corpus words, with a tail of rare ones", () => {
    expect(vocabulary.realCount).toBeGreaterThan(1000);
    expect(vocabulary.words).toHaveLength(vocabulary.realCount + 2000);
    const real = new Set(vocabulary.words.slice(0, vocabulary.realCount).map((w) => w.toLowerCase()));
    const words = tokenize(generateCorpus(vocabulary, { seed: 3, count: 5 }).articles.map((a) => a.body).join("\n\n")).map((t) => t.word);
    const share = words.filter((w) => real.has(w.toLowerCase())).length / words.length;
    expect(share).toBeGreaterThan(0.85);
    expect(share).toBeLessThan(0.99);
  });

  it("makes valid articles of the intended shape", () => {
    const { articles, shapes } = generateCorpus(vocabulary, { seed: 11, count: 25 });
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
    articles.forEach((article, i) => {
      const shape = shapes[i]!;
      const { body, file, ...meta } = article;
      expect(articleMetaSchema.parse(meta)).toEqual(meta);
      expect(file).toBe(`${article.id}.md`);
      expect(article.authors.length).toBeGreaterThanOrEqual(1);
      expect(article.authors.length).toBeLessThanOrEqual(2);
      expect(article.published! >= "2015-01-01" && article.published! <= "2025-12-31").toBe(true);
      const titleWords = article.title.split(" ").length;
      expect(titleWords).toBeGreaterThanOrEqual(SHAPE.titleWords[0]);
      expect(titleWords).toBeLessThanOrEqual(SHAPE.titleWords[1]);
      expect(body).not.toContain("[…]");

      expect(shape.words).toBeGreaterThanOrEqual(SHAPE.words[0]);
      expect(shape.words).toBeLessThanOrEqual(SHAPE.words[1]);
      expect(tokenize(body)).toHaveLength(shape.words);
      const paragraphs = segmentBody(body);
      expect(paragraphs).toHaveLength(shape.sentences.length);
      expect(paragraphs.length).toBeGreaterThanOrEqual(SHAPE.paragraphs[0]);
      expect(paragraphs.length).toBeLessThanOrEqual(SHAPE.paragraphs[1]);
      expect(paragraphs.map((p) => p.sentences.length)).toEqual(shape.sentences);
      for (const paragraph of paragraphs) {
        for (const sentence of paragraph.sentences) {
          const n = tokenize(body.slice(sentence.start, sentence.end)).length;
          expect(n).toBeGreaterThanOrEqual(SHAPE.sentenceWords[0]);
          expect(n).toBeLessThanOrEqual(SHAPE.sentenceWords[1]);
        }
      }
    });
    const text = articles.map((a) => a.body).join("");
    expect(text).toContain("?");
    expect(text).toContain("“");
  });
});

describe("benchmark queries", () => {
  it("are a fixed mix of 1-, 2-, 3- and 5-word queries, some partial, some from the thesaurus", () => {
    const options = { bodies, thesaurusMembers: ["ceasefire", "territory", "security guarantees"], count: 200, seed: 5 };
    const queries = buildQueries(options);
    expect(buildQueries(options)).toEqual(queries);
    expect(queries).toHaveLength(200);
    for (const words of [1, 2, 3, 5]) expect(queries.filter((q) => q.words === words)).toHaveLength(50);
    expect(queries.filter((q) => q.partial).length).toBeGreaterThan(20);
    expect(queries.filter((q) => q.thesaurus).length).toBeGreaterThan(20);
    expect(queries.some((q) => q.text.includes("ceasefire") || q.text.includes("territory"))).toBe(true);
  });
});
