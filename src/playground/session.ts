import { ApplicationCommandType, PermissionFlagsBits } from "discord.js";
import type { APIApplicationCommand, APIInteraction, APIInteractionDataResolved, APIMessage } from "discord.js";
import { createBot, type Bot, type BotOptions } from "../discord/client.js";
import type { BotCommands } from "../discord/command.js";
import { registerCommands } from "../discord/register.js";
import type { Engine } from "../engine.js";
import { DEFAULT_IDS, apiChannel, apiRole, apiUser, channelPermissions, memberPermissions, startFakeDiscord, type FakeDiscord, type FakeGuild, type FakeMember } from "../fake-discord/index.js";
import type { Logger } from "../logging.js";
import type { Database } from "../storage/db.js";
import { sqliteStorage } from "../storage/storage.js";
import { PlaygroundClock } from "./clock.js";
import { checkCommandLine, readCommandLine, type CheckedCommand, type Mentionables } from "./command-line.js";
import { messageView, type MessageView, type ViewContext } from "./message-view.js";
import { suggest, type Suggestions } from "./suggest.js";
import { displayName, mayUse, memberView, playgroundGuild, PLAYGROUND_GUILD_ID, type MemberView } from "./world.js";

export type PlaygroundEvent = { type: "upsert"; message: MessageView } | { type: "delete"; id: string } | { type: "clock"; now: number };

/** What happened to an action from the page: done, or the note Discord's client would show instead. */
export type ActionResult = { ok: true } | { ok: false; error: string };

export interface PlaygroundOptions {
  engine: Engine;
  commands: BotCommands;
  commandPayloads: () => Parameters<typeof registerCommands>[0]["payloads"];
  database: Database;
  logger: Logger;
  /** Commands and autocomplete answers per member per window; the bot's own defaults (as on Discord) unless given. */
  rateLimits?: Pick<BotOptions, "rateLimit" | "autocompleteRateLimit">;
  /** Hybrid search, when an embeddings provider is configured (src/embeddings/). */
  hybrid?: BotOptions["hybrid"];
}

const NO_RESPONSE = "The application did not respond";

/**
 * The real bot on the fake Discord, plus what the page needs: every message it can show (ephemeral
 * ones with whom they are for), the members to act as, and actions that become real interactions.
 */
export class Playground {
  private readonly messages = new Map<string, APIMessage>();
  private readonly labels = new Map<string, string>();
  private readonly listeners = new Set<(event: PlaygroundEvent) => void>();
  private readonly view: ViewContext;

  private constructor(
    readonly fake: FakeDiscord,
    readonly bot: Bot,
    readonly guild: FakeGuild,
    /** The digest's clock, which the clock control moves forward. */
    readonly clock: PlaygroundClock,
  ) {
    const guildRef = guild;
    this.view = {
      user: (id) => displayName(guildRef, id),
      channel: (id) => guildRef.channels.find((c) => c.id === id)?.name ?? null,
      role: (id) => guildRef.roles.find((r) => r.id === id)?.name.replace(/^@/, "") ?? null,
      interactionLabel: (id) => this.labels.get(id) ?? null,
      message: (channelId, id) => this.messages.get(id) ?? fake.channelMessages(channelId).find((m) => m.id === id) ?? null,
    };
    fake.onMessage((change, message) => {
      if (change === "delete") {
        this.messages.delete(message.id);
        this.emit({ type: "delete", id: message.id });
        return;
      }
      const copy = structuredClone(message);
      this.messages.set(copy.id, copy);
      this.emit({ type: "upsert", message: messageView(copy, this.view) });
    });
  }

  static async start(options: PlaygroundOptions): Promise<Playground> {
    const guild = playgroundGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
    const fake = await startFakeDiscord({ guilds: [guild] });
    await registerCommands({ payloads: options.commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: PLAYGROUND_GUILD_ID, apiUrl: fake.apiUrl });
    const clock = new PlaygroundClock();
    const bot = createBot({ commands: options.commands, token: fake.botToken, engine: options.engine, logger: options.logger, apiUrl: fake.apiUrl, storage: sqliteStorage(options.database), digest: { clock }, hybrid: options.hybrid, ...options.rateLimits });
    await bot.start();
    return new Playground(fake, bot, guild, clock);
  }

