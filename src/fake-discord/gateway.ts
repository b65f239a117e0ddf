// The gateway half of the fake: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, dispatches.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { GatewayIntentBits, GatewayOpcodes } from "discord.js";
import type { ApplicationFlags, GatewayIdentifyData, GatewayReadyDispatchData, UserFlags } from "discord.js";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { apiMember, apiUser, guildCreate } from "./payloads.js";
import type { FakeState } from "./state.js";

/** A frame the bot sent over the gateway. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  at: number;
}

export interface GatewaySession {
  readonly id: string;
  readonly query: URLSearchParams;
  identified: boolean;
  intents: number;
  seq: number;
  readonly received: GatewayFrame[];
}

interface Connection {
  ws: WebSocket;
  session: GatewaySession;
  send(payload: object): void;
}

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  /** Sessions by id, kept after disconnects so RESUME works. */
  readonly sessions = new Map<string, GatewaySession>();
  readonly identifies: GatewayIdentifyData[] = [];
  readonly received: GatewayFrame[] = [];

  constructor(
    private readonly state: FakeState,
    private readonly url: () => string,
    private readonly heartbeatIntervalMs: number,
  ) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", "http://fake").searchParams;
    if ((query.get("encoding") ?? "json") !== "json") {
      ws.close(4002, "fake-discord speaks encoding=json only");
      return;
    }
    const session: GatewaySession = { id: randomBytes(16).toString("hex"), query, identified: false, intents: 0, seq: 0, received: [] };
    let send = (payload: object): void => ws.send(JSON.stringify(payload));
    if (query.get("compress") === "zlib-stream") {
      // One deflate stream for the whole connection, each payload ending in a Z_SYNC_FLUSH (00 00 ff ff).
      const deflate = zlib.createDeflate({ flush: zlib.constants.Z_SYNC_FLUSH });
      deflate.on("data", (chunk: Buffer) => ws.send(chunk));
      ws.on("close", () => deflate.destroy());
      send = (payload) => void deflate.write(JSON.stringify(payload));
    }
    const connection: Connection = { ws, session, send };
    this.connections.add(connection);
    ws.on("close", () => this.connections.delete(connection));
    ws.on("error", () => this.connections.delete(connection));
    ws.on("message", (raw: Buffer) => this.onFrame(connection, raw));
    send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
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
    connection.session.received.push(record);
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
    const { session } = connection;
    session.identified = true;
    session.intents = data.intents;
    this.sessions.set(session.id, session);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...apiUser({ ...this.state.botUser, bot: true }), verified: true, mfa_enabled: false, flags: 0 as UserFlags },
      guilds: this.state.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard: data.shard ?? [0, 1],
      application: { id: this.state.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
    };
    this.sendDispatch(connection, "READY", ready);
    const allMembers = (data.intents & GatewayIntentBits.GuildMembers) !== 0;
    for (const guild of this.state.guilds) {
      this.sendDispatch(connection, "GUILD_CREATE", guildCreate(guild, this.state.botUser.id, allMembers));
    }
  }

  private resume(connection: Connection, data: { token: string; session_id: string; seq: number }): void {
    const previous = this.sessions.get(data.session_id);
    if (!previous || data.token !== this.state.botToken) {
      connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    connection.session.identified = true;
    connection.session.intents = previous.intents;
    connection.session.seq = previous.seq;
    this.sessions.set(previous.id, connection.session);
    this.sendDispatch(connection, "RESUMED", {});
  }

  private requestMembers(
    connection: Connection,
    data: { guild_id: string; query?: string; limit?: number; user_ids?: string | string[]; nonce?: string },
  ): void {
    const guild = this.state.guilds.find((g) => g.id === data.guild_id);
    if (!guild) return;
    const ids = data.user_ids === undefined ? null : Array.isArray(data.user_ids) ? data.user_ids : [data.user_ids];
    const prefix = (data.query ?? "").toLowerCase();
    let members = guild.members.filter((m) =>
      ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(prefix),
    );
    if (data.limit !== undefined && data.limit > 0) members = members.slice(0, data.limit);
    const notFound = ids ? ids.filter((id) => !guild.members.some((m) => m.user.id === id)) : [];
    this.sendDispatch(connection, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: members.map(apiMember),
      chunk_index: 0,
      chunk_count: 1,
      not_found: notFound,
      ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
    });
  }

  private sendDispatch(connection: Connection, t: string, d: unknown): void {
    connection.session.seq += 1;
    connection.send({ op: GatewayOpcodes.Dispatch, t, s: connection.session.seq, d });
  }

  /** Sessions that identified (or resumed) and are still connected. */
  get connectedSessions(): number {
    return [...this.connections].filter((c) => c.session.identified).length;
  }

  /** Send a dispatch to every identified connection; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    let sent = 0;
    for (const connection of this.connections) {
      if (!connection.session.identified) continue;
      this.sendDispatch(connection, t, d);
      sent += 1;
    }
    return sent;
  }

  /** Drop every connection with a close code (e.g. 4000 to make discord.js resume). */
  disconnectAll(code = 4000, reason = "fake-discord disconnect"): void {
    for (const connection of this.connections) connection.ws.close(code, reason);
  }

  close(): Promise<void> {
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
