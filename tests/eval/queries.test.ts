/**
 * Checks the evaluation sets themselves (the dev split tests/eval/queries.jsonl and the frozen
 * test split tests/eval/queries-test.jsonl), not how well the engine does on them: that is what
 * `npm run eval` reports.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus, type Article } from "../../src/corpus/load.js";
import { loadEvalQueries, type EvalQuery } from "../../eval/own-set.js";
import { segmentBody, type Sentence } from "../../src/text/segment.js";
import { indexTerms } from "../../src/text/tokenize.js";

let articles: Map<string, Article>;

beforeAll(async () => {
  articles = new Map((await loadCorpus("corpus")).articles.map((article) => [article.id, article]));
});

const SPLITS = [
  // The dev split was written to have many paraphrases; each expected phrase sits in one sentence.
  { file: "tests/eval/queries.jsonl", idPrefix: "q", minQueries: 30, minParaphraseShare: 1 / 3, maxWords: 15, oneSentence: true },
  // The test split was written as members ask, kinds labelled afterwards, so no share is imposed.
  { file: "tests/eval/queries-test.jsonl", idPrefix: "t", minQueries: 40, minParaphraseShare: 0, maxWords: 20, oneSentence: false },
] as const;

/** The sentences of the article that the first occurrence of `phrase` overlaps. */
function sentencesHolding(article: Article, phrase: string): Sentence[] {
  const start = article.body.indexOf(phrase);
  if (start === -1) return [];
  const end = start + phrase.length;
  return segmentBody(article.body)
    .flatMap((paragraph) => paragraph.sentences)
    .filter((sentence) => sentence.start < end && start < sentence.end);
}

describe.each(SPLITS)("evaluation set $file", (split) => {
  let queries: EvalQuery[];
  beforeAll(async () => {
    queries = await loadEvalQueries(split.file);
  });

  it("has enough queries, with unique ids of its split", () => {
    expect(queries.length).toBeGreaterThanOrEqual(split.minQueries);
    const ids = queries.map((query) => query.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !id.startsWith(split.idPrefix))).toEqual([]);
  });

  it("has its share of paraphrases", () => {
    const paraphrases = queries.filter((query) => query.kind === "paraphrase").length;
    expect(paraphrases).toBeGreaterThanOrEqual(split.minParaphraseShare * queries.length);
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

  it("uses short distinctive phrases, found in no other article", () => {
    const problems: string[] = [];
    for (const query of queries) {
      const words = query.expect.split(/\s+/).filter(Boolean).length;
      if (words < 5 || words > split.maxWords) problems.push(`${query.id}: ${words} words`);
      const article = articles.get(query.article);
      if (article && split.oneSentence && sentencesHolding(article, query.expect).length !== 1) problems.push(`${query.id}: spans sentences`);
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
