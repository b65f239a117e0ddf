import {
  escapeMarkdown,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
} from "discord.js";
import { byline, dateText } from "../text/attribution.js";
import type { PassageResult } from "../types.js";

/** Discord's hard limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  authorName: 256,
  embedsTotal: 6000,
  embeds: 10,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  buttonLabel: 80,
  actionRows: 5,
  files: 10,
} as const;

/** Agora's accent colour for embeds. */
export const COLOUR = 0x5865f2;
const ELLIPSIS = "…";

/**
 * Escapes Discord Markdown in corpus or user text so it shows as written: emphasis, code,
 * spoilers, masked links, headings, subtext, lists and block quotes. Every "[" and "]" is
 * escaped, since discord.js's own masked-link escape covers only the first "[" of a line and a
 * gap mark "[…]" or a note "[1]" is such a "[". Escaping only ever puts a backslash before
 * a character (see `escapedOffsets`).
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true })
    .replace(/[[\]]/g, "\\$&")
    .replace(/^( *)(>|-#)/gm, "$1\\$2");
}

/**
 * Text for inside a `code span`, where Discord shows Markdown and backslashes as typed: nothing
 * to escape, but a backtick would end the span early, so backticks (and line breaks) go.
 */
export function inCode(text: string): string {
  return text.replace(/`/g, "").replace(/\s*\n\s*/g, " ");
}

/**
 * `escapeText(text)` and, for every offset i of `text` (and its end), where the escaped form of
 * the character at i begins: the place to put a mark before it without splitting an escape.
 * Undefined if the escaped text is not the text with backslashes put in, which would make the
 * offsets unreliable.
 */
function escapedOffsets(text: string): { escaped: string; at: number[] } | undefined {
  const escaped = escapeText(text);
  const at: number[] = [];
  let j = 0;
  for (let i = 0; i < text.length; i += 1) {
    at.push(j);
    if (text[i] === "\\") {
      // escapeMarkdown doubles every backslash: the pair is this one character.
      if (escaped.slice(j, j + 2) !== "\\\\") return undefined;
      j += 2;
    } else {
      while (escaped[j] === "\\") j += 1;
      if (escaped[j] !== text[i]) return undefined;
      j += 1;
    }
  }
  if (j !== escaped.length) return undefined;
  at.push(j);
  return { escaped, at };
}

/**
 * Shortens text to at most `max` characters, cutting after a sentence if one ends in the last
 * third, else at a word boundary, and marks the cut with "…".
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  const head = text.slice(0, room);
  const sentenceEnd = Math.max(head.lastIndexOf(". "), head.lastIndexOf("? "), head.lastIndexOf("! "));
  if (sentenceEnd >= room * 0.66) return `${head.slice(0, sentenceEnd + 1)} ${ELLIPSIS}`.slice(0, max);
  const space = head.search(/\s\S*$/);
  const cut = space > room * 0.5 ? head.slice(0, space) : head;
  // Never leave half of an escape sequence ("\") dangling before the ellipsis.
  return `${cut.replace(/\\+$/, "").trimEnd()}${ELLIPSIS}`;
}

/**
 * Passage text, escaped, with the matched words in bold. The passage is escaped as a whole, once,
 * and the "**" marks go in at the escaped offsets of the highlights: escaping the pieces apart
 * would let Markdown that spans a highlight (a masked link around a matched word) through.
 */
export function highlighted(passage: Pick<PassageResult, "text" | "highlights">): string {
  const mapped = escapedOffsets(passage.text);
  if (!mapped) return escapeText(passage.text);
  const { escaped, at } = mapped;
  const clamp = (offset: number) => at[Math.min(Math.max(offset, 0), passage.text.length)] ?? escaped.length;
  let out = "";
  let from = 0;
  let last = 0;
  for (const { start, end } of [...passage.highlights].sort((a, b) => a.start - b.start)) {
    if (start < last) continue;
    out += `${escaped.slice(from, clamp(start))}**${escaped.slice(clamp(start), clamp(end))}**`;
    from = clamp(end);
    last = end;
  }
  return out + escaped.slice(from);
}

/**
 * "Alexander Vershbow and Hans Binnendijk · Outlet · 2024-12-01" (or "≈ Dec 2024, from the text"
 * for an inferred date), as written: escape it where Markdown is shown.
 */
export function attributionLine(passage: Pick<PassageResult, "authors" | "outlet" | "published" | "date">): string {
  return `${byline(passage.authors)} · ${passage.outlet} · ${dateText(passage)}`;
}

/**
 * The embed of one quoted passage: the words, who wrote them, where and when, and the citation id.
 * Title and fields show Markdown, so corpus text there is escaped; the author line and the footer
 * are plain text in Discord (an escape would show as a backslash), so they stay as written.
 */
export function quoteEmbed(passage: PassageResult, options: { bold?: boolean; footer?: string } = {}): APIEmbed {
  const text = options.bold ? highlighted(passage) : escapeText(passage.text);
  return fitEmbed({
    color: COLOUR,
    description: `> ${truncate(text, LIMITS.embedDescription - 2)}`,
    author: { name: byline(passage.authors) },
    title: escapeText(passage.title),
    fields: [
      { name: "Outlet", value: escapeText(passage.outlet), inline: true },
      { name: "Published", value: dateText(passage), inline: true },
      { name: "Citation", value: `\`${passage.citation}\``, inline: true },
    ],
    ...(options.footer ? { footer: { text: options.footer } } : {}),
  });
}

