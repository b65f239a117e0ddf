import { describe, expect, it } from "vitest";
import { topicRelevance } from "../../src/analysis/relevance.js";
import { syntheticContext } from "./context-fixture.js";

describe("the topic relevance floor", () => {
  const ctx = syntheticContext([
    { id: "on-topic", authors: ["Ada"], body: "A gambling ban would close the casinos. The gambling ban is overdue." },
    { id: "aside", authors: ["Bo"], body: "The smoking ban in bars worked. Taxes on tobacco went up." },
  ]);
  const relevance = topicRelevance(ctx, "gambling ban");

  it("takes a passage with every typed word, however it scores", () => {
    expect(relevance.best).toBeGreaterThan(0);
    expect(relevance.isRelevant({ text: "No gambling ban.", score: 0.01 * relevance.best })).toBe(true);
  });

  it("takes a passage with half the typed words only from a fifth of the best score up", () => {
    // "ban" without "gambling": another debate's word, unless the passage is a strong match.
    expect(relevance.isRelevant({ text: "The smoking ban in bars worked.", score: 0.15 * relevance.best })).toBe(false);
    expect(relevance.isRelevant({ text: "The smoking ban in bars worked.", score: 0.25 * relevance.best })).toBe(true);
  });

  it("keeps the other author's passage out of a contrast on the topic", () => {
    const asideScore = ctx.search("gambling ban", { article: "aside", limit: 1 })[0]?.score ?? 0;
    expect(asideScore).toBeGreaterThan(0);
    expect(asideScore).toBeLessThan(0.2 * relevance.best);
    expect(relevance.rank(ctx.search("gambling ban", { limit: 10 })).map((p) => p.articleId)).not.toContain("aside");
  });
});
