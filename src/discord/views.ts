import type { APIEmbed } from "discord.js";
import type { ContrastResult } from "../analysis/contrast.js";
import type { Summary } from "../analysis/summary-scope.js";
import type { TimelineResult } from "../analysis/timeline.js";
import { dateOf } from "../corpus/dates.js";
import { byline, dateText } from "../text/attribution.js";
import type { ArticleInfo, AuthorInfo, PassageResult } from "../types.js";
import { attributionLine, COLOUR, escapeText, highlighted, LIMITS, truncate } from "./render.js";

/**
 * Embeds for the analysis and listing commands. Every quoted text is escaped and cited, and so is
 * every corpus or user string in a title, field or description; footers are plain text in Discord.
 */

const cited = (p: PassageResult, text = escapeText(p.text)) => `> ${text}\n— ${escapeText(attributionLine(p))} · \`${p.citation}\``;

export function searchEmbed(query: string, results: readonly PassageResult[]): APIEmbed {
  return {
    color: COLOUR,
    title: `Search: ${escapeText(truncate(query, 200))}`,
    fields: results.map((p, i) => ({
      name: truncate(`${i + 1}. ${escapeText(byline(p.authors))} — ${escapeText(p.title)}`, LIMITS.fieldName),
      value: truncate(`> ${highlighted(p)}\n\`${p.citation}\` · ${escapeText(p.outlet)} · ${dateText(p)}`, LIMITS.fieldValue),
    })),
  };
}

export function summaryEmbed(summary: Summary): APIEmbed {
  const { kind, value, length } = summary.scope;
  const lines: string[] = [];
  let previous: PassageResult | undefined;
  for (const s of summary.sentences) {
    if (previous?.articleId !== s.articleId) lines.push(`\n**${escapeText(s.title)}** — ${escapeText(attributionLine(s))}`);
    else if (s.elidedBefore) lines.push("> …");
    lines.push(`> ${escapeText(s.text)} \`${s.citation}\``);
    previous = s;
  }
  return {
    color: COLOUR,
    title: truncate(`Summary of ${kind} “${escapeText(value)}”`, LIMITS.embedTitle),
    description: lines.length > 0 ? truncate(lines.join("\n").trim(), LIMITS.embedDescription) : "There is nothing to summarize here.",
    footer: { text: `${length} · extractive: every line is the authors' own words` },
  };
}

/** One field per author, each with the same budget; an author with nothing on the topic says so. */
export function contrastEmbed(result: ContrastResult): APIEmbed {
  const fields = result.columns.map((column) => {
    const terms = column.terms.length > 0 ? `\n*Leaning terms:* ${column.terms.map(escapeText).join(", ")}` : "";
    const body = column.passages.length > 0 ? column.passages.map((p) => cited(p)).join("\n") : "*No passage on this topic.*";
    return { name: truncate(escapeText(column.author), LIMITS.fieldName), value: truncate(`${body}${terms}`, LIMITS.fieldValue) };
  });
  const notes = [
    "Columns are in order of publication, so no author is favoured by position.",
    ...(result.omitted.length > 0 ? [`Left out (6 columns at most): ${result.omitted.map(escapeText).join(", ")}.`] : []),
    ...result.hints.map((h) => `• ${escapeText(h)}`),
  ];
  return { color: COLOUR, title: truncate(`Contrast: ${escapeText(result.topic)}`, LIMITS.embedTitle), description: notes.join("\n"), fields };
}

export function timelineEmbed(result: TimelineResult): APIEmbed {
  return {
    color: COLOUR,
    title: truncate(`Timeline: ${escapeText(result.topic)}`, LIMITS.embedTitle),
    ...(result.entries.length === 0 ? { description: "No article addresses this topic." } : {}),
    fields: result.entries.slice(0, LIMITS.fields).map((e) => ({
      name: truncate(`${e.undated ? "Undated" : dateText(e)} — ${escapeText(byline(e.authors))}`, LIMITS.fieldName),
      value: truncate(cited(e), LIMITS.fieldValue),
    })),
  };
}

export function authorsEmbed(authors: readonly AuthorInfo[], articles: readonly ArticleInfo[]): APIEmbed {
  const titles = new Map(articles.map((a) => [a.id, a.title]));
  const unsigned = articles.filter((a) => a.authors.length === 0).length;
  const lines = authors.map((a) => `**${escapeText(a.name)}** — ${a.articleIds.map((id) => escapeText(titles.get(id) ?? id)).join("; ")}`);
  return {
    color: COLOUR,
    title: `Authors (${authors.length})`,
    description: truncateLines(lines, LIMITS.embedDescription - 100) + (unsigned > 0 ? `\n\n${unsigned} article(s) name no author.` : ""),
  };
}

/** Joins lines, keeping whole lines and saying how many did not fit. */
export function truncateLines(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const more = `\n…and ${lines.length - i} more`;
    if (length + line.length + 1 + (i < lines.length - 1 ? more.length : 0) > max) {
      kept.push(more.trim());
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join("\n");
}

/** An article's date for its embed: as dateText, with the evidence of an inferred date or the note on a missing one. */
function publishedValue(article: ArticleInfo): string {
  const date = dateOf(article);
  if (date === null) return `unknown — ${escapeText(article.published_note ?? "")}`;
  return date.inferred && date.evidence !== null ? `${dateText(article)} — ${escapeText(date.evidence)}` : dateText(article);
}

export function articleEmbed(article: ArticleInfo, passageCount: number, summary: Summary): APIEmbed {
  const fields = [
    { name: "Authors", value: escapeText(byline(article.authors)), inline: true },
    { name: "Outlet", value: escapeText(article.outlet), inline: true },
    { name: "Published", value: truncate(publishedValue(article), LIMITS.fieldValue), inline: true },
    { name: "Quotable passages", value: String(passageCount), inline: true },
    { name: "Id", value: `\`${article.id}\``, inline: true },
  ];
  if (article.gaps > 0) fields.push({ name: "Gaps", value: `${article.gaps} place(s) where the source lost words, marked […]`, inline: true });
  const lines = summary.sentences.map((s) => `${s.elidedBefore ? "> …\n" : ""}> ${escapeText(s.text)} \`${s.citation}\``);
  return {
    color: COLOUR,
    title: truncate(escapeText(article.title), LIMITS.embedTitle),
    description: truncate(lines.join("\n"), LIMITS.embedDescription),
    fields,
    footer: { text: truncate(`Source: ${article.source.site}${article.source.url ? ` ${article.source.url}` : ""}`, LIMITS.footer) },
  };
}
