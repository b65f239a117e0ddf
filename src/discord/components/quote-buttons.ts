import { PermissionFlagsBits, type ButtonInteraction } from "discord.js";
import { verifyPassage } from "../../engine.js";
import { UserError, type ButtonHandler } from "../command.js";
import { highlighted, quoteEmbed, toEdit, toMessage } from "../render.js";
import { QUOTE_BUTTON_PREFIX, quotePage, type QuoteAction, type QuoteSession } from "./quote-pages.js";

/** ◀ ▶ paging, "Context", "Post in channel" and "Reply with this quote" on quote answers. */
export const quoteButtons: ButtonHandler = {
  prefix: QUOTE_BUTTON_PREFIX,
  async execute(interaction, [action, stateId = "", indexText = "0"], ctx) {
    const stored = ctx.state.get<QuoteSession>(stateId);
    if (!stored) {
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
        requireSend(interaction);
        await interaction.reply(
          toMessage({ content: `Shared by <@${interaction.user.id}>`, embeds: [quoteEmbed(result, { footer: `“${session.query}”` })] }),
        );
        return;
      case "reply": {
        if (!isOwner) throw new UserError("Only the person who asked can post this quote.");
        if (!session.replyTo) throw new UserError("There is no message to reply to.");
        requireSend(interaction);
        const channel = interaction.channel;
        if (!channel?.isSendable()) throw new UserError("I can't post in this channel.");
        await channel.send({
          ...toEdit({ content: `Shared by <@${interaction.user.id}>`, embeds: [quoteEmbed(result)] }),
          reply: { messageReference: session.replyTo.messageId, failIfNotExists: false },
        });
        await interaction.update(toEdit({ content: "Posted the quote as a reply.", embeds: [], components: [] }));
        return;
      }
      default:
        throw new UserError("This button no longer works.");
    }
  },
};

/** Posting for someone needs their right to send here, and the bot's. */
function requireSend(interaction: ButtonInteraction): void {
  if (interaction.memberPermissions && !interaction.memberPermissions.has(PermissionFlagsBits.SendMessages)) {
    throw new UserError("You don't have permission to send messages in this channel.");
  }
  if (interaction.appPermissions && !interaction.appPermissions.has(PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks)) {
    throw new UserError("I need the Send Messages and Embed Links permissions in this channel to post here.");
  }
}
