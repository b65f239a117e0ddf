import { PermissionFlagsBits } from "discord.js";
import { DEFAULT_IDS, defaultGuild, memberPermissions, type FakeGuild, type FakeMember, type FakeUser } from "../fake-discord/index.js";

/** The pretend server: the fake Discord's default one (alice, a member; bob, a moderator with Manage Server). */
export function playgroundGuild(botUser: FakeUser): FakeGuild {
  const guild = defaultGuild(botUser);
  guild.name = "Agora Playground";
  return guild;
}

export const PLAYGROUND_GUILD_ID = DEFAULT_IDS.guild;

export interface MemberView {
  id: string;
  name: string;
  username: string;
  bot: boolean;
  roles: string[];
  /** Whether the member has Manage Server, the default permission of /digest. */
  manageServer: boolean;
  /** Guild permissions as a decimal string. */
  permissions: string;
}

export function memberView(guild: FakeGuild, member: FakeMember): MemberView {
  const permissions = memberPermissions(guild, member);
  return {
    id: member.user.id,
    name: member.nick ?? member.user.globalName ?? member.user.username,
    username: member.user.username,
    bot: member.user.bot === true,
    roles: member.roles.flatMap((id) => guild.roles.find((r) => r.id === id)?.name ?? []),
    manageServer: (BigInt(permissions) & PermissionFlagsBits.ManageGuild) !== 0n,
    permissions,
  };
}

/** Whether Discord would offer a command with these default member permissions to this member. */
export function mayUse(guild: FakeGuild, member: FakeMember, defaultMemberPermissions: string | null | undefined): boolean {
  if (defaultMemberPermissions === null || defaultMemberPermissions === undefined) return true;
  const needed = BigInt(defaultMemberPermissions);
  return (BigInt(memberPermissions(guild, member)) & needed) === needed;
}

/** Someone's display name in this guild, as Discord shows it next to their messages and in mentions. */
export function displayName(guild: FakeGuild, userId: string): string | null {
  const member = guild.members.find((m) => m.user.id === userId);
  return member ? (member.nick ?? member.user.globalName ?? member.user.username) : null;
}
