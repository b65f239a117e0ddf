import {
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { knownTopics, topicChoices } from "../src/discord/autocomplete.js";
import { UserError, type BotContext, type ChatCommand } from "../src/discord/command.js";
import { renderDigestPayload } from "../src/discord/digest-message.js";
import { outcomeText, scheduleLine, statusReply, timestamp, timezoneChoices } from "../src/discord/digest-views.js";
import { escapeText } from "../src/discord/render.js";
import { respond } from "../src/discord/respond.js";
import { ScheduleError, canonicalTimezone, parseTime } from "../src/digest/schedule.js";
import { DigestStateError, type DigestScheduler } from "../src/digest/scheduler.js";
import { joinWithAnd } from "../src/text/attribution.js";
import { serverCommand, topicOption } from "./options.js";

const Sub = ApplicationCommandOptionType.Subcommand;

const data = {
  name: "digest",
  ...serverCommand,
  description: "A daily digest of passages and debates, posted in a channel at your server's time",
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  options: [
    {
      type: Sub,
      name: "setup",
      description: "Post the digest in a channel every day at a time in your time zone",
      options: [
        { type: ApplicationCommandOptionType.Channel, name: "channel", description: "Where to post it", required: true, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
        { type: ApplicationCommandOptionType.String, name: "time", description: "When, as HH:MM on a 24-hour clock, e.g. 08:30", required: true, min_length: 3, max_length: 5 },
        { type: ApplicationCommandOptionType.String, name: "timezone", description: "Your time zone, e.g. Europe/Kyiv (type a city)", required: true, autocomplete: true, max_length: 64 },
        { ...topicOption, description: "Keep to one topic (default: rotate through the library's topics)" },
        { type: ApplicationCommandOptionType.Role, name: "role", description: "A role to mention in each digest (the only mention it makes)" },
      ],
    },
    { type: Sub, name: "status", description: "Channel, time, next run, last post and last error" },
    { type: Sub, name: "preview", description: "See privately exactly what today's digest is" },
    { type: Sub, name: "now", description: "Post today's digest now (it counts as today's)" },
    { type: Sub, name: "off", description: "Stop the daily digest" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/**
 * What the bot needs in the digest channel, with the names Discord shows. Read Message History
 * is what lets it see, after a crash, whether the day's digest went out, so it never posts twice.
 */
const REQUIRED = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
] as const;

/** What the member setting it up needs there: to see the channel and post in it themselves. */
const MEMBER_REQUIRED = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
] as const;


async function setup(interaction: ChatInputCommandInteraction<"cached" | "raw">, digest: DigestScheduler, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const channelId = String(interaction.options.get("channel", true).value);
  const time = parseTime(interaction.options.getString("time", true)).label;
  const typedZone = interaction.options.getString("timezone", true);
  const timezone = canonicalTimezone(typedZone);
  if (timezone === null) throw new UserError(`“${escapeText(typedZone)}” is not a time zone I know. Pick one from the suggestions, e.g. Europe/Kyiv or America/New_York.`);
  const topic = interaction.options.getString("topic")?.trim() || null;
  if (topic !== null && ctx.engine.search(topic, { limit: 1 }).length === 0) throw new UserError(`The library has nothing on “${escapeText(topic)}”. Pick a topic from the suggestions.`);
  const roleValue = interaction.options.get("role")?.value;
  const roleId = roleValue === undefined ? null : String(roleValue);
  if (roleId === guildId) throw new UserError("The digest won't mention @everyone: pick a role people can opt into.");

  const guild = interaction.guild ?? (await interaction.client.guilds.fetch(guildId));
  const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
  if (!channel || !channel.isTextBased() || channel.isThread()) throw new UserError("I can't find that channel, or it isn't a text channel.");
  const me = guild.members.me ?? (await guild.members.fetchMe());
  const permissions = channel.permissionsFor(me);
  const missing = REQUIRED.filter(([flag]) => !permissions.has(flag)).map(([, name]) => name);
  if (missing.length > 0) {
    const why = missing.includes("Read Message History") ? " (Read Message History lets me check, after a restart, what I already posted, so a digest is never posted twice.)" : "";
    throw new UserError(`I can't post the digest in <#${channelId}>: I'm missing **${joinWithAnd(missing)}** there. Give me ${missing.length === 1 ? "it" : "them"} in that channel (or on my role), then run /digest setup again.${why}`);
  }
  // The member's own rights in that channel: the digest posts where they could post, and pings only a role they could ping.
  const member = interaction.inCachedGuild() ? interaction.member : await guild.members.fetch(interaction.user.id);
  const theirs = channel.permissionsFor(member);
  const lacking = MEMBER_REQUIRED.filter(([flag]) => !theirs.has(flag)).map(([, name]) => `**${name}**`);
  if (lacking.length > 0) throw new UserError(`You can't post in <#${channelId}> yourself: you're missing ${joinWithAnd(lacking)} there. Pick a channel you can post in.`);
  const role = roleId === null ? null : (guild.roles.cache.get(roleId) ?? (await guild.roles.fetch(roleId).catch(() => null)));
  if (roleId !== null && !role) throw new UserError("I can't find that role.");
  if (role && !role.mentionable && !theirs.has(PermissionFlagsBits.MentionEveryone)) {
    throw new UserError(
      `<@&${role.id}> isn't mentionable, and you don't have **Mention @everyone, @here, and All Roles** in <#${channelId}>: pick a role anyone may mention, or ask someone who has that permission.`,
    );
  }
  const saved = await digest.setup({ guildId, channelId, time, timezone, topic, roleId });
  const next = (await digest.status(guildId)).next;
  const lines = [
    `The daily digest will post in ${scheduleLine(saved)}.`,
    next ? `First one: ${timestamp(next.at, "F")} (${timestamp(next.at, "R")}).` : "",
    roleId !== null ? `It will mention <@&${roleId}> and nobody else.` : "It mentions nobody.",
    role?.mentionable === false && !permissions.has(PermissionFlagsBits.MentionEveryone)
      ? "Note: that role isn't mentionable and I lack **Mention @everyone, @here, and All Roles**, so Discord will show the mention without pinging."
      : "",
    "See it first with `/digest preview`.",
  ];
  await respond(interaction, { content: lines.filter(Boolean).join("\n"), ephemeral: true });
}

export const digestCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction, _args, ctx) {
    if (!interaction.inGuild()) throw new UserError("The daily digest belongs to a server: use /digest in one.");
    const digest = ctx.digest;
    if (!digest) throw new UserError("The daily digest isn't available: this bot runs without a database.");
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const guildId = interaction.guildId;
    try {
      switch (interaction.options.getSubcommand(true)) {
        case "setup":
          return await setup(interaction, digest, ctx);
        case "status":
          return await respond(interaction, statusReply(await digest.status(guildId)));
        case "preview": {
          // Exactly the post, through the same renderer; only the ping is left out, as this copy is for you alone.
          const { mentionRoleId: _ping, ...reply } = renderDigestPayload((await digest.preview(guildId)).payload);
          return await respond(interaction, { ...reply, ephemeral: true });
        }
        case "now":
          return await respond(interaction, { content: outcomeText(await digest.postNow(guildId)), ephemeral: true });
        case "off": {
          const was = await digest.off(guildId);
          return await respond(interaction, { content: was ? "The daily digest is off. `/digest setup` turns it on again; it remembers which passages it has used." : "There was no daily digest here.", ephemeral: true });
        }
        default:
          throw new UserError("Unknown /digest subcommand.");
      }
    } catch (error) {
      if (error instanceof DigestStateError || error instanceof ScheduleError) throw new UserError(error.message);
      throw error;
    }
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value);
    await interaction.respond(focused.name === "timezone" ? timezoneChoices(typed) : focused.name === "topic" ? topicChoices(knownTopics(ctx), typed) : []);
  },
};
