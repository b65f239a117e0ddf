import { randomBytes } from "node:crypto";
import { DiscordAPIError, RESTJSONErrorCodes, type AutocompleteInteraction, type Interaction } from "discord.js";
import { NotFoundError, QueryError } from "../errors.js";
import type { InteractionOutcome } from "../observability/metrics.js";
import { AnalysisBusyError } from "../workers/analysis-pool.js";
import { readArguments, UserError, type BotContext, type ButtonHandler, type ChatCommand, type MessageMenuCommand, type ModalHandler } from "./command.js";
import type { RateLimiter } from "./rate-limit.js";
import { escapeText, toMessage, type Reply } from "./render.js";
import { sendPrivately } from "./respond.js";

export interface Handlers {
  chat: ReadonlyMap<string, ChatCommand>;
  messageMenus: ReadonlyMap<string, MessageMenuCommand>;
  buttons: ReadonlyMap<string, ButtonHandler>;
  modals: ReadonlyMap<string, ModalHandler>;
}

/**
 * The one error boundary for interactions. User errors become a private note saying what to do;
 * anything else is logged with an error id and answered with a short private apology. Nothing
 * thrown here reaches discord.js, so one failing command never takes the bot down.
 */
export function createInteractionHandler(
  handlers: Handlers,
  base: BotContext,
  limiter: RateLimiter,
  autocompleteLimiter: RateLimiter,
  /** The context of a server's interactions: its own library's engine (src/discord/library-scope.ts). */
  scope?: (ctx: BotContext, guildId: string | null, beforeBuild?: () => Promise<void>) => Promise<BotContext>,
) {
  return async (interaction: Interaction): Promise<void> => {
    const started = performance.now();
    const name = describe(interaction);
    let outcome: InteractionOutcome = "ok";
    let ctx = base;
    try {
      if (interaction.isAutocomplete()) {
        const command = handlers.chat.get(interaction.commandName);
        // Past the keystroke budget, or for a command it does not know, the bot still answers: no choices.
        if (!command?.autocomplete || autocompleteLimiter.take(interaction.user.id) > 0) await interaction.respond([]);
        else {
          if (scope) ctx = await scope(base, interaction.guildId);
          await command.autocomplete(interaction, ctx);
        }
        return;
      }
      if (!interaction.isRepliable()) return;
      const wait = limiter.take(interaction.user.id);
      if (wait > 0) {
        outcome = "rate_limited";
        await interaction.reply(toMessage({ content: `You're going a little fast — try again in ${Math.ceil(wait / 1000)} s.`, ephemeral: true }));
        return;
      }
      // A server's engine built on its first use can take seconds: a command that defers anyway says "thinking…" first.
      if (scope) ctx = await scope(base, interaction.guildId, () => deferBeforeBuild(interaction, handlers));
      if (interaction.isChatInputCommand()) {
        const command = handlers.chat.get(interaction.commandName);
        if (!command) throw new UserError(`I don't know the command /${interaction.commandName}; it may have been removed.`);
        const args = readArguments(interaction, command.data);
        command.validate?.(args, ctx);
        if (command.defer && !interaction.deferred) await interaction.deferReply(hiddenFlag(interaction));
        await command.execute(interaction, args, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        await handlers.messageMenus.get(interaction.commandName)?.execute(interaction, ctx);
      } else if (interaction.isButton()) {
        const parts = interaction.customId.split(":");
        const handler = handlers.buttons.get(parts[0] ?? "");
        if (!handler) throw new UserError("This button no longer works.");
        await handler.execute(interaction, parts.slice(1), ctx);
      } else if (interaction.isModalSubmit()) {
        const parts = interaction.customId.split(":");
        const handler = handlers.modals.get(parts[0] ?? "");
        if (!handler) throw new UserError("This form no longer works.");
        await handler.execute(interaction, parts.slice(1), ctx);
      }
      ctx.logger.debug({ interactionId: interaction.id, command: name, guildId: interaction.guildId, latencyMs: elapsed(started) }, "interaction handled");
    } catch (error) {
      outcome = await answerError(interaction, error, name, started, ctx);
    } finally {
      ctx.metrics?.interaction(interaction.isAutocomplete() ? `autocomplete:${name}` : name, outcome, (performance.now() - started) / 1000);
    }
  };
}

/** Answers a failed interaction as its error calls for; returns how it ended, for the metrics. */
async function answerError(interaction: Interaction, error: unknown, name: string, started: number, ctx: BotContext): Promise<InteractionOutcome> {
  const log = { interactionId: interaction.id, command: name, guildId: interaction.guildId, userId: interaction.user.id, latencyMs: elapsed(started) };
  if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction) {
    // The 3 s window (or 15 min token) ran out before we answered: nothing left to answer, not a fault.
    ctx.logger.warn({ ...log, code: error.code }, "interaction expired before it was answered");
    return "expired";
  }
  if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) {
    // A retry after Discord took the answer but its confirmation was lost (a 5xx): the user has the answer.
    ctx.logger.warn({ ...log, code: error.code }, "Discord had already taken this interaction's answer (its confirmation was lost)");
    return "ok";
  }
  if (interaction.isAutocomplete()) {
    ctx.logger.error({ ...log, err: error }, "autocomplete failed");
    await answerNoChoices(interaction);
    return "fault";
  }
  let reply: Reply;
  let outcome: InteractionOutcome;
  if (error instanceof AnalysisBusyError) {
    outcome = "busy";
    ctx.logger.warn({ ...log, reason: error.message }, "analysis queue full");
    reply = { content: "I'm working through a queue of long requests right now. Please try again in a minute.", ephemeral: true };
  } else if (error instanceof UserError || error instanceof NotFoundError || error instanceof QueryError) {
    outcome = "user_error";
    ctx.logger.info({ ...log, reason: error.message }, "user error");
    reply = { content: (await removedMessage(error, interaction.guildId, ctx)) ?? userMessage(error), ephemeral: true };
  } else {
    outcome = "fault";
    const errorId = randomBytes(4).toString("hex");
    ctx.logger.error({ ...log, err: error, errorId }, "interaction failed");
    reply = { content: `Sorry, something went wrong on my side. (error id \`${errorId}\`)`, ephemeral: true };
  }
  if (!interaction.isRepliable()) return outcome;
  try {
    await sendPrivately(interaction, reply);
  } catch (sendError) {
    ctx.logger.warn({ ...log, err: sendError }, "could not tell the user about the error");
  }
  return outcome;
}

