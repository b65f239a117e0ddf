import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/load.js";
import { ArticleContext } from "../../src/search/article-context.js";
import { buildParagraphIndex } from "../../src/search/paragraph-index.js";
import { PassageSearch } from "../../src/search/passage-search.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { segmentBody } from "../../src/text/segment.js";
import { syntheticArticle } from "../analysis/context-fixture.js";

/** An ArticleContext over articles given as title and paragraphs. */
function contextOf(articles: { title: string; paragraphs: string[] }[]): ArticleContext {
  const texts = articles.flatMap((article) => article.paragraphs);
  const articleOf = Int32Array.from(articles.flatMap((article, number) => article.paragraphs.map(() => number)));
  return new ArticleContext(articleOf, articles.map((article) => article.title), buildParagraphIndex(texts));
}

describe("article context", () => {
  const context = contextOf([
    { title: "Sanctions that bite", paragraphs: ["Oil sanctions on buyers.", "The ferry runs late."] },
    { title: "A ferry story", paragraphs: ["The ferry runs late.", "One word on sanctions."] },
    { title: "Weather", paragraphs: ["Rain again."] },
    { title: "On sanctions", paragraphs: ["Nothing else here."] },
  ]);

  it("scores whole articles, title and paragraphs together, the best as 1", () => {
    const scores = context.relevance(new Map([["sanction", 1]]));
    // Rank 1: article 0, "sanctions" in its title and in a paragraph.
    expect(scores[0]).toBe(1);
    // Ranks 2-3: the title-only match (3) and the body-only match (1), both below, both above 0.
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[1]).toBeLessThan(1);
    expect(scores[3]).toBeGreaterThan(0);
    expect(scores[3]).toBeLessThan(1);
    // Not ranked: article 2 has no query term.
    expect(scores[2]).toBe(0);
  });

  it("weighs each term as asked, and a term in no article adds nothing", () => {
    const plain = context.relevance(new Map([["sanction", 1], ["ferri", 1]]));
    const ferryOnly = context.relevance(new Map([["sanction", 0], ["ferri", 1], ["truce", 1]]));
    // With "ferry" alone, the ferry story (title and body) is first, the sanctions-only article nothing.
    expect(ferryOnly[1]).toBe(1);
    expect(ferryOnly[3]).toBe(0);
    expect(plain[3]).toBeGreaterThan(0);
  });

  it("is all zeros for no terms or no articles", () => {
    expect([...context.relevance(new Map())]).toEqual([0, 0, 0, 0]);
    expect([...contextOf([]).relevance(new Map([["sanction", 1]]))]).toEqual([]);
  });
});

describe("passages scored with their article", () => {
  const article = (id: string, title: string, paragraphs: string[]): Article => ({ ...syntheticArticle({ id, authors: [], body: paragraphs.join("\n\n") }), title });
  const filler = Array.from({ length: 8 }, (_, i) => `The ferry timetable changed on day ${i + 1}.`);
  // The same sentence in two articles: one about a ceasefire throughout, one mentioning it once.
  const sentence = "A ceasefire would need monitors.";
  const library = [
    article("aside", "Ferries", [...filler, sentence]),
    article("about", "The ceasefire question", [sentence, "Any ceasefire can fail.", "A ceasefire without guarantees is a pause."]),
  ].map((a) => ({ article: a, paragraphs: segmentBody(a.body) }));

  it("rank the same words higher in the article that is about them", () => {
    const hits = new PassageSearch(library, Thesaurus.empty()).search("ceasefire monitors", { limit: 10 });
    const first = (id: string) => hits.findIndex((hit) => hit.article.id === id && hit.article.body.slice(hit.span.start, hit.span.end) === sentence);
    expect(first("about")).toBeGreaterThanOrEqual(0);
    expect(first("aside")).toBeGreaterThan(first("about"));
  });
});
