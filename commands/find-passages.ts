import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from "discord.js";
import { UserError, type MessageMenuCommand } from "../src/discord/command.js";
import { quotePage, type QuoteSession } from "../src/discord/components/quote-pages.js";
import { respond } from "../src/discord/respond.js";
import { serverCommand } from "./options.js";

const data = {
  type: ApplicationCommandType.Message,
  name: "Find passages",
  ...serverCommand,
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

/** Long messages make long queries; the first words carry the subject well enough. */
const MAX_QUERY_CHARS = 500;

export const findPassagesCommand: MessageMenuCommand = {
  data,
  async execute(interaction, ctx) {
    const message = interaction.targetMessage;
    const text = message.content.trim();
    if (text === "") throw new UserError("That message has no text to search for.");
    const query = text.slice(0, MAX_QUERY_CHARS);
    // A chat message rarely shares words with the passage it argues about: meaning helps most here.
    const results = ctx.hybrid ? await ctx.hybrid.quote(query, { limit: 5 }) : ctx.engine.quote(query, { limit: 5 });
    if (results.length === 0) throw new UserError("I found no passage about what that message says.");
    const session: QuoteSession = {
      query: query.length > 80 ? `${query.slice(0, 77)}…` : query,
      results,
      hidden: true,
      replyTo: { channelId: message.channelId, messageId: message.id },
    };
    const stateId = ctx.state.put(interaction.user.id, session);
    await respond(interaction, quotePage(session, stateId, 0));
  },
};
