import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { answerAutocomplete } from "../src/discord/autocomplete.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { timelineEmbed } from "../src/discord/views.js";
import { hideOption, serverCommand, topicOption } from "./options.js";

const data = {
  name: "timeline",
  ...serverCommand,
  description: "How the articles treat a topic over time, oldest first",
  options: [{ ...topicOption, required: true }, hideOption],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const timelineCommand: ChatCommand<typeof data> = {
  data,
  defer: true,
  validate(args, ctx) {
    ctx.engine.checkQuery(args.topic);
  },
  async execute(interaction, args, ctx) {
    await respond(interaction, { embeds: [timelineEmbed(await ctx.analysis.timeline(args.topic))] });
  },
  autocomplete: (interaction, ctx) => answerAutocomplete(interaction, ctx),
};
