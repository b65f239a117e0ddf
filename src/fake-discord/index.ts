// A fake Discord (REST + gateway) on 127.0.0.1 that a real discord.js Client can log in to.
//
//   const fake = await startFakeDiscord();
//   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
//   await client.login(fake.botToken);   // then wait for Events.ClientReady
//   const reply = await fake.interact(fake.payloads.chatInput({ name: "quote", options: { topic: "tax" } }));
//   reply.callback  // { type: 4, data: { content: ... } }
//   ...
//   await client.destroy(); await fake.close();   // destroy the client first, or it reconnects
//
// Faults, as Discord shows them: disconnectGateway(4000) / dropGateway() / requestReconnect() (op 7) /
// invalidateSession(resumable) (op 9) on the gateway, holdGateway() to keep a disconnected bot away,
// failRequests({ status: 503, times: 3, path }) for a 5xx burst on REST.
//
// Sharding: `startFakeDiscord({ shards: 4 })` recommends 4 shards in GET /gateway/bot, refuses fewer
// (close 4011), and sends each shard's session only its servers and their interactions. While a session is away its
// dispatches (INTERACTION_CREATE…) are kept and replayed on RESUME; op 9 with d=false loses them.
import type { AddressInfo } from "node:net";
import type { APIApplicationCommand, APIAttachment, APIInteraction, APIMessage, GatewayIdentifyData } from "discord.js";
import { FakeGateway } from "./gateway.js";
import type { GatewayFrame, LostDispatch, ResumeRecord } from "./sessions.js";
import { PayloadBuilder } from "./interactions.js";
import { buildMessage, DEFAULT_IDS, defaultGuild } from "./payloads.js";
import { buildRoutes } from "./routes.js";
import { createFakeServer } from "./server.js";
import { FakeState, InteractionRecord } from "./state.js";
import type { ChannelPostFailure, FakeDiscordOptions, FakeGuild, FakeReply, FakeUser, MessageListener, RecordedRequest, RestFailure } from "./types.js";

export type * from "./types.js";
export type * from "./interactions.js";
export type { GatewayFrame, LostDispatch, ResumeRecord } from "./sessions.js";
export { shardedGuilds, shardOf } from "./shards.js";
export { DEFAULT_IDS, DEFAULT_USERS, ADMIN_PERMISSIONS, MEMBER_PERMISSIONS, apiChannel, apiRole, apiUser, channelPermissions, defaultGuild, memberPermissions, snowflake } from "./payloads.js";

