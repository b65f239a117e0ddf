import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { UserError, type ChatCommand } from "../src/discord/command.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import { quotePage, type QuoteSession } from "../src/discord/components/quote-pages.js";
import { escapeText } from "../src/discord/render.js";
import { respond } from "../src/discord/respond.js";
import { articleOption, authorOption, filtersOf, hideOption, queryOption, serverCommand } from "./options.js";

const data = {
  name: "quote",
  ...serverCommand,
  description: "Quote the passage that best matches your words, with its author and source",
  options: [
    queryOption,
    authorOption,
    articleOption,
    hideOption,
    { type: ApplicationCommandOptionType.User, name: "mention", description: "Suggest the quote to this person (pings only them)" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const quoteCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, args, ctx) {
    const results = ctx.engine.quote(args.query, { limit: 10, ...filtersOf(args) });
    if (results.length === 0) throw new UserError(`No passage matches “${escapeText(args.query)}”. Try other words, or drop the author or article filter.`);
    const session: QuoteSession = {
      query: args.query,
      results,
      hidden: args.hide ?? false,
      ...(args.mention && !args.mention.bot ? { mentionUserId: args.mention.id } : {}),
    };
    const stateId = ctx.state.put(interaction.user.id, session);
    await respond(interaction, quotePage(session, stateId, 0));
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
