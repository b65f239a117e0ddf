import { ComponentType, DiscordAPIError, PermissionFlagsBits, RESTJSONErrorCodes, type ButtonInteraction, type PermissionsBitField } from "discord.js";
import { verifyPassage } from "../../text/passages.js";
import { UserError, type ButtonHandler } from "../command.js";
import { highlighted, quoteEmbed, toEdit, toMessage } from "../render.js";
import { QUOTE_BUTTON_PREFIX, quotePage, type QuoteAction, type QuoteSession } from "./quote-pages.js";
import { joinWithAnd } from "../../text/attribution.js";

/** ◀ ▶ paging, "Context", "Post in channel" and "Reply with this quote" on quote answers. */
export const quoteButtons: ButtonHandler = {
  prefix: QUOTE_BUTTON_PREFIX,
  async execute(interaction, [action, stateId = "", indexText = "0"], ctx) {
    const stored = ctx.state.get<QuoteSession>(stateId);
    if (!stored) {
      // Grey out the buttons on that message, so nobody clicks them again; the note itself is private.
      await interaction.update({ components: disabledComponents(interaction) });
      throw new UserError("These results have expired — run the command again to get fresh ones.");
    }
    const session = stored.value;
    const index = Number(indexText);
    const result = session.results[index];
    if (!result) throw new UserError("That result is no longer available.");
    // Re-check against the corpus: a quote is only ever sent as an exact slice.
    verifyPassage(ctx.engine.article(result.articleId), result);
    const isOwner = interaction.user.id === stored.ownerId;
    switch (action as QuoteAction) {
      case "page":
        if (!isOwner) throw new UserError("Only the person who asked can page through these results — run /quote yourself to get your own.");
        await interaction.update(toEdit(quotePage(session, stateId, index)));
        return;
      case "context": {
        const paragraph = ctx.engine.paragraphAround(result);
        const local = { start: result.start - paragraph.start, end: result.end - paragraph.start };
        const embed = quoteEmbed(paragraph, { footer: `Paragraph ${result.citation.split(":")[1]?.split(".")[0] ?? ""} of the article; the quoted passage in bold` });
        embed.description = `> ${highlighted({ text: paragraph.text, highlights: [local] })}`;
        await interaction.reply(toMessage({ embeds: [embed], ephemeral: true }));
        return;
      }
      case "post":
        if (!isOwner) throw new UserError("Only the person who asked can post this quote.");
        // The interaction's own reply: no channel rate limit to wait on, so nothing to defer.
        requirePermissions(interaction, inThread(interaction), "post");
        await interaction.reply(
          toMessage({ content: `Shared by <@${interaction.user.id}>`, embeds: [quoteEmbed(result, { footer: `“${session.query}”` })] }),
        );
        return;
      case "reply": {
        if (!isOwner) throw new UserError("Only the person who asked can post this quote.");
        const replyTo = session.replyTo;
        if (!replyTo) throw new UserError("There is no message to reply to.");
        // channel.send may wait out a 429 (or fetch a thread first): answer the click now, not after.
        await interaction.deferUpdate();
        try {
          const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId).catch(() => null));
          if (!channel?.isSendable()) throw new UserError("I can't post in this channel.");
          requirePermissions(interaction, channel.isThread(), "reply");
          await channel
            .send({
              ...toEdit({ content: `Shared by <@${interaction.user.id}>`, embeds: [quoteEmbed(result)] }),
              reply: { messageReference: replyTo.messageId, failIfNotExists: false },
            })
            .catch((error: unknown) => {
              throw refusal(error) ?? error;
            });
        } catch (error) {
          // The click is answered already: say what went wrong in a private follow-up.
          if (!(error instanceof UserError)) throw error;
          await interaction.followUp(toMessage({ content: error.message, ephemeral: true }));
          return;
        }
        await interaction.editReply(toEdit({ content: "Posted the quote as a reply.", embeds: [], components: [] }));
        return;
      }
      default:
        throw new UserError("This button no longer works.");
    }
  },
};

const P = PermissionFlagsBits;
/** Permission names as Discord shows them. */
const NAMES = new Map<bigint, string>([
  [P.ViewChannel, "View Channel"],
  [P.SendMessages, "Send Messages"],
  [P.SendMessagesInThreads, "Send Messages in Threads"],
  [P.EmbedLinks, "Embed Links"],
  [P.ReadMessageHistory, "Read Message History"],
]);

const list = (names: readonly string[]) => joinWithAnd(names.map((n) => `**${n}**`));

/**
 * Whether the click came from a thread (a forum post is one). A thread has its own send
 * permission, Send Messages in Threads. With the Guilds intent every other channel of a server is
 * cached, so a channel missing from the cache of a cached server is a thread (archived or private).
 */
function inThread(interaction: ButtonInteraction): boolean {
  const channel = interaction.channel;
  return channel ? channel.isThread() : interaction.inCachedGuild();
}

/**
 * Posting for someone needs their right to send here, and the bot's; a reply also needs Read
 * Message History from both (Discord refuses a reply without it). Says which is missing, for whom.
 */
function requirePermissions(interaction: ButtonInteraction, thread: boolean, action: "post" | "reply"): void {
  const send = thread ? P.SendMessagesInThreads : P.SendMessages;
  const what = action === "post" ? "post this quote" : "reply with this quote";
  const missing = (have: Readonly<PermissionsBitField> | null, needed: bigint[]) =>
    have ? needed.filter((flag) => !have.has(flag)).map((flag) => NAMES.get(flag) ?? String(flag)) : [];
  const yours = missing(interaction.memberPermissions, action === "reply" ? [send, P.ReadMessageHistory] : [send]);
  if (yours.length > 0) throw new UserError(`You need ${list(yours)} here to ${what}.`);
  const mine = missing(interaction.appPermissions, action === "reply" ? [P.ViewChannel, send, P.EmbedLinks, P.ReadMessageHistory] : [send, P.EmbedLinks]);
  if (mine.length > 0) throw new UserError(`I need ${list(mine)} here to ${what}: ask a moderator to give ${mine.length === 1 ? "it" : "them"} to me.`);
}

/** Discord's refusal of the post (permissions changed since the click, a locked thread), in words. */
function refusal(error: unknown): UserError | null {
  if (!(error instanceof DiscordAPIError)) return null;
  switch (error.code) {
    case RESTJSONErrorCodes.MissingAccess:
      return new UserError("I can't see this channel any more, so I can't reply here.");
    case RESTJSONErrorCodes.MissingPermissions:
      return new UserError("Discord refused the reply: I'm missing a permission here (I need View Channel, Send Messages, Embed Links and Read Message History).");
    case RESTJSONErrorCodes.ThreadLocked:
      return new UserError("This thread is locked, so I can't reply in it.");
    default:
      return null;
  }
}

/** The clicked message's components with every button disabled (other components kept as they are). */
function disabledComponents(interaction: ButtonInteraction) {
  return interaction.message.components.map((component) => {
    const json = component.toJSON();
    return json.type === ComponentType.ActionRow ? { ...json, components: json.components.map((c) => ({ ...c, disabled: true })) } : json;
  });
}
