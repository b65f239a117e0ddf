import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, type RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import type { SearchOptions } from "../src/types.js";

/**
 * Where every command works: in servers, for a server install. No DMs and no user installs, where
 * nothing of Agora works fully (no channel to post in, no digest, no server permissions to check).
 */
export const serverCommand = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
} satisfies Pick<RESTPostAPIApplicationCommandsJSONBody, "contexts" | "integration_types">;

/** Options several commands share, so they read and autocomplete the same everywhere. */
export const authorOption = {
  type: ApplicationCommandOptionType.String,
  name: "author",
  description: "Only passages by this author (full name or surname)",
  autocomplete: true,
  max_length: 100,
} as const;

export const articleOption = {
  type: ApplicationCommandOptionType.String,
  name: "article",
  description: "Only passages from this article",
  autocomplete: true,
  max_length: 100,
} as const;

export const topicOption = {
  type: ApplicationCommandOptionType.String,
  name: "topic",
  description: "A topic, e.g. NATO membership or ceasefire",
  autocomplete: true,
  max_length: 200,
} as const;

export const hideOption = {
  type: ApplicationCommandOptionType.Boolean,
  name: "hide",
  description: "Show the answer only to you",
} as const;

export const queryOption = {
  type: ApplicationCommandOptionType.String,
  name: "query",
  description: "Words or a paraphrase of what you are looking for",
  required: true,
  min_length: 2,
  max_length: 300,
} as const;

/** The engine's search filters from the shared author/article options (unset ones left out). */
export function filtersOf(args: { author?: string | undefined; article?: string | undefined }): SearchOptions {
  return {
    ...(args.author !== undefined ? { author: args.author } : {}),
    ...(args.article !== undefined ? { article: args.article } : {}),
  };
}
