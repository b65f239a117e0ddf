import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { articleEmbed } from "../src/discord/views.js";
import { articleOption, hideOption, serverCommand } from "./options.js";

const data = {
  name: "article",
  ...serverCommand,
  description: "An article's details and a short summary in its own words",
  options: [{ ...articleOption, description: "The article", required: true }, hideOption],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const articleCommand: ChatCommand<typeof data> = {
  data,
  // The summary comes from the analysis thread, which may be busy with another request.
  defer: true,
  validate(args, ctx) {
    ctx.engine.article(args.article);
  },
  async execute(interaction, args, ctx) {
    const article = ctx.engine.article(args.article);
    const summary = await ctx.analysis.summarize({ article: article.id }, "short");
    await respond(interaction, { embeds: [articleEmbed(article, ctx.engine.passages(article.id).length, summary)], ephemeral: args.hide ?? false });
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
