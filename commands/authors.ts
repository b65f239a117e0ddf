import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { authorsEmbed } from "../src/discord/views.js";
import { hideOption, serverCommand } from "./options.js";

const data = {
  name: "authors",
  ...serverCommand,
  description: "The authors in the corpus and their articles",
  options: [hideOption],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const authorsCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, args, ctx) {
    await respond(interaction, { embeds: [authorsEmbed(ctx.engine.authors(), ctx.engine.articles())], ephemeral: args.hide ?? false });
  },
};
