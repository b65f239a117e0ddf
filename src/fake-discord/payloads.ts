// Shapes of Discord objects built from the fake's plain descriptions (users, guilds, messages).
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from "discord.js";
import type {
  APIAttachment,
  ChannelFlags,
  GuildMemberFlags,
  RoleFlags,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
} from "discord.js";
import type { FakeChannel, FakeGuild, FakeMember, FakeUser, MessageBody, RecordedFile } from "./types.js";

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A fresh snowflake for the current time (discord.js derives createdTimestamp from it). */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** Fixed ids of the default world, so tests can refer to them. */
export const DEFAULT_IDS = {
  application: "1100000000000000001",
  bot: "1100000000000000001",
  guild: "1100000000000000010",
  channel: "1100000000000000020",
  otherChannel: "1100000000000000021",
  moderatorRole: "1100000000000000030",
  botRole: "1100000000000000031",
  alice: "1100000000000000040",
  bob: "1100000000000000041",
} as const;

export const DEFAULT_USERS = {
  alice: { id: DEFAULT_IDS.alice, username: "alice", globalName: "Alice" },
  bob: { id: DEFAULT_IDS.bob, username: "bob", globalName: "Bob" },
} as const satisfies Record<string, FakeUser>;

const P = PermissionFlagsBits;
/** What @everyone gets in a fresh Discord server, roughly. */
export const MEMBER_PERMISSIONS = (
  P.ViewChannel | P.SendMessages | P.SendMessagesInThreads | P.CreatePublicThreads | P.EmbedLinks | P.AttachFiles |
  P.AddReactions | P.UseExternalEmojis | P.ReadMessageHistory | P.MentionEveryone | P.UseApplicationCommands |
  P.Connect | P.Speak | P.ChangeNickname | P.CreateInstantInvite
).toString();
export const ADMIN_PERMISSIONS = "2147483647";
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n).toString();

/** One guild, two text channels, @everyone + Moderators + the bot's managed role; alice (plain member) and bob (moderator). */
export function defaultGuild(botUser: FakeUser): FakeGuild {
  const ids = DEFAULT_IDS;
  return {
    id: ids.guild,
    name: "Agora Test Server",
    ownerId: ids.bob,
    roles: [
      { id: ids.guild, name: "@everyone", permissions: MEMBER_PERMISSIONS, position: 0 },
      { id: ids.moderatorRole, name: "Moderators", permissions: ADMIN_PERMISSIONS, position: 2, color: 0x3498db },
      { id: ids.botRole, name: botUser.username, permissions: MEMBER_PERMISSIONS, position: 1, managed: true },
    ],
    channels: [
      { id: ids.channel, name: "general", topic: "Op-ed talk" },
      { id: ids.otherChannel, name: "quotes", topic: null },
    ],
    members: [
      { user: DEFAULT_USERS.alice, roles: [] },
      { user: DEFAULT_USERS.bob, roles: [ids.moderatorRole] },
      { user: botUser, roles: [ids.botRole] },
    ],
  };
}

export function apiUser(u: FakeUser): APIUser {
  return {
    id: u.id,
    username: u.username,
    discriminator: "0",
    global_name: u.globalName ?? null,
    avatar: null,
    ...(u.bot === true ? { bot: true } : {}),
  };
}