/** Clamps every part of an embed to Discord's limits. */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = truncate(fitted.title, LIMITS.embedTitle);
  if (fitted.description !== undefined) fitted.description = truncate(fitted.description, LIMITS.embedDescription);
  if (fitted.author) fitted.author = { ...fitted.author, name: truncate(fitted.author.name, LIMITS.authorName) };
  if (fitted.footer) fitted.footer = { ...fitted.footer, text: truncate(fitted.footer.text, LIMITS.footer) };
  if (fitted.fields) {
    fitted.fields = fitted.fields.slice(0, LIMITS.fields).map((field: APIEmbedField) => ({
      ...field,
      name: truncate(field.name || "\u200b", LIMITS.fieldName),
      value: truncate(field.value || "\u200b", LIMITS.fieldValue),
    }));
  }
  return fitted;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** What every Agora message is built from before `toMessage` makes it safe to send. */
export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ActionRow[];
  /** Only the requester sees it. */
  ephemeral?: boolean;
  /** The one user this message may ping (the `mention` option); nobody else, ever. */
  mentionUserId?: string;
  /** The one role this message may ping (a daily digest's configured role); no other role, ever. */
  mentionRoleId?: string;
  /** Attached files (an export); at most 10, as Discord allows. */
  files?: { name: string; data: Buffer }[];
}

/** A discord.js message payload: within every limit, and pinging nobody but `mentionUserId`. */
export interface SafeMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  allowedMentions: { parse: []; users?: string[]; roles: string[]; repliedUser: false };
  flags?: MessageFlags.Ephemeral;
  files?: { attachment: Buffer; name: string }[];
}

/** The one exit for outgoing messages: limits enforced, mentions locked down. */
export function toMessage(reply: Reply): SafeMessage {
  const embeds = (reply.embeds ?? []).slice(0, LIMITS.embeds).map(fitEmbed);
  let total = 0;
  const kept: APIEmbed[] = [];
  for (const embed of embeds) {
    // Over the shared budget: drop trailing fields first, then shorten the description.
    while (total + embedLength(embed) > LIMITS.embedsTotal && embed.fields && embed.fields.length > 0) embed.fields = embed.fields.slice(0, -1);
    if (total + embedLength(embed) > LIMITS.embedsTotal && embed.description) {
      const room = LIMITS.embedsTotal - total - (embedLength(embed) - embed.description.length);
      if (room >= 50) embed.description = truncate(embed.description, room);
    }
    const length = embedLength(embed);
    if (total + length > LIMITS.embedsTotal) break;
    total += length;
    kept.push(embed);
  }
  return {
    ...(reply.content !== undefined ? { content: truncate(reply.content, LIMITS.content) } : {}),
    embeds: kept,
    components: (reply.components ?? []).slice(0, LIMITS.actionRows),
    allowedMentions: {
      parse: [],
      roles: reply.mentionRoleId ? [reply.mentionRoleId] : [],
      repliedUser: false,
      ...(reply.mentionUserId ? { users: [reply.mentionUserId] } : {}),
    },
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    ...(reply.files ? { files: reply.files.slice(0, LIMITS.files).map((file) => ({ attachment: file.data, name: file.name })) } : {}),
  };
}

/** `toMessage` for edits and plain channel messages, which carry no visibility flag. */
export function toEdit(reply: Reply): Omit<SafeMessage, "flags"> {
  const { flags: _flags, ...message } = toMessage(reply);
  return message;
}
