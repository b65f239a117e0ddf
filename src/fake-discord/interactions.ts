// Builders of INTERACTION_CREATE payloads, filled in from the fake's world (guild, member, permissions).
import { randomBytes } from "node:crypto";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
} from "discord.js";
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIChatInputApplicationCommandInteraction,
  APIEmbed,
  APIInteractionDataResolved,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  APIUserApplicationCommandInteraction,
} from "discord.js";
import { apiChannel, apiMember, apiUser, buildMessage, channelPermissions, interactionMember, memberPermissions, snowflake } from "./payloads.js";
import type { FakeState } from "./state.js";
import type { FakeGuild, FakeMember, FakeUser } from "./types.js";

/** Who invokes the interaction, and where. Defaults: the first guild, its first channel, alice (or the first human). */
export interface Invoker {
  user?: FakeUser;
  guildId?: string;
  channelId?: string;
  locale?: Locale;
}

/** Option values by name. Types come from the registered command when the fake knows it, else from the JS value
 *  (string → String, boolean → Boolean, integer → Integer, other number → Number). Pass API options for full control. */
export type OptionsInput = Record<string, string | number | boolean> | APIApplicationCommandInteractionDataBasicOption[];

export interface ChatInputSpec extends Invoker {
  name: string;
  options?: OptionsInput;
  subcommand?: string;
  subcommandGroup?: string;
  resolved?: APIInteractionDataResolved;
}
export interface AutocompleteSpec extends ChatInputSpec {
  /** Name of the option being typed in. */
  focused: string;
}
export interface ButtonSpec extends Invoker {
  customId: string;
  /** The message the button is on; default: a fresh bot message carrying that button. */
  message?: APIMessage;
}
export interface SelectMenuSpec extends Invoker {
  customId: string;
  values: string[];
  message?: APIMessage;
}
export interface MessageTarget {
  content: string;
  author?: FakeUser;
  embeds?: APIEmbed[];
}
export interface MessageContextMenuSpec extends Invoker {
  name: string;
  /** A message object, or just its content (and author, default bob), which then appears in the channel's history. */
  target: APIMessage | MessageTarget;
}
export interface UserContextMenuSpec extends Invoker {
  name: string;
  target: FakeUser;
}
export interface ModalSubmitSpec extends Invoker {
  customId: string;
  /** text input custom_id → value */
  fields: Record<string, string>;
  message?: APIMessage;
}

function inferType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === "string") return ApplicationCommandOptionType.String;
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
}

export class PayloadBuilder {
  constructor(private readonly state: FakeState) {}

  private where(spec: Invoker): { guild: FakeGuild; member: FakeMember; channelId: string } {
    const guild = spec.guildId === undefined ? this.state.guilds[0] : this.state.guilds.find((g) => g.id === spec.guildId);
    if (!guild) throw new Error(`fake-discord: no guild ${spec.guildId ?? "(none configured)"}`);
    const humans = guild.members.filter((m) => m.user.id !== this.state.botUser.id);
    const fallback = humans.find((m) => m.user.username === "alice") ?? humans[0];
    const member = spec.user
      ? (guild.members.find((m) => m.user.id === spec.user?.id) ?? { user: spec.user, roles: [] })
      : fallback;
    if (!member) throw new Error("fake-discord: the guild has no member to act as");
    const channelId = spec.channelId ?? guild.channels.find((c) => (c.type ?? 0) === 0)?.id;
    if (channelId === undefined || !guild.channels.some((c) => c.id === channelId)) {
      throw new Error(`fake-discord: no channel ${channelId ?? "(none)"} in guild ${guild.id}`);
    }
    return { guild, member, channelId };
  }

  private base<T extends InteractionType>(type: T, spec: Invoker) {
    const { guild, member, channelId } = this.where(spec);
    const index = guild.channels.findIndex((c) => c.id === channelId);
    const channel = guild.channels[index];
    if (!channel) throw new Error("unreachable");
    const bot = guild.members.find((m) => m.user.id === this.state.botUser.id) ?? { user: this.state.botUser, roles: [] };
    const guildLocale = (guild.preferredLocale ?? Locale.EnglishUS) as Locale;
    return {
      id: snowflake(),
      application_id: this.state.applicationId,
      type,
      token: `fake-interaction-token-${randomBytes(24).toString("hex")}`,
      version: 1 as const,
      guild_id: guild.id,
      guild: { id: guild.id, features: [], locale: guildLocale },
      channel_id: channelId,
      channel: apiChannel(guild, channel, index),
      member: interactionMember(guild, member, channel),
      app_permissions: channelPermissions(guild, bot, channel).toString(),
      locale: spec.locale ?? Locale.EnglishUS,
      guild_locale: guildLocale,
      entitlements: [],
      authorizing_integration_owners: { "0": guild.id },
      context: InteractionContextType.Guild,
      attachment_size_limit: 10_485_760,
      /** for builders */
      where: { guild, member, channelId },
    };
  }

  private strip<T extends { where: unknown }>(value: T): Omit<T, "where"> {
    const { where: _where, ...rest } = value;
    return rest;
  }

  private command(name: string, type: ApplicationCommandType, guildId: string) {
    const all = [...(this.state.commands.get(guildId) ?? []), ...(this.state.commands.get("global") ?? [])];
    return all.find((c) => c.name === name && c.type === type) ?? null;
  }

