import { dateOf } from "../corpus/dates.js";
import type { CorpusProblem } from "../corpus/load.js";
import { byline, dateText } from "../text/attribution.js";
import type { ArticleInfo, AuthorInfo, PassageResult } from "../types.js";

/**
 * The fields of a passage result the CLI's JSON contract promises, in that order. `published` is
 * the printed day or null, as it always was; `date` (added) is the date at its precision, printed
 * or inferred: `{precision, value, start, end, inferred, evidence}` or null.
 */
export function passageJson(result: PassageResult): Record<string, unknown> {
  const { articleId, title, authors, outlet, published, text, start, end, citation, score } = result;
  return { articleId, title, authors, outlet, published, date: dateOf(result), text, start, end, citation, score };
}

/** A numbered list of passages, each with its attribution and citation id. */
export function formatPassages(query: string, results: readonly PassageResult[]): string {
  if (results.length === 0) return `No passages match "${query}".`;
  return results
    .map((result, i) => {
      const attribution = `${byline(result.authors)}, ${result.outlet}, ${dateText(result)} — ${result.title}`;
      return `${i + 1}. “${result.text}”\n   ${attribution}\n   [${result.citation}] score ${result.score}`;
    })
    .join("\n\n");
}

export function formatArticles(articles: readonly ArticleInfo[]): string {
  return articles.map((a) => `${a.id}\n   ${a.title}\n   ${byline(a.authors)}, ${a.outlet}, ${dateText(a)}`).join("\n");
}

export function formatAuthors(authors: readonly AuthorInfo[]): string {
  return authors.map((a) => `${a.name}: ${a.articleIds.join(", ")}`).join("\n");
}

export function formatProblems(problems: readonly CorpusProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field}: ${p.reason}`).join("\n");
}
