import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import { UserError, type ChatCommand } from "../src/discord/command.js";
import { chosenPassage } from "../src/discord/passage-choices.js";
import { searchEmbed } from "../src/discord/views.js";
import { escapeText } from "../src/discord/render.js";
import { respond } from "../src/discord/respond.js";
import { articleOption, authorOption, filtersOf, hideOption, queryOption, serverCommand } from "./options.js";

const data = {
  name: "search",
  ...serverCommand,
  description: "Search the articles: up to 5 ranked passages, matched words in bold",
  // Search as you type: picking a suggested passage sends its citation (see passage-choices).
  options: [{ ...queryOption, autocomplete: true }, authorOption, articleOption, hideOption],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const searchCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, args, ctx) {
    const chosen = chosenPassage(ctx.engine, args.query);
    const filters = { limit: 5, ...filtersOf(args) };
    const results = chosen ? [chosen] : ctx.hybrid ? await ctx.hybrid.search(args.query, filters) : ctx.engine.search(args.query, filters);
    if (results.length === 0) throw new UserError(`Nothing matches “${escapeText(args.query)}”. Try other words, or drop a filter.`);
    await respond(interaction, { embeds: [searchEmbed(chosen?.citation ?? args.query, results)], ephemeral: args.hide ?? false });
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