export interface FakeDiscord {
  /** Pass as `rest: { api }` to the discord.js Client. */
  readonly apiUrl: string;
  /** ws://127.0.0.1:PORT/gateway, as answered by GET /gateway/bot. */
  readonly gatewayUrl: string;
  readonly botToken: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly guilds: readonly FakeGuild[];
  /** Every REST request, in the order answered. */
  readonly requests: readonly RecordedRequest[];
  /** Requests no route matched (answered 404 {message: "404: Not Found", code: 0}). */
  readonly unknownRoutes: readonly RecordedRequest[];
  /** Every IDENTIFY payload the bot sent (intents, properties, shard…). */
  readonly identifies: readonly GatewayIdentifyData[];
  /** Every gateway frame the bot sent (heartbeats, identify, …). */
  readonly gatewayFrames: readonly GatewayFrame[];
  /** Every RESUME the fake accepted, with how many dispatches it replayed. */
  readonly resumes: readonly ResumeRecord[];
  /** Dispatches never sent to the bot because their session was invalidated (op 9 d=false, or the bot closed with 1000/1001). */
  readonly lostDispatches: readonly LostDispatch[];
  /** Sessions connected now (identified or resumed on an open socket). */
  readonly connectedSessions: number;
  /** The shard count GET /gateway/bot recommends (option `shards`). */
  readonly shards: number;
  /** Interaction payload builders bound to this fake's guilds, members and registered commands. */
  readonly payloads: PayloadBuilder;
  /** Commands stored by PUT/POST on the application's (global, or a guild's) commands. */
  registeredCommands(options?: { guildId?: string }): APIApplicationCommand[];
  /** Messages in a channel's history, oldest first (channel.send, non-ephemeral interaction replies, …), as they stand now. */
  channelMessages(channelId: string): APIMessage[];
  /** Calls `listener` for every message created, edited or deleted, ephemeral ones included; returns the unsubscribe. */
  onMessage(listener: MessageListener): () => void;
  /**
   * A member's own message in a channel, as if typed in Discord: it joins the channel's history
   * (and can be the target of a message menu); the bot, with the Guilds intent only, is not sent it.
   */
  postAs(user: FakeUser, channelId: string, content: string): APIMessage;
  /** A file a member attaches to a command: served at the returned attachment's `url`, for `resolved.attachments`. */
  attach(name: string, content: string | Buffer, contentType?: string): APIAttachment;
  /**
   * Send INTERACTION_CREATE; resolves once the bot's callback arrived (rejects after callbackTimeoutMs).
   * While the bot's session is away (disconnected, not yet resumed) it waits for the RESUME, as on Discord;
   * rejects at once when no session could take it (none identified for the server's shard, or all invalidated).
   */
  interact(payload: APIInteraction, options?: { timeoutMs?: number }): Promise<FakeReply>;
  /**
   * Send any gateway dispatch (op 0) to every session of its server's shard (shard 0 for an event of no
   * server; a session that is away gets it on RESUME); returns how many took it.
   */
  dispatch(eventName: string, data: unknown): number;
  /** The first request (already recorded or yet to come) matching the predicate. */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Make channel posts fail (403/404/429/5xx), e.g. `failChannelPosts({ status: 403, times: 1 })`. */
  failChannelPosts(failure: ChannelPostFailure): void;
  clearChannelPostFailures(): void;
  /** Make REST requests fail with 5xx, e.g. the next 3 interaction callbacks: `failRequests({ status: 503, times: 3, path: "/interactions/:id/:token/callback" })`. */
  failRequests(failure: RestFailure): void;
  clearRequestFailures(): void;
  /** Close every gateway connection with this code (default 4000: discord.js resumes; 1000/1001 end the session). */
  disconnectGateway(code?: number): void;
  /** Drop every gateway TCP connection without a close frame (the bot sees 1006 and resumes). */
  dropGateway(): void;
  /** Send opcode 7 (Reconnect) to every connected session: the bot reconnects and resumes. */
  requestReconnect(): void;
  /**
   * Send opcode 9 (Invalid Session). `true`: the bot may resume (discord.js sends RESUME on the same socket)
   * and gets what it missed. `false`: every session is forgotten, with the dispatches still waiting for it
   * (see lostDispatches), and the bot identifies again, as on Discord.
   */
  invalidateSession(resumable: boolean): void;
  /** New gateway connections wait in their handshake until release() is called: a bot that lost its socket stays away meanwhile. */
  holdGateway(): () => void;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? DEFAULT_IDS.application;
  const botUser: FakeUser = {
    id: options.botUser?.id ?? applicationId,
    username: options.botUser?.username ?? "Agora",
    globalName: options.botUser?.globalName ?? null,
    bot: true,
  };
  const guilds = options.guilds ?? [defaultGuild(botUser)];
  for (const guild of guilds) {
    if (!guild.members.some((m) => m.user.id === botUser.id)) guild.members.push({ user: botUser, roles: [] });
  }
  const botToken = options.botToken ?? "fake-bot-token.agora.e2e";
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 3000;
  const state = new FakeState(applicationId, botUser, botToken, guilds, options.nonceWindowMs);

  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}/gateway`;
  const shards = options.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`fake-discord: shards must be a whole number ≥ 1, not ${shards}`);
  const gateway = new FakeGateway(state, gatewayUrl, options.heartbeatIntervalMs ?? 41_250, { shards });
  const server = createFakeServer(state, gateway, buildRoutes(gatewayUrl, { shards, maxConcurrency: options.maxConcurrency ?? 1 }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const inFlight = new Set<InteractionRecord>();

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    botToken,
    applicationId,
    botUser,
    guilds,
    requests: state.requests,
    unknownRoutes: state.unknownRoutes,
    identifies: gateway.identifies,
    gatewayFrames: gateway.received,
    resumes: gateway.resumes,
    lostDispatches: gateway.lost,
    get connectedSessions() {
      return gateway.connectedSessions;
    },
    shards,
    payloads: new PayloadBuilder(state),
    registeredCommands: ({ guildId } = {}) => structuredClone(state.commands.get(guildId ?? "global") ?? []),
    channelMessages: (channelId) => structuredClone(state.messages.get(channelId) ?? []),
    onMessage(listener) {
      state.messageListeners.add(listener);
      return () => state.messageListeners.delete(listener);
    },
    attach(name, content, contentType = "application/octet-stream") {
      return state.cdn.upload(`http://127.0.0.1:${port}`, name, content, contentType);
    },
    postAs(user, channelId, content) {
      if (!state.findChannel(channelId)) throw new Error(`fake-discord: no channel ${channelId}`);
      const message = buildMessage({ channelId, author: user, body: { content } });
      state.store(message);
      return message;
    },
    interact(payload, { timeoutMs = callbackTimeoutMs } = {}) {
      if (gateway.sessionsFor(payload.guild_id) === 0) {
        const which = payload.guild_id === undefined ? "" : ` for server ${payload.guild_id}'s shard`;
        return Promise.reject(new Error(`fake-discord: no bot session on the gateway${which} (wait for Events.ClientReady)`));
      }
      const record = new InteractionRecord(payload, performance.now());
      const channelId = payload.channel?.id ?? payload.channel_id;
      if (payload.message && channelId !== undefined) {
        const stored = state.findMessage(channelId, payload.message.id);
        if (stored) record.original = stored; // so updates show in the channel history
      }
      state.interactionsById.set(payload.id, record);
      state.interactionsByToken.set(payload.token, record);
      const reply = record.wait(timeoutMs);
      inFlight.add(record);
      void reply.then(
        () => inFlight.delete(record),
        () => inFlight.delete(record),
      );
      gateway.dispatch("INTERACTION_CREATE", payload);
      return reply;
    },
    dispatch: (eventName, data) => gateway.dispatch(eventName, data),
    waitForRequest: (match, timeoutMs) => state.waitForRequest(match, timeoutMs),
    failChannelPosts: (failure) => state.faults.add(failure),
    clearChannelPostFailures: () => state.faults.clear(),
    failRequests: (failure) => state.restFaults.add(failure),
    clearRequestFailures: () => state.restFaults.clear(),
    disconnectGateway: (code) => gateway.disconnectAll(code),
    dropGateway: () => gateway.dropAll(),
    requestReconnect: () => gateway.requestReconnect(),
    invalidateSession: (resumable) => gateway.invalidateSessions(resumable),
    holdGateway: () => gateway.hold(),
    async close() {
      for (const record of inFlight) record.cancel("fake-discord closed");
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

