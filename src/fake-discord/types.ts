// Public types of the fake Discord: the end-to-end tests and the playground (src/playground/) drive the bot through it.
import type { APIEmbed, APIMessage, ChannelType } from "discord.js";

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  /** Permission bitfield as a decimal string, as Discord sends it. */
  permissions: string;
  position?: number;
  color?: number;
  managed?: boolean;
  /** Whether anyone may mention the role (default false, as Discord creates roles). */
  mentionable?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Defaults to ChannelType.GuildText. A thread (a forum post is a public thread in a forum) needs `parentId`. */
  type?:
    | ChannelType.GuildText
    | ChannelType.GuildAnnouncement
    | ChannelType.GuildCategory
    | ChannelType.GuildForum
    | ChannelType.PublicThread
    | ChannelType.PrivateThread
    | ChannelType.AnnouncementThread;
  topic?: string | null;
  /** The category of a channel, or the channel (text, announcement, forum) a thread belongs to. */
  parentId?: string | null;
  /** Permission overwrites, as Discord sends them (e.g. deny Embed Links to the bot's role). A thread uses its parent's. */
  overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
  /** A thread that is archived: like Discord, GUILD_CREATE leaves it out, so discord.js has not cached it. */
  archived?: boolean;
}

export interface FakeMember {
  user: FakeUser;
  /** Role ids, without @everyone (whose id is the guild id). */
  roles: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** Must include the @everyone role, whose id equals the guild id. */
  roles: FakeRole[];
  channels: FakeChannel[];
  members: FakeMember[];
  preferredLocale?: string;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUser?: Partial<FakeUser>;
  botToken?: string;
  guilds?: FakeGuild[];
  /** Gateway heartbeat interval sent in HELLO (ms). Default 41250, as Discord. */
  heartbeatIntervalMs?: number;
  /** How long interact() waits for the callback before failing. Default 3000 (Discord's own limit). */
  callbackTimeoutMs?: number;
  /** How long a repeated message nonce (with enforce_nonce) returns the earlier message. Default 5 min. */
  nonceWindowMs?: number;
  /**
   * The shard count GET /gateway/bot recommends, and the least the gateway accepts: an IDENTIFY with
   * fewer closes with 4011 (sharding required), a shard id outside its count with 4010. Each session
   * gets the servers (and their events) of its shard, `(guild_id >> 22) % num_shards`. Default 1.
   */
  shards?: number;
  /** `session_start_limit.max_concurrency` in GET /gateway/bot: shards that may identify at once (discord.js waits 5 s between others). Default 1. */
  maxConcurrency?: number;
}

/**
 * Makes POST /channels/:id/messages fail, as Discord does: 403 Missing Permissions (50013, or
 * `code`), 404 Unknown Channel, 429 with retry-after, 5xx. `times` failures (default: until
 * cleared); with `afterCreate`, the message is created first and only the answer is an error
 * (a response lost after Discord acted).
 */
export interface ChannelPostFailure {
  status: 403 | 404 | 429 | 500 | 502 | 503;
  /** Only this channel; every channel when omitted. */
  channelId?: string;
  code?: number;
  times?: number;
  retryAfterSeconds?: number;
  afterCreate?: boolean;
}

/**
 * Makes REST requests fail with a server error before the route runs (Discord did nothing), or with
 * `afterHandling` after it ran (Discord acted; only its answer was lost). The next `times` requests
 * that match (default 1), e.g. `{ status: 503, times: 3, path: "/interactions/:id/:token/callback" }`.
 */
export interface RestFailure {
  status: 500 | 502 | 503 | 504;
  /** A route pattern as the fake's routes spell them (`:name` matches one segment); every path when omitted. */
  path?: string;
  /** Only this HTTP method; every method when omitted. */
  method?: string;
  times?: number;
  afterHandling?: boolean;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The file's bytes, as uploaded. */
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, percent-decoded per segment (so `@original`, not `%40original`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body; undefined when empty. */
  body: unknown;
  files: RecordedFile[];
  headers: Record<string, string>;
  /** The Authorization header as sent, or null. */
  authorization: string | null;
  /** True when Authorization is exactly `Bot <botToken>`. */
  authorized: boolean;
  /** performance.now() when the request arrived. */
  at: number;
  /** HTTP status the fake answered (set once handled). */
  status: number;
}

/** The loose shape of message-ish request bodies (callback data, edits, follow-ups, channel.send). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
  attachments?: unknown[];
  tts?: boolean;
  choices?: { name: string; value: string | number }[];
  custom_id?: string;
  title?: string;
  [key: string]: unknown;
}

export interface FakeCallback {
  type: number;
  data?: MessageBody;
}

export interface FakeReply {
  readonly interactionId: string;
  readonly token: string;
  readonly callback: FakeCallback;
  /** interaction sent over the gateway → callback request received, in ms. */
  readonly latencyMs: number;
  /** Every PATCH of @original so far (bodies). */
  readonly edits: readonly MessageBody[];
  /** Every follow-up POST so far (bodies). */
  readonly followUps: readonly MessageBody[];
  /** Resolves with the next edit not yet returned by an earlier call (past or future). */
  waitForEdit(timeoutMs?: number): Promise<MessageBody>;
  /** Resolves with the next follow-up not yet returned by an earlier call (past or future). */
  waitForFollowUp(timeoutMs?: number): Promise<MessageBody>;
  /** The original response message as it stands now (callback data merged with edits), or null. */
  original(): APIMessage | null;
  /** Follow-up messages as they stand now (with their edits). */
  followUpMessages(): APIMessage[];
}

/**
 * A message was created, edited or deleted (ephemeral ones included: `flags` has Ephemeral and
 * `interaction_metadata.user` is who sees it). The message is the fake's own object: copy it to keep it.
 */
export type MessageListener = (change: "create" | "update" | "delete", message: APIMessage) => void;
