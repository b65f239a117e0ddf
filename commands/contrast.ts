import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { contrastEmbed } from "../src/discord/views.js";
import { hideOption, serverCommand, topicOption } from "./options.js";

const authorList = (typed: string | undefined): string[] => typed?.split(",").map((a) => a.trim()).filter(Boolean) ?? [];

const data = {
  name: "contrast",
  ...serverCommand,
  description: "Set the authors' positions on a topic side by side, in their own words",
  options: [
    { ...topicOption, required: true },
    {
      type: ApplicationCommandOptionType.String,
      name: "authors",
      description: "Only these authors, separated by commas (all by default, at most 6)",
      autocomplete: true,
      max_length: 100,
    },
    hideOption,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const contrastCommand: ChatCommand<typeof data> = {
  data,
  defer: true,
  validate(args, ctx) {
    ctx.engine.checkQuery(args.topic);
    for (const author of authorList(args.authors)) ctx.engine.resolveAuthor(author);
  },
  async execute(interaction, args, ctx) {
    const result = await ctx.analysis.contrast(args.topic, authorList(args.authors));
    await respond(interaction, { embeds: [contrastEmbed(result)] });
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