export function apiRole(guild: FakeGuild, r: FakeGuild["roles"][number]): APIRole {
  return {
    id: r.id,
    name: r.name,
    color: r.color ?? 0,
    colors: { primary_color: r.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: r.position ?? 0,
    permissions: r.permissions,
    managed: r.managed ?? false,
    mentionable: r.mentionable ?? false,
    flags: 0 as RoleFlags,
    ...(r.managed === true ? { tags: { bot_id: guild.members.find((m) => m.user.bot === true)?.user.id ?? r.id } } : {}),
  };
}

type GuildChannelPayload = GatewayGuildCreateDispatchData["channels"][number];

const THREAD_TYPES: readonly ChannelType[] = [ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread];

export function isThread(c: FakeChannel): boolean {
  return THREAD_TYPES.includes(c.type ?? ChannelType.GuildText);
}

export function apiChannel(guild: FakeGuild, c: FakeChannel, position: number): GuildChannelPayload {
  if (isThread(c)) {
    return {
      id: c.id,
      type: c.type,
      guild_id: guild.id,
      name: c.name,
      parent_id: c.parentId ?? null,
      owner_id: guild.ownerId,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0 as ChannelFlags,
      thread_metadata: { archived: c.archived === true, auto_archive_duration: 1440, archive_timestamp: "2024-01-01T00:00:00.000Z", locked: false },
    } as unknown as GuildChannelPayload;
  }
  return {
    id: c.id,
    type: c.type ?? ChannelType.GuildText,
    guild_id: guild.id,
    name: c.name,
    position,
    permission_overwrites: c.overwrites ?? [],
    nsfw: false,
    topic: c.topic ?? null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: c.parentId ?? null,
    flags: 0 as ChannelFlags,
  } as GuildChannelPayload;
}

export function apiMember(m: FakeMember): APIGuildMember {
  return {
    user: apiUser(m.user),
    nick: m.nick ?? null,
    avatar: null,
    roles: m.roles,
    joined_at: m.joinedAt ?? "2024-01-01T00:00:00.000Z",
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
  };
}

/** Guild-level permissions of a member: @everyone | member roles; Administrator means all. */
export function memberPermissions(guild: FakeGuild, m: FakeMember): string {
  let bits = 0n;
  for (const role of guild.roles) {
    if (role.id === guild.id || m.roles.includes(role.id)) bits |= BigInt(role.permissions);
  }
  if (guild.ownerId === m.user.id || (bits & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  return bits.toString();
}

/**
 * A member's permissions in a channel, as Discord computes them: guild permissions, then the
 * channel's overwrites for @everyone, the member's roles and the member; no View Channel means
 * none. A thread takes its parent's overwrites. (Implicit denials beyond View Channel are left out.)
 */
export function channelPermissions(guild: FakeGuild, m: FakeMember, channel: FakeChannel): bigint {
  const base = BigInt(memberPermissions(guild, m));
  if ((base & PermissionFlagsBits.Administrator) !== 0n || guild.ownerId === m.user.id) return BigInt(ALL_PERMISSIONS);
  const source = isThread(channel) ? (guild.channels.find((c) => c.id === channel.parentId) ?? channel) : channel;
  const overwrites = source.overwrites ?? [];
  const apply = (bits: bigint, list: typeof overwrites) => {
    const deny = list.reduce((d, o) => d | BigInt(o.deny), 0n);
    const allow = list.reduce((a, o) => a | BigInt(o.allow), 0n);
    return (bits & ~deny) | allow;
  };
  let bits = apply(base, overwrites.filter((o) => o.type === 0 && o.id === guild.id));
  bits = apply(bits, overwrites.filter((o) => o.type === 0 && o.id !== guild.id && m.roles.includes(o.id)));
  bits = apply(bits, overwrites.filter((o) => o.type === 1 && o.id === m.user.id));
  return (bits & PermissionFlagsBits.ViewChannel) === 0n ? 0n : bits;
}

/** The member of an interaction; `permissions` are those in the interaction's channel, as Discord sends them. */
export function interactionMember(guild: FakeGuild, m: FakeMember, channel?: FakeChannel): APIInteractionGuildMember {
  const permissions = channel ? channelPermissions(guild, m, channel).toString() : memberPermissions(guild, m);
  return { ...apiMember(m), user: apiUser(m.user), permissions };
}

/**
 * GUILD_CREATE payload. Like Discord, members only include everyone when the GuildMembers
 * intent was identified with; otherwise just the bot's own member.
 */
export function guildCreate(guild: FakeGuild, botId: string, withAllMembers: boolean): GatewayGuildCreateDispatchData {
  const members = withAllMembers ? guild.members : guild.members.filter((m) => m.user.id === botId);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: guild.roles.map((r) => apiRole(guild, r)),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: (guild.preferredLocale ?? Locale.EnglishUS) as Locale,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_members: 500000,
    joined_at: "2024-01-01T00:00:00.000Z",
    large: false,
    unavailable: false,
    member_count: guild.members.length,
    voice_states: [],
    members: members.map(apiMember),
    // Like Discord: channels and active threads apart; archived threads are not sent.
    channels: guild.channels.flatMap((c, i) => (isThread(c) ? [] : [apiChannel(guild, c, i)])),
    threads: guild.channels.flatMap((c, i) => (isThread(c) && c.archived !== true ? [apiChannel(guild, c, i)] : [])) as unknown as GatewayGuildCreateDispatchData["threads"],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function attachmentsFrom(files: readonly RecordedFile[], body: MessageBody): APIAttachment[] {
  const described = Array.isArray(body.attachments) ? (body.attachments as { id?: string | number; description?: string }[]) : [];
  return files.map((f, i) => {
    const id = snowflake();
    const meta = described[i];
    return {
      id,
      filename: f.filename,
      size: f.size,
      url: `https://cdn.fake-discord.invalid/attachments/${id}/${f.filename}`,
      proxy_url: `https://media.fake-discord.invalid/attachments/${id}/${f.filename}`,
      content_type: f.contentType,
      ...(meta?.description !== undefined ? { description: meta.description } : {}),
    };
  });
}

export interface MessageInit {
  channelId: string;
  guildId?: string | null;
  author: FakeUser;
  body: MessageBody;
  files?: readonly RecordedFile[];
  type?: MessageType;
  /** Set for interaction responses and follow-ups. */
  applicationId?: string;
  interaction?: APIMessage["interaction_metadata"];
  id?: string;
}

/** A full message object as Discord returns it. */
export function buildMessage(init: MessageInit): APIMessage {
  const { body } = init;
  const message: APIMessage = {
    id: init.id ?? snowflake(),
    channel_id: init.channelId,
    author: apiUser(init.author),
    content: typeof body.content === "string" ? body.content : "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: attachmentsFrom(init.files ?? [], body),
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as NonNullable<APIMessage["components"]>,
    pinned: false,
    type: init.type ?? MessageType.Default,
    flags: (body.flags ?? 0) & ~MessageFlags.SuppressNotifications,
  };
  if (init.applicationId !== undefined) {
    message.application_id = init.applicationId;
    message.webhook_id = init.applicationId;
  }
  if (init.interaction !== undefined) message.interaction_metadata = init.interaction;
  return message;
}

/** Apply an edit body to a message in place (keys present replace; files become attachments). */
export function applyEdit(message: APIMessage, body: MessageBody, files: readonly RecordedFile[] = []): APIMessage {
  if (typeof body.content === "string" || body.content === null) message.content = body.content ?? "";
  if (Array.isArray(body.embeds)) message.embeds = body.embeds;
  if (Array.isArray(body.components)) message.components = body.components as NonNullable<APIMessage["components"]>;
  if (typeof body.flags === "number") message.flags = body.flags;
  if (Array.isArray(body.attachments) || files.length > 0) {
    const kept = Array.isArray(body.attachments)
      ? message.attachments.filter((a) => (body.attachments as { id?: unknown }[]).some((b) => String(b.id) === a.id))
      : message.attachments;
    message.attachments = [...kept, ...attachmentsFrom(files, {})];
  }
  message.edited_timestamp = new Date().toISOString();
  return message;
}