async function answerNoChoices(interaction: AutocompleteInteraction): Promise<void> {
  if (interaction.responded) return;
  await interaction.respond([]).catch(() => undefined);
}

/** An article this server removed is not "unknown": its old citations say what became of it. */
async function removedMessage(error: Error, guildId: string | null, ctx: BotContext): Promise<string | undefined> {
  const articleId = error instanceof NotFoundError && error.kind === "article" ? error.input : error instanceof UserError ? error.articleId : undefined;
  if (articleId === undefined || guildId === null || !ctx.libraries) return undefined;
  const removed = await ctx.libraries.removed(guildId, articleId.trim().toLowerCase()).catch(() => null);
  return removed ? `“${escapeText(removed.title)}” (\`${removed.articleId}\`) was removed from this server's library.` : undefined;
}

function userMessage(error: Error): string {
  if (error instanceof NotFoundError) {
    const what = error.kind === "article" ? "article" : "author";
    const hint = error.suggestions.length > 0 ? ` Did you mean ${error.suggestions.map((s) => `**${escapeText(s)}**`).join(" or ")}?` : "";
    return `I couldn't find the ${what} “${escapeText(error.input)}”.${hint} Pick one from the suggestions as you type.`;
  }
  if (error instanceof QueryError) return `That search didn't work: ${escapeText(error.message)}. Try a few words from the topic you mean.`;
  return error.message;
}

async function deferBeforeBuild(interaction: Interaction, handlers: Handlers): Promise<void> {
  if (interaction.isChatInputCommand() && handlers.chat.get(interaction.commandName)?.defer && !interaction.deferred) await interaction.deferReply(hiddenFlag(interaction));
}

function hiddenFlag(interaction: { options: { getBoolean(name: string): boolean | null } }): { flags?: 64 } {
  return interaction.options.getBoolean("hide") ? { flags: 64 } : {};
}

function describe(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent()) return `component:${interaction.customId.split(":")[0] ?? ""}`;
  return `modal:${interaction.customId.split(":")[0] ?? ""}`;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
