// The gateway half of the fake: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, dispatches,
// RESUME with replay, the faults a real gateway shows (closes, TCP drops, op 7, op 9), and sharding:
// each session gets only its shard's servers and their events, and a wrong `shard` closes it as Discord does.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { GatewayIntentBits, GatewayOpcodes } from "discord.js";
import type { ApplicationFlags, GatewayIdentifyData, GatewayReadyDispatchData, UserFlags } from "discord.js";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { apiMember, apiUser, guildCreate } from "./payloads.js";
import { GatewaySession } from "./sessions.js";
import type { Connection, GatewayFrame, LostDispatch, ResumeRecord } from "./sessions.js";
import type { FakeState } from "./state.js";

export type { GatewayFrame } from "./sessions.js";

/** Close codes with which the client ends its session for good (Discord then forgets it, and a RESUME fails). */
const ENDS_SESSION = new Set([1000, 1001]);

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  /** Sessions Discord would still resume, by id: kept after a disconnect, dropped on op 9 d=false or a 1000/1001 close. */
  readonly sessions = new Map<string, GatewaySession>();
  readonly identifies: GatewayIdentifyData[] = [];
  readonly received: GatewayFrame[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly lost: LostDispatch[] = [];
  /** Upgrades waiting while the gateway is held (see hold()). */
  private held: { socket: Duplex; upgrade: () => void }[] | null = null;

  /** How many dispatches each session keeps for a RESUME. */
  private readonly replayWindow: number;
  /** The shard count Discord requires (and GET /gateway/bot recommends): fewer would give a session too many servers. */
  readonly shards: number;

  constructor(
    private readonly state: FakeState,
    private readonly url: () => string,
    private readonly heartbeatIntervalMs: number,
    options: { replayWindow?: number; shards?: number } = {},
  ) {
    this.replayWindow = options.replayWindow ?? 1000;
    this.shards = options.shards ?? 1;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const upgrade = () => this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    if (this.held) this.held.push({ socket, upgrade });
    else upgrade();
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", "http://fake").searchParams;
    if ((query.get("encoding") ?? "json") !== "json") {
      ws.close(4002, "fake-discord speaks encoding=json only");
      return;
    }
    let send = (payload: object): void => ws.send(JSON.stringify(payload));
    if (query.get("compress") === "zlib-stream") {
      // One deflate stream for the whole connection, each payload ending in a Z_SYNC_FLUSH (00 00 ff ff).
      const deflate = zlib.createDeflate({ flush: zlib.constants.Z_SYNC_FLUSH });
      deflate.on("data", (chunk: Buffer) => ws.send(chunk));
      ws.on("close", () => deflate.destroy());
      send = (payload) => void deflate.write(JSON.stringify(payload));
    }
    const connection: Connection = { ws, send, session: null };
    this.connections.add(connection);
    ws.on("close", (code: number) => this.closed(connection, code));
    ws.on("error", () => this.closed(connection, 1006));
    ws.on("message", (raw: Buffer) => this.onFrame(connection, raw));
    send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
  }

  /** The socket is gone: its session waits for a RESUME, unless the bot ended it (1000/1001). */
  private closed(connection: Connection, code: number): void {
    this.connections.delete(connection);
    const session = connection.session;
    connection.session = null;
    if (!session || session.connection !== connection) return;
    session.connection = null;
    if (ENDS_SESSION.has(code)) this.forget(session);
  }

  private onFrame(connection: Connection, raw: Buffer): void {
    let frame: { op?: unknown; d?: unknown };
    try {
      frame = JSON.parse(raw.toString("utf8")) as { op?: unknown; d?: unknown };
    } catch {
      connection.ws.close(4002, "Error while decoding payload.");
      return;
    }
    const record: GatewayFrame = { op: Number(frame.op), d: frame.d, at: performance.now() };
    this.received.push(record);
    switch (record.op as GatewayOpcodes) {
      case GatewayOpcodes.Heartbeat:
        connection.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, frame.d as GatewayIdentifyData);
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, frame.d as { token: string; session_id: string; seq: number });
        return;
      case GatewayOpcodes.RequestGuildMembers:
        this.requestMembers(connection, frame.d as { guild_id: string; query?: string; limit?: number; user_ids?: string | string[]; nonce?: string });
        return;
      default:
        return; // presence / voice updates: recorded, otherwise ignored
    }
  }

  private identify(connection: Connection, data: GatewayIdentifyData): void {
    this.identifies.push(data);
    if (data.token !== this.state.botToken && data.token !== `Bot ${this.state.botToken}`) {
      connection.ws.close(4004, "Authentication failed.");
      return;
    }
    if (connection.session) {
      connection.ws.close(4005, "Already authenticated.");
      return;
    }
    const shard = data.shard ?? [0, 1];
    const [shardId, shardCount] = shard;
    // Discord's close codes: 4010 for a shard that is no shard of its count, 4011 when the session
    // would handle too many servers, here: fewer shards than required. More shards than recommended
    // is allowed, as on Discord (num_shards only routes traffic).
    if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      connection.ws.close(4010, "Invalid shard.");
      return;
    }
    if (shardCount < this.shards) {
      connection.ws.close(4011, "Sharding required.");
      return;
    }
    const session = new GatewaySession(data.intents, shard, this.replayWindow);
    session.connection = connection;
    connection.session = session;
    this.sessions.set(session.id, session);
    // Only this shard's servers, as on Discord.
    const guilds = this.state.guilds.filter((g) => session.receives(g.id));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...apiUser({ ...this.state.botUser, bot: true }), verified: true, mfa_enabled: false, flags: 0 as UserFlags },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard,
      application: { id: this.state.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
    };
    session.dispatch("READY", ready);
    const allMembers = (data.intents & GatewayIntentBits.GuildMembers) !== 0;
    for (const guild of guilds) session.dispatch("GUILD_CREATE", guildCreate(guild, this.state.botUser.id, allMembers));
  }

  /** Like Discord: replays every dispatch after the bot's `seq`, then RESUMED; an unknown or too old session gets op 9 d=false. */
  private resume(connection: Connection, data: { token: string; session_id: string; seq: number }): void {
    const session = this.sessions.get(data.session_id);
    const missed = session && data.token === this.state.botToken ? session.since(data.seq) : null;
    if (!session || !missed) {
      if (session) this.forget(session);
      connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    const previous = session.connection;
    if (previous && previous !== connection) {
      // A second socket took the session over: Discord drops the first.
      previous.session = null;
      previous.ws.terminate();
    }
    const replayed = session.resumeOn(connection, missed);
    this.resumes.push({ sessionId: session.id, seq: data.seq, replayed, at: performance.now() });
  }

  private requestMembers(
    connection: Connection,
    data: { guild_id: string; query?: string; limit?: number; user_ids?: string | string[]; nonce?: string },
  ): void {
    const guild = this.state.guilds.find((g) => g.id === data.guild_id);
    // Discord answers a member request only on the shard of its server.
    if (!guild || !connection.session?.receives(guild.id)) return;
    const ids = data.user_ids === undefined ? null : Array.isArray(data.user_ids) ? data.user_ids : [data.user_ids];
    const prefix = (data.query ?? "").toLowerCase();
    let members = guild.members.filter((m) =>
      ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(prefix),
    );
    if (data.limit !== undefined && data.limit > 0) members = members.slice(0, data.limit);
    const notFound = ids ? ids.filter((id) => !guild.members.some((m) => m.user.id === id)) : [];
    connection.session.dispatch("GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: members.map(apiMember),
      chunk_index: 0,
      chunk_count: 1,
      not_found: notFound,
      ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
    });
  }

  /** The session is invalid from now on: what it never sent the bot is lost, as on Discord. */
  private forget(session: GatewaySession): void {
    if (!this.sessions.delete(session.id)) return;
    for (const entry of session.undelivered()) this.lost.push({ sessionId: session.id, s: entry.s, t: entry.t, d: entry.d });
    if (session.connection) session.connection.session = null;
    session.connection = null;
  }

  /** Sessions that identified (or resumed) and are connected now. */
  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.connection !== null).length;
  }

  /**
   * Send a dispatch to every session Discord still keeps and routes it to (its server's shard; shard 0
   * for an event of no server): at once when connected, on RESUME when away. Returns how many took it.
   */
  dispatch(t: string, d: unknown): number {
    const guildId = guildOf(t, d);
    let taken = 0;
    for (const session of this.sessions.values()) {
      if (!session.receives(guildId)) continue;
      session.dispatch(t, d);
      taken += 1;
    }
    return taken;
  }

  /** How many sessions would take an event of this server (or, undefined, of none). */
  sessionsFor(guildId: string | undefined): number {
    return [...this.sessions.values()].filter((s) => s.receives(guildId)).length;
  }

  /** Close every connection with a close frame of this code (4000: discord.js resumes; 1000/1001 end the session). */
  disconnectAll(code = 4000, reason = "fake-discord disconnect"): void {
    for (const connection of [...this.connections]) {
      // Closed from here on, as for the bot: later events wait for its RESUME rather than go into a closing socket.
      const session = connection.session;
      if (session && ENDS_SESSION.has(code)) this.forget(session);
      else if (session) session.connection = null;
      connection.session = null;
      connection.ws.close(code, reason);
    }
  }

  /** Drop every TCP connection without a close frame (the bot sees 1006 and resumes). */
  dropAll(): void {
    for (const connection of [...this.connections]) {
      connection.ws.terminate();
      this.closed(connection, 1006);
    }
  }

  /** Opcode 7: every connected bot should reconnect and resume; the session keeps its events meanwhile. */
  requestReconnect(): void {
    for (const connection of this.connections) {
      if (connection.session) connection.send({ op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
    }
  }

  /**
   * Opcode 9. With d=true the session stays and waits for the bot's RESUME (discord.js sends it on
   * the same socket), keeping its events meanwhile. With d=false every session is gone, connected
   * or not: their waiting events are lost (see `lost`) and the bot must identify again.
   */
  invalidateSessions(resumable: boolean): void {
    for (const connection of this.connections) {
      if (!connection.session) continue;
      const session = connection.session;
      connection.send({ op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
      connection.session = null;
      session.connection = null;
    }
    if (!resumable) for (const session of [...this.sessions.values()]) this.forget(session);
  }

  /** Until the returned release() is called, new gateway connections wait in their handshake: a bot that lost its socket stays away. */
  hold(): () => void {
    this.held ??= [];
    return () => {
      const waiting = this.held ?? [];
      this.held = null;
      for (const { socket, upgrade } of waiting) if (!socket.destroyed) upgrade();
    };
  }

  close(): Promise<void> {
    for (const { socket } of this.held ?? []) socket.destroy();
    this.held = null;
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/** The server an event belongs to: a guild's own events carry it as `id`, every other event as `guild_id`. */
function guildOf(t: string, d: unknown): string | undefined {
  if (typeof d !== "object" || d === null) return undefined;
  const record = d as { id?: unknown; guild_id?: unknown };
  const id = t === "GUILD_CREATE" || t === "GUILD_UPDATE" || t === "GUILD_DELETE" ? record.id : record.guild_id;
  return typeof id === "string" ? id : undefined;
}
