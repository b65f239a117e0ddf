import { ButtonStyle, ComponentType, TextInputStyle, type APIButtonComponent, type APIEmbed, type APIModalInteractionResponseCallbackData } from "discord.js";
import { printedDay, publicationDate } from "../corpus/dates.js";
import type { LibraryDraft } from "../library/drafts.js";
import type { LibraryLimits, StoredArticle } from "../library/server-libraries.js";
import type { LibraryUsage } from "../storage/server-library-store.js";
import { dateText, joinWithAnd } from "../text/attribution.js";
import { COLOUR, escapeText, inCode, truncate, type ActionRow, type Reply } from "./render.js";

/** Custom ids of the library's buttons and modal: `library:<action>:<state or page>`. */
export const LIBRARY_PREFIX = "library";
export type LibraryAction = "add" | "edit" | "cancel" | "details" | "page" | "remove" | "keep";

export function libraryId(action: LibraryAction, key: string | number = ""): string {
  return `${LIBRARY_PREFIX}:${action}:${key}`;
}

/** Articles per page of /library list. */
export const LIST_PAGE_SIZE = 10;

const button = (customId: string, label: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger, disabled = false): APIButtonComponent => ({
  type: ComponentType.Button,
  custom_id: customId,
  label,
  style,
  disabled,
});

function dateLine(draft: LibraryDraft): string {
  const date = publicationDate(draft.meta.published);
  return date === null ? "unknown (none found)" : dateText({ published: printedDay(draft.meta.published), date });
}

/**
 * The private preview of an article before it is added: what was found, the start of the text,
 * how many paragraphs and gaps, and what to check. Nothing is stored until **Add**.
 */
export function draftPreview(draft: LibraryDraft, stateId: string): Reply {
  const paragraphs = draft.body.split("\n\n");
  const opening = paragraphs.slice(0, 2).map((p) => `> ${escapeText(truncate(p, 600))}`).join("\n>\n");
  const words = draft.body.split(/\s+/).filter(Boolean).length;
  const embed: APIEmbed = {
    color: COLOUR,
    title: truncate(escapeText(draft.meta.title), 256),
    description: truncate(opening, 2000),
    fields: [
      { name: "Authors", value: draft.meta.authors.length > 0 ? escapeText(joinWithAnd(draft.meta.authors)) : "unknown (none found)", inline: true },
      { name: "Outlet", value: escapeText(draft.meta.outlet), inline: true },
      { name: "Published", value: escapeText(dateLine(draft)), inline: true },
      {
        name: "Text",
        value: `${paragraphs.length} paragraphs, ${words} words; ${draft.meta.gaps} gap(s) marked […]${draft.suspectedGaps > 0 ? `, ${draft.suspectedGaps} suspected (words may be missing there)` : ""}`,
      },
      { name: "Id", value: `\`${inCode(draft.meta.id)}\``, inline: true },
      { name: "From", value: escapeText(truncate(draft.from, 200)), inline: true },
      ...(draft.warnings.length > 0 ? [{ name: "Check before adding", value: draft.warnings.map((w) => `⚠️ ${escapeText(w)}`).join("\n") }] : []),
    ],
    footer: { text: "Only you see this preview. Nothing is stored until you press Add." },
  };
  const row: ActionRow = {
    type: ComponentType.ActionRow,
    components: [button(libraryId("add", stateId), "Add", ButtonStyle.Success), button(libraryId("edit", stateId), "Edit details", ButtonStyle.Secondary), button(libraryId("cancel", stateId), "Cancel", ButtonStyle.Danger)],
  };
  return { embeds: [embed], components: [row], ephemeral: true };
}

/** The modal to correct what was found: title, authors, outlet, date. */
export function draftModal(draft: LibraryDraft, stateId: string): APIModalInteractionResponseCallbackData {
  const input = (customId: string, label: string, value: string, required: boolean, placeholder: string, maxLength: number) => ({
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.TextInput as const, custom_id: customId, label, style: TextInputStyle.Short, value: value.slice(0, maxLength), required, placeholder, max_length: maxLength }],
  });
  return {
    custom_id: libraryId("details", stateId),
    title: "Article details",
    components: [
      input("title", "Title", draft.meta.title, true, "The headline", 256),
      input("authors", "Authors (comma-separated; empty if unknown)", draft.meta.authors.join(", "), false, "Jane Doe, John Roe", 400),
      input("outlet", "Outlet", draft.meta.outlet, true, "The publication", 200),
      input("published", "Published (YYYY-MM-DD; empty if unknown)", printedDay(draft.meta.published) ?? "", false, "2025-03-14", 10),
    ],
  };
}

/** One page of the server's articles, with the space used. */
export function listPage(articles: readonly StoredArticle[], page: number, usage: LibraryUsage, limits: LibraryLimits): Reply {
  const pages = Math.max(1, Math.ceil(articles.length / LIST_PAGE_SIZE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const shown = articles.slice(current * LIST_PAGE_SIZE, (current + 1) * LIST_PAGE_SIZE);
  const lines = shown.map((a) => `\`${inCode(a.articleId)}\` — ${escapeText(truncate(a.title, 150))} · added <t:${Math.floor(a.addedAt / 1000)}:d> by <@${a.addedBy}>`);
  const embed: APIEmbed = {
    color: COLOUR,
    title: "This server's library",
    description: articles.length === 0 ? "No articles added yet. A moderator can add one with `/library add`." : lines.join("\n"),
    footer: {
      text: `${articles.length > 0 ? `Page ${current + 1} of ${pages} · ` : ""}${usage.articles} of ${limits.maxArticles} articles · ${(usage.bytes / 1_000_000).toFixed(1)} of ${(limits.maxBytes / 1_000_000).toFixed(0)} MB of text · the shared corpus is searched too`,
    },
  };
  const components: ActionRow[] =
    pages > 1
      ? [{ type: ComponentType.ActionRow, components: [button(libraryId("page", current - 1), "◀", ButtonStyle.Secondary, current === 0), button(libraryId("page", current + 1), "▶", ButtonStyle.Secondary, current === pages - 1)] }]
      : [];
  return { embeds: [embed], components, ephemeral: true };
}

/** The confirmation before an article leaves the server's library. */
export function removeConfirmation(article: StoredArticle, stateId: string): Reply {
  return {
    content: `Remove **${escapeText(article.title)}** (\`${inCode(article.articleId)}\`) from this server's library? Its passages stop being quoted here, and old citations of it will say it was removed.`,
    components: [{ type: ComponentType.ActionRow, components: [button(libraryId("remove", stateId), "Remove", ButtonStyle.Danger), button(libraryId("keep"), "Keep it", ButtonStyle.Secondary)] }],
    ephemeral: true,
  };
}
