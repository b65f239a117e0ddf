import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { COLOUR } from "../src/discord/render.js";
import { serverCommand } from "./options.js";

const data = {
  name: "help",
  ...serverCommand,
  description: "What Agora can do",
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const LINES = [
  "**/quote** `query` — the passage that best matches, with author, outlet, date and citation. ◀ ▶ for more, **Context** for the paragraph; `hide` to see it alone first, then **Post in channel**; `mention` to suggest it to someone.",
  "**/search** `query` — up to 5 ranked passages, matched words in bold.",
  "**/summarize** `article` | `author` | `topic` — a summary in the authors' own sentences.",
  "**/contrast** `topic` — each author's position side by side, same space for each.",
  "**/timeline** `topic` — how the articles treat a topic over time.",
  "**/authors**, **/article** — who wrote what.",
  "**/digest** `setup` | `status` | `preview` | `now` | `off` — a daily digest in a channel at your server's time (needs Manage Server).",
  "Right-click a message → **Apps → Find passages** to find what the articles say about it.",
  "",
  "Every quote is an exact passage of the article; `[…]` marks words the source lost. Citation ids look like `article-id:3.2` (paragraph 3, sentence 2).",
];

export const helpCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction) {
    await respond(interaction, { embeds: [{ color: COLOUR, title: "Agora", description: LINES.join("\n") }], ephemeral: true });
  },
};