  private options(spec: ChatInputSpec, guildId: string, focused?: string): APIApplicationCommandInteractionDataOption[] {
    const registered = this.command(spec.name, ApplicationCommandType.ChatInput, guildId);
    let defs: readonly APIApplicationCommandOption[] = registered?.options ?? [];
    for (const level of [spec.subcommandGroup, spec.subcommand]) {
      if (level === undefined) continue;
      const def = defs.find((o) => o.name === level);
      defs = def && "options" in def && def.options ? def.options : [];
    }
    const input = spec.options ?? {};
    let leaves: APIApplicationCommandInteractionDataBasicOption[] = Array.isArray(input)
      ? input
      : Object.entries(input).map(([name, value]) => {
          const type = defs.find((d) => d.name === name)?.type ?? inferType(value);
          return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
        });
    if (focused !== undefined) {
      if (!leaves.some((o) => o.name === focused)) {
        leaves = [...leaves, { name: focused, type: ApplicationCommandOptionType.String, value: "" }];
      }
      leaves = leaves.map((o) => (o.name === focused ? ({ ...o, focused: true } as typeof o) : o));
    }
    if (spec.subcommand === undefined) return leaves;
    const sub = { type: ApplicationCommandOptionType.Subcommand as const, name: spec.subcommand, options: leaves };
    if (spec.subcommandGroup === undefined) return [sub];
    return [{ type: ApplicationCommandOptionType.SubcommandGroup, name: spec.subcommandGroup, options: [sub] }];
  }

  chatInput(spec: ChatInputSpec): APIChatInputApplicationCommandInteraction {
    const base = this.base(InteractionType.ApplicationCommand, spec);
    const { guild } = base.where;
    return {
      ...this.strip(base),
      data: {
        id: this.command(spec.name, ApplicationCommandType.ChatInput, guild.id)?.id ?? snowflake(),
        name: spec.name,
        type: ApplicationCommandType.ChatInput,
        options: this.options(spec, guild.id),
        ...(spec.resolved ? { resolved: spec.resolved } : {}),
      },
    };
  }

  autocomplete(spec: AutocompleteSpec): APIApplicationCommandAutocompleteInteraction {
    const base = this.base(InteractionType.ApplicationCommandAutocomplete, spec);
    const { guild } = base.where;
    return {
      ...this.strip(base),
      data: {
        id: this.command(spec.name, ApplicationCommandType.ChatInput, guild.id)?.id ?? snowflake(),
        name: spec.name,
        type: ApplicationCommandType.ChatInput,
        options: this.options(spec, guild.id, spec.focused),
      },
    };
  }

  /** A message from the bot in the given channel (stored in its history), e.g. to put buttons on. */
  botMessage(channelId: string, content: string, components: NonNullable<APIMessage["components"]> = []): APIMessage {
    const message = buildMessage({ channelId, author: { ...this.state.botUser, bot: true }, body: { content, components } });
    this.state.store(message);
    return message;
  }

  private component(spec: ButtonSpec | SelectMenuSpec, data: APIMessageComponentInteraction["data"]) {
    const base = this.base(InteractionType.MessageComponent, spec);
    const component =
      data.component_type === ComponentType.Button
        ? { type: ComponentType.Button, style: ButtonStyle.Secondary, label: spec.customId.slice(0, 80), custom_id: spec.customId } // Discord's label limit: 80
        : { type: ComponentType.StringSelect, custom_id: spec.customId, options: [] };
    const message =
      spec.message ??
      this.botMessage(base.where.channelId, "", [{ type: ComponentType.ActionRow, components: [component] }] as NonNullable<APIMessage["components"]>);
    return { ...this.strip(base), data, message } as APIMessageComponentInteraction;
  }

  button(spec: ButtonSpec): APIMessageComponentInteraction {
    return this.component(spec, { custom_id: spec.customId, component_type: ComponentType.Button });
  }

  selectMenu(spec: SelectMenuSpec): APIMessageComponentInteraction {
    return this.component(spec, { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values });
  }

  messageContextMenu(spec: MessageContextMenuSpec): APIMessageApplicationCommandInteraction {
    const base = this.base(InteractionType.ApplicationCommand, spec);
    const { guild, channelId } = base.where;
    let target: APIMessage;
    if ("id" in spec.target) target = spec.target;
    else {
      const author = spec.target.author ?? guild.members.find((m) => m.user.username === "bob")?.user ?? base.where.member.user;
      target = buildMessage({ channelId, author, body: { content: spec.target.content, embeds: spec.target.embeds ?? [] } });
      this.state.store(target);
    }
    return {
      ...this.strip(base),
      data: {
        id: this.command(spec.name, ApplicationCommandType.Message, guild.id)?.id ?? snowflake(),
        name: spec.name,
        type: ApplicationCommandType.Message,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    };
  }

  userContextMenu(spec: UserContextMenuSpec): APIUserApplicationCommandInteraction {
    const base = this.base(InteractionType.ApplicationCommand, spec);
    const { guild } = base.where;
    const member = guild.members.find((m) => m.user.id === spec.target.id);
    let resolvedMember = undefined;
    if (member) {
      const { user: _user, ...fields } = apiMember(member);
      resolvedMember = { [spec.target.id]: { ...fields, permissions: memberPermissions(guild, member) } };
    }
    return {
      ...this.strip(base),
      data: {
        id: this.command(spec.name, ApplicationCommandType.User, guild.id)?.id ?? snowflake(),
        name: spec.name,
        type: ApplicationCommandType.User,
        target_id: spec.target.id,
        resolved: {
          users: { [spec.target.id]: apiUser(spec.target) },
          ...(resolvedMember ? { members: resolvedMember } : {}),
        },
      },
    };
  }

  modalSubmit(spec: ModalSubmitSpec): APIModalSubmitInteraction {
    const base = this.base(InteractionType.ModalSubmit, spec);
    return {
      ...this.strip(base),
      data: {
        custom_id: spec.customId,
        components: Object.entries(spec.fields).map(([customId, value]) => ({
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
        })),
      },
      ...(spec.message ? { message: spec.message } : {}),
    };
  }
}
