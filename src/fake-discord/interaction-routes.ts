// Interaction routes: the callback, then the interaction webhook (@original edits, follow-ups).
import { ApplicationCommandType, InteractionResponseType, InteractionType, MessageFlags, MessageType } from "discord.js";
import type { APIMessage } from "discord.js";
import { buildMessage } from "./payloads.js";
import { asBody, discordError, ok } from "./server.js";
import type { Route, RouteContext, RouteResult } from "./server.js";
import type { InteractionRecord } from "./state.js";
import type { FakeCallback, MessageBody } from "./types.js";

const unknownInteraction = () => discordError(404, 10062, "Unknown interaction");
const unknownWebhook = () => discordError(404, 10015, "Unknown Webhook");
const unknownMessage = () => discordError(404, 10008, "Unknown Message");

/** Message type of an interaction's responses, from the interaction's own type. */
function responseType(rec: InteractionRecord): MessageType {
  const data = rec.payload.data as { type?: ApplicationCommandType } | undefined;
  const contextMenu = rec.payload.type === InteractionType.ApplicationCommand && data?.type !== ApplicationCommandType.ChatInput;
  return contextMenu ? MessageType.ContextMenuCommand : MessageType.ChatInputCommand;
}

function interactionMessage(ctx: RouteContext, rec: InteractionRecord, body: MessageBody): APIMessage {
  const { payload } = rec;
  const user = payload.member?.user ?? payload.user;
  return buildMessage({
    channelId: payload.channel?.id ?? payload.channel_id ?? "0",
    author: { ...ctx.state.botUser, bot: true },
    body,
    files: ctx.request.files,
    type: responseType(rec),
    applicationId: ctx.state.applicationId,
    ...(user
      ? { interaction: { id: payload.id, type: payload.type, user, authorizing_integration_owners: payload.authorizing_integration_owners } as APIMessage["interaction_metadata"] }
      : {}),
  });
}

function callback(ctx: RouteContext): RouteResult {
  const { id = "", token = "" } = ctx.params;
  const rec = ctx.state.interactionsById.get(id);
  if (!rec || rec.payload.token !== token) return unknownInteraction();
  if (rec.callback) return discordError(400, 40060, "Interaction has already been acknowledged.");
  const cb = asBody(ctx.request.body) as unknown as FakeCallback;
  if (typeof cb.type !== "number") return discordError(400, 50035, "Invalid Form Body");
  const data = asBody(cb.data);
  const type = cb.type as InteractionResponseType;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource:
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const loading = type === InteractionResponseType.DeferredChannelMessageWithSource;
      const body = loading ? { content: "", flags: (data.flags ?? 0) | MessageFlags.Loading } : data;
      rec.original = interactionMessage(ctx, rec, body);
      rec.originalIsSource = false;
      ctx.state.store(rec.original);
      break;
    }
    case InteractionResponseType.UpdateMessage:
      if (rec.original) ctx.state.edit(rec.original, data, ctx.request.files);
      break;
    default:
      break; // deferred update, autocomplete choices, modal: nothing to store
  }
  rec.acknowledged(cb, ctx.request.at);
  if (ctx.request.query["with_response"] !== "true") return ok();
  const message = rec.original && !rec.originalIsSource ? rec.original : null;
  return ok({
    interaction: {
      id: rec.payload.id,
      type: rec.payload.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
            response_message_ephemeral: rec.ephemeral,
          }
        : {}),
    },
    resource: { type: cb.type, ...(message ? { message } : {}) },
  });
}

function webhookRecord(ctx: RouteContext): InteractionRecord | null {
  const rec = ctx.state.interactionsByToken.get(ctx.params["token"] ?? "");
  return rec && rec.callback && ctx.params["app"] === ctx.state.applicationId ? rec : null;
}

function webhookMessage(ctx: RouteContext, rec: InteractionRecord): APIMessage | null {
  const id = ctx.params["message"] ?? "";
  return id === "@original" ? rec.original : (rec.followUpMessages.get(id) ?? null);
}

export const interactionRoutes: Route[] = [
  { method: "POST", pattern: "/interactions/:id/:token/callback", auth: false, handle: callback },
  {
    method: "POST",
    pattern: "/webhooks/:app/:token",
    auth: false,
    handle: (ctx) => {
      const rec = webhookRecord(ctx);
      if (!rec) return unknownWebhook();
      const body = asBody(ctx.request.body);
      const message = interactionMessage(ctx, rec, body);
      rec.followUpMessages.set(message.id, message);
      ctx.state.store(message);
      rec.followUps.push(body);
      return ctx.request.query["wait"] === "false" ? ok() : ok(message);
    },
  },
  ...(["GET", "PATCH", "DELETE"] as const).map(
    (method): Route => ({
      method,
      pattern: "/webhooks/:app/:token/messages/:message",
      auth: false,
      handle: (ctx) => {
        const rec = webhookRecord(ctx);
        if (!rec) return unknownWebhook();
        const message = webhookMessage(ctx, rec);
        if (!message) return unknownMessage();
        if (method === "GET") return ok(message);
        if (method === "DELETE") {
          ctx.state.unstore(message);
          if (message === rec.original) rec.original = null;
          else rec.followUpMessages.delete(message.id);
          return ok();
        }
        const body = asBody(ctx.request.body);
        message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
        ctx.state.edit(message, body, ctx.request.files);
        if (message === rec.original) rec.edits.push(body);
        return ok(message);
      },
    }),
  ),
];

