import { ButtonStyle, ComponentType, MessageFlags } from "discord.js";
import type { APIEmbed, APIMessage } from "discord.js";
import { escapeHtml, renderInlineMarkdown, renderMarkdown, type MentionNames } from "./markdown.js";

// What the page draws for one message: Discord's own message object, with every text already
// rendered to safe HTML here, so the page never parses Markdown or puts raw text into HTML.

export interface ButtonView {
  customId: string | null;
  url: string | null;
  /** Escaped label (with its emoji, if any). */
  labelHtml: string;
  style: "primary" | "secondary" | "success" | "danger" | "link";
  disabled: boolean;
}

export interface EmbedView {
  colour: string | null;
  authorHtml: string | null;
  titleHtml: string | null;
  url: string | null;
  descriptionHtml: string | null;
  fields: { nameHtml: string; valueHtml: string; inline: boolean }[];
  footerHtml: string | null;
}

export interface MessageView {
  id: string;
  channelId: string;
  author: { id: string; nameHtml: string; bot: boolean };
  timestamp: string;
  edited: boolean;
  /** Shown only to `visibleTo` ("Only you can see this"). */
  ephemeral: boolean;
  visibleTo: string | null;
  /** A deferred answer not yet edited: "Agora is thinking…". */
  loading: boolean;
  /** "alice used /quote": who ran which command this message answers. */
  usedHtml: string | null;
  /** The message this one replies to (Reply with this quote). */
  replyToHtml: string | null;
  contentHtml: string;
  embeds: EmbedView[];
  rows: ButtonView[][];
}

/** What the view needs from the playground: names for mentions and authors, and what each interaction was. */
export interface ViewContext extends MentionNames {
  interactionLabel(interactionId: string): string | null;
  message(channelId: string, messageId: string): APIMessage | null;
}

const STYLES: Record<number, ButtonView["style"]> = {
  [ButtonStyle.Primary]: "primary",
  [ButtonStyle.Secondary]: "secondary",
  [ButtonStyle.Success]: "success",
  [ButtonStyle.Danger]: "danger",
  [ButtonStyle.Link]: "link",
};

function embedView(embed: APIEmbed, names: MentionNames): EmbedView {
  return {
    colour: embed.color !== undefined ? `#${embed.color.toString(16).padStart(6, "0")}` : null,
    authorHtml: embed.author?.name !== undefined ? escapeHtml(embed.author.name) : null,
    titleHtml: embed.title !== undefined ? renderInlineMarkdown(embed.title, names) : null,
    url: embed.url !== undefined && /^https?:\/\//i.test(embed.url) ? embed.url : null,
    descriptionHtml: embed.description !== undefined ? renderMarkdown(embed.description, names) : null,
    fields: (embed.fields ?? []).map((f) => ({ nameHtml: renderInlineMarkdown(f.name, names), valueHtml: renderMarkdown(f.value, names), inline: f.inline === true })),
    footerHtml: embed.footer?.text !== undefined ? escapeHtml(embed.footer.text) : null,
  };
}

function rows(message: APIMessage): ButtonView[][] {
  return (message.components ?? []).map((row) =>
    ("components" in row ? row.components : []).flatMap((c): ButtonView[] => {
      if (c.type !== ComponentType.Button) return [];
      const label = `${"emoji" in c && c.emoji?.name ? `${c.emoji.name} ` : ""}${"label" in c && c.label !== undefined ? c.label : ""}`;
      return [
        {
          customId: "custom_id" in c ? c.custom_id : null,
          url: "url" in c && /^https?:\/\//i.test(c.url) ? c.url : null,
          labelHtml: escapeHtml(label.trim()),
          style: STYLES[c.style] ?? "secondary",
          disabled: c.disabled === true,
        },
      ];
    }),
  );
}

export function messageView(message: APIMessage, ctx: ViewContext): MessageView {
  const flags = message.flags ?? 0;
  const invoker = message.interaction_metadata?.user;
  const label = message.interaction_metadata ? ctx.interactionLabel(message.interaction_metadata.id) : null;
  const reference = message.message_reference?.message_id !== undefined ? ctx.message(message.channel_id, message.message_reference.message_id) : null;
  const authorName = ctx.user(message.author.id) ?? message.author.global_name ?? message.author.username;
  return {
    id: message.id,
    channelId: message.channel_id,
    author: { id: message.author.id, nameHtml: escapeHtml(authorName), bot: message.author.bot === true },
    timestamp: message.timestamp,
    edited: message.edited_timestamp !== null && (flags & MessageFlags.Loading) === 0 && message.interaction_metadata === undefined,
    ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    visibleTo: (flags & MessageFlags.Ephemeral) !== 0 ? (invoker?.id ?? null) : null,
    loading: (flags & MessageFlags.Loading) !== 0,
    usedHtml: invoker && label ? `${escapeHtml(ctx.user(invoker.id) ?? invoker.username)} used <span class="command-name">${escapeHtml(label)}</span>` : null,
    replyToHtml: reference ? `${escapeHtml(ctx.user(reference.author.id) ?? reference.author.username)}: ${escapeHtml(reference.content.slice(0, 80))}` : null,
    contentHtml: renderMarkdown(message.content, ctx),
    embeds: message.embeds.map((e) => embedView(e, ctx)),
    rows: rows(message),
  };
}
