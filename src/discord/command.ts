import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
  type User,
} from "discord.js";
import type { DigestScheduler } from "../digest/scheduler.js";
import type { HybridSearch } from "../embeddings/hybrid.js";
import type { Engine } from "../engine.js";
import type { ServerLibraries } from "../library/server-libraries.js";
import type { Logger } from "../logging.js";
import type { BotMetrics } from "../observability/metrics.js";
import type { Analysis } from "../workers/analysis-pool.js";
import type { ComponentState } from "./state.js";

/** What every handler receives: the engine loaded once at start, passed explicitly. */
export interface BotContext {
  engine: Engine;
  /** Summaries, contrasts, timelines and topics, computed off the main thread. */
  analysis: Analysis;
  logger: Logger;
  state: ComponentState;
  /** The daily digest; absent when the bot runs without a database. */
  digest?: DigestScheduler;
  /** Lexical + embeddings ranking for /quote, /search and Find passages; absent when no provider is configured. */
  hybrid?: HybridSearch;
  /** Prometheus metrics (src/observability/); absent unless HEALTH_PORT is set. */
  metrics?: BotMetrics;
  /** Servers' own libraries (/library); absent when the bot runs without a database. */
  libraries?: ServerLibraries;
}

interface OptionData {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly required?: boolean;
}

type ValueOf<O extends OptionData> = O["type"] extends ApplicationCommandOptionType.String
  ? string
  : O["type"] extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : O["type"] extends ApplicationCommandOptionType.Boolean
      ? boolean
      : O["type"] extends ApplicationCommandOptionType.User
        ? User
        : never;

type Options<C> = C extends { readonly options: readonly OptionData[] } ? C["options"][number] : never;

/** The typed arguments of a command, derived from its data (as in yuudachi): required options are never undefined. */
export type ArgumentsOf<C> = {
  [O in Options<C> as O["required"] extends true ? O["name"] : never]: ValueOf<O>;
} & {
  [O in Options<C> as O["required"] extends true ? never : O["name"]]?: ValueOf<O> | undefined;
};

export interface ChatCommand<Data extends RESTPostAPIChatInputApplicationCommandsJSONBody = RESTPostAPIChatInputApplicationCommandsJSONBody> {
  readonly data: Data;
  /** Work that may outlast Discord's 3 s window is deferred first; fast answers reply at once. */
  readonly defer?: boolean;
  /**
   * Cheap synchronous checks of the arguments, run before deferring, so a typo gets a private
   * error at once instead of a public "thinking…" that is then deleted.
   */
  validate?(args: ArgumentsOf<Data>, ctx: BotContext): void;
  execute(interaction: ChatInputCommandInteraction, args: ArgumentsOf<Data>, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

export interface MessageMenuCommand {
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
}

/** Buttons are routed by the first segment of their custom id (`<prefix>:…`). */
export interface ButtonHandler {
  readonly prefix: string;
  execute(interaction: ButtonInteraction, parts: string[], ctx: BotContext): Promise<void>;
}

/** Modal submissions are routed like buttons, by the first segment of their custom id. */
export interface ModalHandler {
  readonly prefix: string;
  execute(interaction: ModalSubmitInteraction, parts: string[], ctx: BotContext): Promise<void>;
}

/** The commands a bot serves, given to it by its entry point (commands sit above this layer). */
export interface BotCommands {
  chat: readonly ChatCommand[];
  messageMenus: readonly MessageMenuCommand[];
  /** Buttons and modals of commands (the quote buttons are the bot's own). */
  buttons?: readonly ButtonHandler[];
  modals?: readonly ModalHandler[];
}

/** A problem with what the user asked for: shown to them privately, not logged as a fault. */
export class UserError extends Error {
  override name = "UserError";
  constructor(
    message: string,
    /** The article the error is about, when it may be one the server removed from its library. */
    readonly articleId?: string,
  ) {
    super(message);
  }
}

/** Reads a chat command's options into the object its data describes. */
export function readArguments<Data extends RESTPostAPIChatInputApplicationCommandsJSONBody>(
  interaction: ChatInputCommandInteraction,
  data: Data,
): ArgumentsOf<Data> {
  const args: Record<string, unknown> = {};
  for (const option of (data.options ?? []) as readonly OptionData[]) {
    const value = option.type === ApplicationCommandOptionType.User ? interaction.options.getUser(option.name) : interaction.options.get(option.name)?.value;
    if (value !== null && value !== undefined) args[option.name] = value;
  }
  return args as ArgumentsOf<Data>;
}
