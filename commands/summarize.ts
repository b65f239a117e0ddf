import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import { UserError, type ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { summaryEmbed } from "../src/discord/views.js";
import { articleOption, authorOption, hideOption, serverCommand, topicOption } from "./options.js";

const data = {
  name: "summarize",
  ...serverCommand,
  description: "Summarize an article, an author or a topic in the authors' own sentences",
  options: [
    { ...articleOption, description: "The article to summarize" },
    { ...authorOption, description: "The author whose articles to summarize" },
    { ...topicOption, description: "The topic to summarize across the corpus" },
    {
      type: ApplicationCommandOptionType.String,
      name: "length",
      description: "About 3, 5 or 8 sentences",
      choices: [
        { name: "short (3)", value: "short" },
        { name: "medium (5)", value: "medium" },
        { name: "long (8)", value: "long" },
      ],
    },
    hideOption,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const summarizeCommand: ChatCommand<typeof data> = {
  data,
  // Summaries of an author or a topic walk many articles: defer rather than race the 3 s window.
  defer: true,
  validate(args, ctx) {
    const given = [args.article, args.author, args.topic].filter((v) => v !== undefined);
    if (given.length !== 1) throw new UserError("Pick exactly one of article, author or topic to summarize.");
    if (args.article !== undefined) ctx.engine.article(args.article);
    if (args.author !== undefined) ctx.engine.resolveAuthor(args.author);
    if (args.topic !== undefined) ctx.engine.checkQuery(args.topic);
  },
  async execute(interaction, args, ctx) {
    const scope = args.article !== undefined ? { article: args.article } : args.author !== undefined ? { author: args.author } : { topic: args.topic ?? "" };
    const length = args.length === "medium" || args.length === "long" ? args.length : "short";
    const summary = await ctx.analysis.summarize(scope, length);
    if (summary.sentences.length === 0) throw new UserError("I found nothing to summarize there. Try a broader topic.");
    await respond(interaction, { embeds: [summaryEmbed(summary)] });
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
