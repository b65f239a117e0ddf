import type { APIEmbed } from "discord.js";
import { byline } from "../text/attribution.js";
import { digestMarker, type DigestContent, type DigestPassage, type DigestPayload } from "../digest/content.js";
import type { PassageResult } from "../types.js";
import { attributionLine, COLOUR, escapeText, inCode, LIMITS, quoteEmbed, truncate, type Reply } from "./render.js";

/**
 * The daily digest as a Discord message, rendered from its content (src/digest/content.ts). A pure
 * function of the content: the preview, the post and every resend of a run render the same bytes.
 */

const DEBATE_CHARS = 600;

const QUESTIONS: readonly ((topic: string, a: string, b: string) => string)[] = [
  (t, a, b) => `On **${t}**, ${a} and ${b} pull in different directions. Which argument holds up better, and what evidence would change your mind?`,
  (t, a, b) => `Where exactly do ${a} and ${b} disagree about **${t}**: on the facts, or on what should be done about them?`,
  (t, a, b) => `If you had to advise a government on **${t}** tomorrow, whose case would you take into the room, ${a}'s or ${b}'s, and why?`,
  (t, a, b) => `What would ${a} say is the strongest point in ${b}'s view of **${t}**, and how would ${b} answer?`,
];

function longDate(localDate: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(Date.parse(`${localDate}T12:00:00Z`));
}

const cited = (p: DigestPassage, max: number) => `> ${escapeText(truncate(p.text, max))}\n— ${escapeText(attributionLine(p))} · \`${p.citation}\``;

/** A stored passage as the quote embed takes it: it is shown unhighlighted, so no query's score or highlights. */
const asResult = (p: DigestPassage): PassageResult => ({ ...p, score: 0, highlights: [] });

/** The day's digest message. Mentions nobody but the configured role. */
export function renderDigest(content: DigestContent): Reply {
  const { passage, debate } = content;
  const embeds: APIEmbed[] = [];

  if (passage) {
    const embed = quoteEmbed(asResult(passage));
    embeds.push({ ...embed, author: { name: truncate(`Passage of the day · ${byline(passage.authors)}`, LIMITS.authorName) } });
  } else {
    embeds.push({ color: COLOUR, title: "Passage of the day", description: "The library has no passages to quote yet." });
  }

  if (debate) {
    embeds.push({
      color: COLOUR,
      title: truncate(`Debate of the day: ${escapeText(debate.topic)}`, LIMITS.embedTitle),
      description: "Two authors on the same question, in their own words.",
      fields: debate.columns.map((column) => ({
        name: truncate(escapeText(column.author), LIMITS.fieldName),
        value: truncate(cited(column.passage, DEBATE_CHARS), LIMITS.fieldValue),
      })),
    });
  }

  const fresh = content.newArticles.map((a) => `• **${escapeText(a.title)}** — ${escapeText(byline(a.authors))}, ${escapeText(a.outlet)} · \`${a.id}\``);
  const more = content.newArticleCount - content.newArticles.length;
  if (more > 0) fresh.push(`…and ${more} more.`);
  const fields: { name: string; value: string }[] = [];
  if (debate) {
    const [a, b] = debate.columns.map((c) => escapeText(c.author));
    const question = QUESTIONS[content.rotation % QUESTIONS.length];
    if (question && a !== undefined && b !== undefined) fields.push({ name: "Question for discussion", value: question(escapeText(debate.topic), a, b) });
  }
  const sources = [...(passage ? [passage] : []), ...(debate?.columns.map((c) => c.passage) ?? [])];
  if (sources.length > 0) {
    const query = inCode(debate?.topic ?? content.topic ?? sources[0]?.title ?? "");
    fields.push({
      name: "Dig deeper with /quote",
      value: sources.map((p) => `\`${p.citation}\` → \`/quote query:${query} article:${p.articleId}\``).join("\n"),
    });
  }
  embeds.push({
    color: COLOUR,
    title: "New in the library",
    description: fresh.length > 0 ? fresh.join("\n") : "Nothing new since the last digest.",
    fields,
    footer: { text: digestMarker(content.localDate) },
  });

  const mention = content.roleId !== null ? `<@&${content.roleId}> ` : "";
  return {
    content: `${mention}**Agora daily digest** · ${longDate(content.localDate)}`,
    embeds,
    ...(content.roleId !== null ? { mentionRoleId: content.roleId } : {}),
  };
}

/**
 * What a run posts: its content rendered, or a message an older build rendered and stored
 * (a run claimed before schema version 2), sent exactly as it was stored.
 */
export function renderDigestPayload(payload: DigestPayload): Reply {
  return payload.kind === "content" ? renderDigest(payload.content) : payload.reply;
}
