import { dateOf, type PublicationDate } from "../corpus/dates.js";
import type { PassageResult } from "../types.js";
import { byPublication, type AnalysisContext } from "./context.js";
import { searchEachArticle, topicPassages, topicRelevance } from "./relevance.js";

/** One article's most relevant passage on the topic, placed in time. */
export type TimelineEntry = PassageResult & {
  /** The day the text prints, else null (see Article.published). */
  published: string | null;
  /** The date the entry is placed by, printed or inferred, at its precision; null when unknown. */
  date: PublicationDate | null;
  /** True when the article has no date at all, not even an inferred one; such entries come last. */
  undated: boolean;
};

export interface TimelineResult {
  topic: string;
  entries: TimelineEntry[];
}

/**
 * How a topic is treated over time: for every article with a passage above the relevance floor
 * (the same floor and ranking as contrast: most typed terms, then score), its most relevant passage, in order of publication date
 * (an inferred date or range counts, placed by its first possible day: see byPublication); undated
 * articles last (marked `undated`), in id order, since their order in time is not known.
 * Articles with nothing relevant are left out rather than given a weak quote.
 */
export function timeline(ctx: AnalysisContext, topic: string): TimelineResult {
  const relevance = topicRelevance(ctx, topic);
  const articles = ctx.articles.map((entry) => entry.article).sort(byPublication);
  const reference = searchEachArticle(articles.length) ? undefined : relevance.reference;
  const entries: TimelineEntry[] = [];
  for (const article of articles) {
    const best = relevance.rank(topicPassages(ctx, topic, [article.id], reference))[0];
    const date = dateOf(article);
    if (best) entries.push({ ...best, published: article.published, date, undated: date === null });
  }
  return { topic, entries };
}
