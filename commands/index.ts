import type { RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import type { BotCommands, ChatCommand, MessageMenuCommand } from "../src/discord/command.js";
import { articleCommand } from "./article.js";
import { authorsCommand } from "./authors.js";
import { contrastCommand } from "./contrast.js";
import { digestCommand } from "./digest.js";
import { findPassagesCommand } from "./find-passages.js";
import { helpCommand } from "./help.js";
import { libraryButtons, libraryCommand, libraryModal } from "./library.js";
import { quoteCommand } from "./quote.js";
import { searchCommand } from "./search.js";
import { summarizeCommand } from "./summarize.js";
import { timelineCommand } from "./timeline.js";

/** Every slash command, in the order /help lists them. (Each is typed by its own data; the router only needs the common shape.) */
export const chatCommands = [
  quoteCommand,
  searchCommand,
  summarizeCommand,
  contrastCommand,
  timelineCommand,
  authorsCommand,
  articleCommand,
  digestCommand,
  libraryCommand,
  helpCommand,
] as unknown as readonly ChatCommand[];

export const messageMenuCommands: readonly MessageMenuCommand[] = [findPassagesCommand];

/** Every command, for the bot's router. */
export const botCommands: BotCommands = { chat: chatCommands, messageMenus: messageMenuCommands, buttons: [libraryButtons], modals: [libraryModal] };

/** Every command payload, as registered with Discord. */
export function commandPayloads(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...chatCommands.map((c) => c.data), ...messageMenuCommands.map((c) => c.data)];
}
