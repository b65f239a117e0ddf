// Gateway sessions as Discord keeps them: numbered dispatches, kept for a while so a RESUME can replay them.
import { randomBytes } from "node:crypto";
import { GatewayOpcodes } from "discord.js";
import type { WebSocket } from "ws";
import { shardOf } from "./shards.js";

/** A frame the bot sent over the gateway. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  at: number;
}

/** One socket to the gateway; it carries a session once the bot identified or resumed on it. */
export interface Connection {
  ws: WebSocket;
  send(payload: object): void;
  session: GatewaySession | null;
}

/** A dispatch numbered for a session; `delivered` once written to a socket (the bot may still have missed it). */
export interface SessionDispatch {
  s: number;
  t: string;
  d: unknown;
  delivered: boolean;
}

/** A RESUME the fake accepted: from which sequence number, and how many dispatches it replayed. */
export interface ResumeRecord {
  sessionId: string;
  seq: number;
  replayed: number;
  at: number;
}

/** A dispatch that never reached the bot because its session was invalidated (op 9 with d=false), as on Discord. */
export interface LostDispatch {
  sessionId: string;
  s: number;
  t: string;
  d: unknown;
}

/**
 * A session outlives its socket, as on Discord: while the bot is away (closed socket, TCP drop,
 * op 7, op 9 with d=true) dispatches are numbered and kept, and a RESUME with the last sequence
 * number the bot saw replays every later one before RESUMED. Only the last `keep` are kept; a
 * RESUME from further back is refused with op 9 d=false (the bot then identifies again).
 */
export class GatewaySession {
  readonly id = randomBytes(16).toString("hex");
  seq = 0;
  /** The connection it is live on; null while the bot is away. */
  connection: Connection | null = null;
  private readonly log: SessionDispatch[] = [];

  constructor(
    readonly intents: number,
    readonly shard: readonly [number, number],
    private readonly keep: number,
  ) {}

  /**
   * Whether Discord routes this event to the session: a server's events go to the shard
   * `(guild_id >> 22) % num_shards`, the rest (DMs, a DM's interactions) to shard 0 only.
   */
  receives(guildId: string | undefined): boolean {
    const [id, count] = this.shard;
    return guildId === undefined ? id === 0 : shardOf(guildId, count) === id;
  }

  /** Numbers the dispatch and keeps it for a resume; sends it at once when the bot is connected. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const entry: SessionDispatch = { s: this.seq, t, d, delivered: false };
    this.log.push(entry);
    if (this.log.length > this.keep) this.log.splice(0, this.log.length - this.keep);
    if (this.connection) this.deliver(this.connection, entry);
  }

  /** The dispatches after `seq`, or null when some of them are no longer kept (or `seq` was never sent). */
  since(seq: number): SessionDispatch[] | null {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.seq) return null;
    const first = this.log[0];
    if (seq < this.seq && (first === undefined || first.s > seq + 1)) return null;
    return this.log.filter((entry) => entry.s > seq);
  }

  /** Takes the session onto `connection`, replays what came after `seq` and sends RESUMED; returns how many it replayed. */
  resumeOn(connection: Connection, missed: readonly SessionDispatch[]): number {
    this.connection = connection;
    connection.session = this;
    for (const entry of missed) this.deliver(connection, entry);
    this.dispatch("RESUMED", {});
    return missed.length;
  }

  /** Dispatches the bot has not been sent: lost with the session when Discord invalidates it. */
  undelivered(): SessionDispatch[] {
    return this.log.filter((entry) => !entry.delivered);
  }

  private deliver(connection: Connection, entry: SessionDispatch): void {
    entry.delivered = true;
    connection.send({ op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d });
  }
}
