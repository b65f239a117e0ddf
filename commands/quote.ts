import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { UserError, type ChatCommand } from "../src/discord/command.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import { quotePage, type QuoteSession } from "../src/discord/components/quote-pages.js";
import { chosenPassage } from "../src/discord/passage-choices.js";
import { escapeText } from "../src/discord/render.js";
import { respond } from "../src/discord/respond.js";
import { articleOption, authorOption, filtersOf, hideOption, queryOption, serverCommand } from "./options.js";

const data = {
  name: "quote",
  ...serverCommand,
  description: "Quote the passage that best matches your words, with its author and source",
  options: [
    // Search as you type: picking a suggested passage sends its citation (see passage-choices).
    { ...queryOption, autocomplete: true },
    authorOption,
    articleOption,
    hideOption,
    { type: ApplicationCommandOptionType.User, name: "mention", description: "Suggest the quote to this person (pings only them)" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const quoteCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, args, ctx) {
    const chosen = chosenPassage(ctx.engine, args.query);
    const filters = { limit: 10, ...filtersOf(args) };
    const results = chosen ? [chosen] : ctx.hybrid ? await ctx.hybrid.quote(args.query, filters) : ctx.engine.quote(args.query, filters);
    if (results.length === 0) throw new UserError(`No passage matches “${escapeText(args.query)}”. Try other words, or drop the author or article filter.`);
    const session: QuoteSession = {
      // A picked passage was asked for by its citation, not by the "cite:" value the picker sent.
      query: chosen?.citation ?? args.query,
      results,
      hidden: args.hide ?? false,
      ...(args.mention && !args.mention.bot ? { mentionUserId: args.mention.id } : {}),
    };
    const stateId = ctx.state.put(interaction.user.id, session);
    await respond(interaction, quotePage(session, stateId, 0));
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