  subscribe(listener: (event: PlaygroundEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PlaygroundEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The server as the page shows it: channels, members, the commands each member is offered. */
  async world() {
    const commands = this.commands();
    return {
      guild: { id: this.guild.id, name: this.guild.name },
      channels: this.guild.channels.map((c) => ({ id: c.id, name: c.name, topic: c.topic ?? null })),
      members: this.guild.members.map((m) => ({
        ...memberView(this.guild, m),
        commands: commands.filter((c) => c.type === ApplicationCommandType.ChatInput && mayUse(this.guild, m, c.default_member_permissions)).map((c) => c.name),
      })) satisfies MemberView[],
      commands: commands.map((c) => ({ name: c.name, type: c.type, description: c.description })),
      clock: this.clock.now(),
      digest: await this.digestState(),
    };
  }

  /** Every message the page may show, oldest first (ephemeral ones carry whom they are for). */
  messageViews(): MessageView[] {
    return [...this.messages.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).map((m) => messageView(m, this.view));
  }

  private commands(): APIApplicationCommand[] {
    return this.fake.registeredCommands({ guildId: this.guild.id });
  }

  private member(userId: string): FakeMember {
    const member = this.guild.members.find((m) => m.user.id === userId && m.user.bot !== true);
    if (!member) throw new Error(`no member ${userId} to act as`);
    return member;
  }

  private channelId(channelId: string | undefined): string {
    return this.guild.channels.some((c) => c.id === channelId) ? (channelId as string) : (this.guild.channels[0]?.id ?? "");
  }

  private readonly mentionables: Mentionables = {
    user: (text) => {
      const t = text.replace(/^<@!?(\d+)>$/, "$1").replace(/^@/, "").toLowerCase();
      return this.guild.members.find((m) => m.user.id === t || m.user.username.toLowerCase() === t || (m.user.globalName ?? "").toLowerCase() === t)?.user.id ?? null;
    },
    channel: (text) => {
      const t = text.replace(/^<#(\d+)>$/, "$1").replace(/^#/, "").toLowerCase();
      const c = this.guild.channels.find((ch) => ch.id === t || ch.name.toLowerCase() === t);
      return c ? { id: c.id, type: c.type ?? 0 } : null;
    },
    role: (text) => {
      const t = text.replace(/^<@&(\d+)>$/, "$1").replace(/^@/, "").toLowerCase();
      return this.guild.roles.find((r) => r.id === t || r.name.replace(/^@/, "").toLowerCase() === t)?.id ?? null;
    },
  };

  /** The interaction's `resolved` data for the users, channels and roles its options name, as Discord sends it. */
  private resolved(refers: CheckedCommand["refers"], invoker: FakeMember): APIInteractionDataResolved | undefined {
    const { guild } = this;
    const users = refers.users.flatMap((id) => guild.members.filter((m) => m.user.id === id));
    const channels = refers.channels.flatMap((id) => guild.channels.flatMap((c, i) => (c.id === id ? [{ c, i }] : [])));
    const roles = refers.roles.flatMap((id) => guild.roles.filter((r) => r.id === id));
    if (users.length + channels.length + roles.length === 0) return undefined;
    const resolved: Record<string, unknown> = {
      ...(users.length ? { users: Object.fromEntries(users.map((m) => [m.user.id, apiUser(m.user)])) } : {}),
      ...(users.length
        ? { members: Object.fromEntries(users.map((m) => [m.user.id, { roles: m.roles, joined_at: "2024-01-01T00:00:00.000Z", nick: m.nick ?? null, avatar: null, flags: 0, permissions: memberPermissions(guild, m) }])) }
        : {}),
      ...(channels.length
        ? { channels: Object.fromEntries(channels.map(({ c, i }) => [c.id, { ...apiChannel(guild, c, i), permissions: channelPermissions(guild, invoker, c).toString() }])) }
        : {}),
      ...(roles.length ? { roles: Object.fromEntries(roles.map((r) => [r.id, apiRole(guild, r)])) } : {}),
    };
    return resolved;
  }

  /** What the composer offers for a line being typed: commands, subcommands, options, or the bot's own autocomplete. */
  async suggest(userId: string, channelId: string | undefined, line: string): Promise<Suggestions> {
    const member = this.member(userId);
    const offered = this.commands().filter((c) => mayUse(this.guild, member, c.default_member_permissions));
    return suggest(line, offered, {
      guild: this.guild,
      autocomplete: async (spec) => {
        const payload = this.fake.payloads.autocomplete({ ...spec, user: member.user, channelId: this.channelId(channelId) });
        const reply = await this.fake.interact(payload).catch(() => null);
        return reply?.callback.data?.choices ?? [];
      },
    });
  }

  /** Enter in the composer: a slash command becomes an interaction, anything else a plain message. */
  async send(userId: string, channelId: string | undefined, line: string): Promise<ActionResult> {
    const member = this.member(userId);
    const channel = this.channelId(channelId);
    const text = line.trim();
    if (text === "") return { ok: false, error: "Type a message or a command." };
    const read = readCommandLine(text, this.commands());
    if (read.kind === "text") {
      // Discord's composer refuses a message over its 2,000-character limit.
      if (text.length > 2000) return { ok: false, error: `Your message is ${text.length} characters long; Discord allows 2000.` };
      this.fake.postAs(member.user, channel, text);
      return { ok: true };
    }
    const command = read.kind === "command" ? read.line.command : read.command;
    if (!mayUse(this.guild, member, command.default_member_permissions)) {
      const needs = command.default_member_permissions === PermissionFlagsBits.ManageGuild.toString() ? "Manage Server" : "a permission you don't have";
      return { ok: false, error: `/${command.name} isn't offered to you: it needs ${needs} (act as a moderator in the member list).` };
    }
    if (read.kind === "needs-subcommand") return { ok: false, error: `Pick a subcommand: ${read.choices.map((c) => c.name).join(", ")}.` };
    let checked: CheckedCommand;
    try {
      checked = checkCommandLine(read.line, this.mentionables);
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
    const resolved = this.resolved(checked.refers, member);
    const payload = this.fake.payloads.chatInput({ ...checked, ...(resolved ? { resolved } : {}), user: member.user, channelId: channel });
    const label = ["/" + checked.name, checked.subcommandGroup, checked.subcommand].filter(Boolean).join(" ");
    return this.interact(payload, label);
  }

  /** A click on a button of a message the member can see. */
  async click(userId: string, messageId: string, customId: string): Promise<ActionResult> {
    const member = this.member(userId);
    const message = this.messages.get(messageId);
    if (!message) return { ok: false, error: "That message is gone." };
    const payload = this.fake.payloads.button({ customId, message: structuredClone(message), user: member.user, channelId: message.channel_id });
    return this.interact(payload, null);
  }

  /** Apps → a message menu command (Find passages) on a message. */
  async messageMenu(userId: string, messageId: string, name: string): Promise<ActionResult> {
    const member = this.member(userId);
    const message = this.messages.get(messageId);
    if (!message) return { ok: false, error: "That message is gone." };
    const payload = this.fake.payloads.messageContextMenu({ name, target: structuredClone(message), user: member.user, channelId: message.channel_id });
    return this.interact(payload, name);
  }

  private async interact(payload: APIInteraction, label: string | null): Promise<ActionResult> {
    if (label !== null) this.labels.set(payload.id, label);
    try {
      await this.fake.interact(payload);
      return { ok: true };
    } catch {
      // Discord's client says this when the bot sends no callback within 3 s.
      return { ok: false, error: NO_RESPONSE };
    }
  }

  private async digestState(): Promise<{ time: string; timezone: string; channelId: string; next: number | null } | null> {
    const scheduler = this.bot.digest;
    const settings = await scheduler?.store.settings(this.guild.id);
    if (!scheduler || !settings?.enabled) return null;
    return { time: settings.time, timezone: settings.timezone, channelId: settings.channelId, next: (await scheduler.status(this.guild.id)).next?.at ?? null };
  }

  /**
   * The clock control: moves the digest's clock to the next scheduled time (a second past it) and
   * lets the scheduler run, so the day's post arrives as it would at that time.
   */
  async runDigestDay(): Promise<ActionResult & { at?: number }> {
    const scheduler = this.bot.digest;
    const state = await this.digestState();
    if (!scheduler || !state || state.next === null) return { ok: false, error: "No daily digest is set up here: run /digest setup first (as a member with Manage Server)." };
    this.clock.jumpTo(state.next + 1_000);
    this.emit({ type: "clock", now: this.clock.now() });
    await scheduler.tick();
    return { ok: true, at: state.next };
  }

  async close(): Promise<void> {
    await this.bot.stop();
    await this.fake.close();
  }
}
