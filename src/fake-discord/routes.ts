// REST routes the fake answers besides interactions: gateway, commands, channels, messages, guilds.
import { MessageType, PermissionFlagsBits } from "discord.js";
import type { APIApplicationCommand, APIMessage } from "discord.js";
import { interactionRoutes } from "./interaction-routes.js";
import { apiChannel, apiMember, apiRole, apiUser, buildMessage, channelPermissions, guildCreate, isThread, snowflake } from "./payloads.js";
import { failureResult } from "./faults.js";
import { asBody, discordError, ok } from "./server.js";
import type { Route, RouteContext } from "./server.js";

const unknownMessage = () => discordError(404, 10008, "Unknown Message");
const unknownChannel = () => discordError(404, 10003, "Unknown Channel");
const unknownGuild = () => discordError(404, 10004, "Unknown Guild");

function commandList(ctx: RouteContext): APIApplicationCommand[] {
  const key = ctx.params["guild"] ?? "global";
  const list = ctx.state.commands.get(key) ?? [];
  ctx.state.commands.set(key, list);
  return list;
}

function toCommand(ctx: RouteContext, raw: unknown, existing: readonly APIApplicationCommand[]): APIApplicationCommand {
  const body = asBody(raw) as Partial<APIApplicationCommand>;
  const type = body.type ?? 1;
  const previous = existing.find((c) => c.name === body.name && c.type === type);
  const guild = ctx.params["guild"];
  return {
    ...body,
    id: previous?.id ?? snowflake(),
    application_id: ctx.state.applicationId,
    type,
    name: body.name ?? "",
    description: body.description ?? "",
    default_member_permissions: body.default_member_permissions ?? null,
    version: snowflake(),
    ...(guild !== undefined ? { guild_id: guild } : {}),
  };
}

const commandRoutes: Route[] = ["/applications/:app/commands", "/applications/:app/guilds/:guild/commands"].flatMap(
  (base): Route[] => [
    { method: "GET", pattern: base, auth: true, handle: (ctx) => ok(commandList(ctx)) },
    {
      method: "PUT",
      pattern: base,
      auth: true,
      handle: (ctx) => {
        const list = commandList(ctx);
        const raw = Array.isArray(ctx.request.body) ? (ctx.request.body as unknown[]) : [];
        const next = raw.map((c) => toCommand(ctx, c, list));
        list.splice(0, list.length, ...next);
        return ok(list);
      },
    },
    {
      method: "POST",
      pattern: base,
      auth: true,
      handle: (ctx) => {
        const list = commandList(ctx);
        const command = toCommand(ctx, ctx.request.body, list);
        const index = list.findIndex((c) => c.id === command.id);
        if (index >= 0) list[index] = command;
        else list.push(command);
        return { status: index >= 0 ? 200 : 201, body: command };
      },
    },
    {
      method: "DELETE",
      pattern: `${base}/:command`,
      auth: true,
      handle: (ctx) => {
        const list = commandList(ctx);
        const index = list.findIndex((c) => c.id === ctx.params["command"]);
        if (index < 0) return discordError(404, 10063, "Unknown application command");
        list.splice(index, 1);
        return ok();
      },
    },
  ],
);

function channelOf(ctx: RouteContext) {
  return ctx.state.findChannel(ctx.params["channel"] ?? "");
}

const missingAccess = () => discordError(403, 50001, "Missing Access");
const missingPermissions = () => discordError(403, 50013, "Missing Permissions");

/** The bot's permissions in a channel, from the guild's roles and the channel's (or thread parent's) overwrites. */
function botPermissions(ctx: RouteContext, found: NonNullable<ReturnType<typeof channelOf>>): bigint {
  const bot = found.guild.members.find((m) => m.user.id === ctx.state.botUser.id) ?? { user: ctx.state.botUser, roles: [] };
  return channelPermissions(found.guild, bot, found.channel);
}

/**
 * Why Discord would refuse the bot's post here, or null: no View Channel is 50001; no Send
 * Messages (Send Messages in Threads in a thread) or, for a reply, no Read Message History is 50013.
 */
function postRefusal(ctx: RouteContext, found: NonNullable<ReturnType<typeof channelOf>>, body: Record<string, unknown>) {
  const P = PermissionFlagsBits;
  const bits = botPermissions(ctx, found);
  if ((bits & P.ViewChannel) === 0n) return missingAccess();
  if ((bits & (isThread(found.channel) ? P.SendMessagesInThreads : P.SendMessages)) === 0n) return missingPermissions();
  if (body["message_reference"] && (bits & P.ReadMessageHistory) === 0n) return missingPermissions();
  return null;
}

const channelRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/channels/:channel",
    auth: true,
    handle: (ctx) => {
      const found = channelOf(ctx);
      return found ? ok(apiChannel(found.guild, found.channel, found.index)) : unknownChannel();
    },
  },
  {
    method: "GET",
    pattern: "/channels/:channel/messages",
    auth: true,
    handle: (ctx) => {
      const found = channelOf(ctx);
      if (!found) return unknownChannel();
      const bits = botPermissions(ctx, found);
      if ((bits & PermissionFlagsBits.ViewChannel) === 0n) return missingAccess();
      // Like Discord: without Read Message History the history is empty, not an error.
      if ((bits & PermissionFlagsBits.ReadMessageHistory) === 0n) return ok([]);
      const limit = Number(ctx.request.query["limit"] ?? 50);
      return ok([...(ctx.state.messages.get(ctx.params["channel"] ?? "") ?? [])].reverse().slice(0, limit));
    },
  },
  {
    method: "POST",
    pattern: "/channels/:channel/messages",
    auth: true,
    handle: (ctx) => {
      const found = channelOf(ctx);
      if (!found) return unknownChannel();
      const body = asBody(ctx.request.body);
      const { faults } = ctx.state;
      const invalid = faults.invalidNonce(body["nonce"]);
      if (invalid) return invalid;
      const refused = postRefusal(ctx, found, body);
      if (refused) return refused;
      const failure = faults.take(found.channel.id);
      if (failure && failure.afterCreate !== true) return failureResult(failure);
      // Like Discord: a repeated nonce with enforce_nonce answers with the earlier message, creating nothing.
      const earlier = body["enforce_nonce"] === true ? faults.earlier(found.channel.id, ctx.state.botUser.id, body["nonce"]) : null;
      if (earlier) return failure ? failureResult(failure) : ok(earlier);
      const message = buildMessage({
        channelId: found.channel.id,
        author: { ...ctx.state.botUser, bot: true },
        body,
        files: ctx.request.files,
        type: body["message_reference"] ? MessageType.Reply : MessageType.Default,
      });
      if (body["message_reference"]) message.message_reference = body["message_reference"] as NonNullable<APIMessage["message_reference"]>;
      faults.remember(message, body["nonce"]);
      ctx.state.store(message);
      return failure ? failureResult(failure) : ok(message);
    },
  },
  ...(["GET", "PATCH", "DELETE"] as const).map(
    (method): Route => ({
      method,
      pattern: "/channels/:channel/messages/:message",
      auth: true,
      handle: (ctx) => {
        const message = ctx.state.findMessage(ctx.params["channel"] ?? "", ctx.params["message"] ?? "");
        if (!message) return unknownMessage();
        if (method === "GET") return ok(message);
        if (method === "DELETE") {
          ctx.state.unstore(message);
          return ok();
        }
        if (message.author.id !== ctx.state.botUser.id) {
          return discordError(403, 50005, "Cannot edit a message authored by another user");
        }
        return ok(ctx.state.edit(message, asBody(ctx.request.body), ctx.request.files));
      },
    }),
  ),
  { method: "POST", pattern: "/channels/:channel/typing", auth: true, handle: (ctx) => (channelOf(ctx) ? ok() : unknownChannel()) },
  { method: "PUT", pattern: "/channels/:channel/messages/:message/reactions/:emoji/@me", auth: true, handle: () => ok() },
];

function guildOf(ctx: RouteContext) {
  return ctx.state.guilds.find((g) => g.id === ctx.params["guild"]) ?? null;
}

const guildRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/guilds/:guild",
    auth: true,
    handle: (ctx) => {
      const guild = guildOf(ctx);
      return guild ? ok(guildCreate(guild, ctx.state.botUser.id, false)) : unknownGuild();
    },
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/channels",
    auth: true,
    handle: (ctx) => {
      const guild = guildOf(ctx);
      // Like Discord: the guild's channels, without threads.
      return guild ? ok(guild.channels.flatMap((c, i) => (isThread(c) ? [] : [apiChannel(guild, c, i)]))) : unknownGuild();
    },
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/roles",
    auth: true,
    handle: (ctx) => {
      const guild = guildOf(ctx);
      return guild ? ok(guild.roles.map((r) => apiRole(guild, r))) : unknownGuild();
    },
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/members",
    auth: true,
    handle: (ctx) => {
      const guild = guildOf(ctx);
      return guild ? ok(guild.members.slice(0, Number(ctx.request.query["limit"] ?? 1)).map(apiMember)) : unknownGuild();
    },
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/members/:user",
    auth: true,
    handle: (ctx) => {
      const guild = guildOf(ctx);
      if (!guild) return unknownGuild();
      const member = guild.members.find((m) => m.user.id === ctx.params["user"]);
      return member ? ok(apiMember(member)) : discordError(404, 10007, "Unknown Member");
    },
  },
];

export function buildRoutes(gatewayUrl: () => string, sharding: { shards: number; maxConcurrency: number } = { shards: 1, maxConcurrency: 1 }): Route[] {
  const gateway = () => ({
    url: gatewayUrl(),
    // The recommended shard count, which ShardingManager ("auto") and src/shards/ start with.
    shards: sharding.shards,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: sharding.maxConcurrency },
  });
  return [
    { method: "GET", pattern: "/gateway/bot", auth: true, handle: () => ok(gateway()) },
    { method: "GET", pattern: "/gateway", auth: false, handle: () => ok({ url: gatewayUrl() }) },
    { method: "GET", pattern: "/users/@me", auth: true, handle: (ctx) => ok(apiUser({ ...ctx.state.botUser, bot: true })) },
    {
      method: "GET",
      pattern: "/applications/@me",
      auth: true,
      handle: (ctx) =>
        ok({
          id: ctx.state.applicationId,
          name: ctx.state.botUser.username,
          icon: null,
          description: "",
          bot_public: false,
          bot_require_code_grant: false,
          flags: 0,
          bot: apiUser({ ...ctx.state.botUser, bot: true }),
        }),
    },
    ...interactionRoutes,
    ...commandRoutes,
    ...channelRoutes,
    ...guildRoutes,
  ];
}
