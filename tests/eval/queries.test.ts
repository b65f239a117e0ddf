/**
 * Checks the evaluation set itself (tests/eval/queries.jsonl), not how well the engine does on it:
 * that is what `npm run eval` reports.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus, type Article } from "../../src/corpus/load.js";
import { loadEvalQueries, type EvalQuery } from "../../eval/own-set.js";
import { segmentBody, type Sentence } from "../../src/text/segment.js";
import { indexTerms } from "../../src/text/tokenize.js";

let queries: EvalQuery[];
let articles: Map<string, Article>;

beforeAll(async () => {
  queries = await loadEvalQueries("tests/eval/queries.jsonl");
  articles = new Map((await loadCorpus("corpus")).articles.map((article) => [article.id, article]));
});

/** The sentences of the article that the first occurrence of `phrase` overlaps. */
function sentencesHolding(article: Article, phrase: string): Sentence[] {
  const start = article.body.indexOf(phrase);
  if (start === -1) return [];
  const end = start + phrase.length;
  return segmentBody(article.body)
    .flatMap((paragraph) => paragraph.sentences)
    .filter((sentence) => sentence.start < end && start < sentence.end);
}

describe("evaluation set", () => {
  it("has at least 30 queries with unique ids", () => {
    expect(queries.length).toBeGreaterThanOrEqual(30);
    const ids = queries.map((query) => query.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is at least a third paraphrases", () => {
    const paraphrases = queries.filter((query) => query.kind === "paraphrase").length;
    expect(paraphrases * 3).toBeGreaterThanOrEqual(queries.length);
  });

  it("covers every article of the corpus", () => {
    const covered = new Set(queries.map((query) => query.article));
    expect([...articles.keys()].filter((id) => !covered.has(id))).toEqual([]);
  });

  it("names a real article for every query", () => {
    expect(queries.filter((query) => !articles.has(query.article)).map((query) => query.id)).toEqual([]);
  });

  it("copies every expected phrase verbatim from the named article's body", () => {
    const missing = queries.filter((query) => !articles.get(query.article)?.body.includes(query.expect));
    expect(missing.map((query) => `${query.id}: ${query.expect}`)).toEqual([]);
  });

  it("uses short distinctive phrases: 5–15 words, inside one sentence, found in no other article", () => {
    const problems: string[] = [];
    for (const query of queries) {
      const words = query.expect.split(/\s+/).filter(Boolean).length;
      if (words < 5 || words > 15) problems.push(`${query.id}: ${words} words`);
      const article = articles.get(query.article);
      if (article && sentencesHolding(article, query.expect).length !== 1) problems.push(`${query.id}: spans sentences`);
      for (const other of articles.values()) {
        if (other.id !== query.article && other.body.includes(query.expect)) problems.push(`${query.id}: also in ${other.id}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("gives every paraphrase no index term in common with its expected sentence", () => {
    const overlaps: string[] = [];
    for (const query of queries.filter((q) => q.kind === "paraphrase")) {
      const article = articles.get(query.article);
      if (!article) continue;
      const sentenceTerms = new Set(
        sentencesHolding(article, query.expect).flatMap((sentence) => indexTerms(article.body.slice(sentence.start, sentence.end))),
      );
      const shared = [...new Set(indexTerms(query.q))].filter((term) => sentenceTerms.has(term));
      if (sentenceTerms.size === 0 || shared.length > 0) overlaps.push(`${query.id}: ${shared.join(", ") || "no sentence found"}`);
    }
    expect(overlaps).toEqual([]);
  });

  it("gives every direct query at least one index term of its expected sentence", () => {
    const strays: string[] = [];
    for (const query of queries.filter((q) => q.kind === "direct")) {
      const article = articles.get(query.article);
      if (!article) continue;
      const sentenceTerms = new Set(
        sentencesHolding(article, query.expect).flatMap((sentence) => indexTerms(article.body.slice(sentence.start, sentence.end))),
      );
      if (!indexTerms(query.q).some((term) => sentenceTerms.has(term))) strays.push(query.id);
    }
    expect(strays).toEqual([]);
  });
});
