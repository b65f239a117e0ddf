import { ButtonStyle, ComponentType, type APIButtonComponent } from "discord.js";
import type { PassageResult } from "../../types.js";
import { quoteEmbed, type ActionRow, type Reply } from "../render.js";

/** A list of quote results a user can page through with buttons. */
export interface QuoteSession {
  query: string;
  results: PassageResult[];
  /** Answered privately: offer "Post in channel". */
  hidden: boolean;
  /** The `mention` option: the one user this quote may ping. */
  mentionUserId?: string;
  /** From the "Find passages" message menu: offer "Reply with this quote" to this message. */
  replyTo?: { channelId: string; messageId: string };
}

export const QUOTE_BUTTON_PREFIX = "quote";
export type QuoteAction = "page" | "context" | "post" | "reply";

export function quoteButtonId(action: QuoteAction, stateId: string, index: number): string {
  return `${QUOTE_BUTTON_PREFIX}:${action}:${stateId}:${index}`;
}

/** The message showing result `index` of a session, with its buttons. */
export function quotePage(session: QuoteSession, stateId: string, index: number): Reply {
  const result = session.results[index];
  if (!result) return { content: "That result is no longer available.", ephemeral: true };
  const total = session.results.length;
  const footer = total > 1 ? `${index + 1} of ${total} · “${session.query}”` : `“${session.query}”`;
  const button = (
    action: QuoteAction,
    label: string,
    target: number,
    style: ButtonStyle.Primary | ButtonStyle.Secondary = ButtonStyle.Secondary,
    disabled = false,
  ): APIButtonComponent => ({
    type: ComponentType.Button,
    custom_id: quoteButtonId(action, stateId, target),
    label,
    style,
    disabled,
  });
  const buttons: APIButtonComponent[] = [];
  if (total > 1) {
    buttons.push(button("page", "◀", index - 1, ButtonStyle.Secondary, index === 0), button("page", "▶", index + 1, ButtonStyle.Secondary, index === total - 1));
  }
  buttons.push(button("context", "Context", index));
  if (session.replyTo) buttons.push(button("reply", "Reply with this quote", index, ButtonStyle.Primary));
  else if (session.hidden) buttons.push(button("post", "Post in channel", index, ButtonStyle.Primary));
  const row: ActionRow = { type: ComponentType.ActionRow, components: buttons };
  return {
    ...(session.mentionUserId ? { content: `Quote suggested for <@${session.mentionUserId}>` } : {}),
    embeds: [quoteEmbed(result, { footer })],
    components: [row],
    ephemeral: session.hidden,
    ...(session.mentionUserId ? { mentionUserId: session.mentionUserId } : {}),
  };
}
