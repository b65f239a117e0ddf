import type { ApplicationCommandOptionChoiceData } from "discord.js";
import type { DigestStatus, PostOutcome } from "../digest/scheduler.js";
import { timezoneNames, utcOffsetLabel } from "../digest/schedule.js";
import type { DigestRun, DigestSettings } from "../digest/store.js";
import { prepareChoices, rankChoices } from "./autocomplete.js";
import { COLOUR, escapeText, LIMITS, truncate, type Reply } from "./render.js";

/** What the /digest commands show: status, outcomes of a post, time-zone suggestions. */

export const timestamp = (at: number, style: "F" | "R" | "T" | "D") => `<t:${Math.floor(at / 1000)}:${style}>`;

export function messageLink(run: Pick<DigestRun, "guildId" | "channelId" | "messageId">): string {
  return `https://discord.com/channels/${run.guildId}/${run.channelId}/${run.messageId ?? ""}`;
}

let zones: ReturnType<typeof prepareChoices> | undefined;

/** Time zones matching what was typed ("kyiv" → Europe/Kyiv), each with its current UTC offset. */
export function timezoneChoices(typed: string, now = Date.now()): ApplicationCommandOptionChoiceData<string>[] {
  zones ??= prepareChoices(timezoneNames().map((zone) => ({ name: zone, value: zone, keywords: zone.replace(/[/_]/g, " ") })));
  const ranked = rankChoices(zones, typed);
  return ranked.map((choice) => ({ name: truncate(`${choice.value} (${utcOffsetLabel(choice.value, now)})`, LIMITS.choiceName), value: choice.value }));
}

export function scheduleLine(settings: Pick<DigestSettings, "channelId" | "time" | "timezone">): string {
  return `<#${settings.channelId}> every day at **${settings.time}** (${escapeText(settings.timezone)})`;
}

export function statusReply(status: DigestStatus): Reply {
  const { settings, next, lastPost, today } = status;
  const state = !settings.enabled ? "Off — `/digest setup` turns it on again." : settings.pausedReason !== null ? "**Paused** because of the last error." : "On";
  const fields = [
    { name: "State", value: state, inline: true },
    { name: "Schedule", value: scheduleLine(settings) },
    { name: "Next run", value: next ? `${timestamp(next.at, "F")} (${timestamp(next.at, "R")})` : "none while it is off or paused", inline: true },
    { name: "Topic", value: settings.topic !== null ? escapeText(settings.topic) : "rotating through the library's topics", inline: true },
    { name: "Mentions", value: settings.roleId !== null ? `<@&${settings.roleId}> only` : "nobody", inline: true },
    {
      name: "Last post",
      value: lastPost?.messageId ? `${messageLink(lastPost)} (${lastPost.localDate}${lastPost.sentAt !== null ? `, ${timestamp(lastPost.sentAt, "R")}` : ""})` : "none yet",
    },
    {
      name: "Last error",
      value:
        settings.lastError !== null
          ? `${escapeText(settings.lastError)}${settings.lastErrorAt !== null ? ` (${timestamp(settings.lastErrorAt, "R")})` : ""}${
              settings.pausedReason !== null ? "\n**The digest is paused because of it.** Fix it, then run `/digest setup` again (or `/digest now` to test)." : ""
            }`
          : "none",
    },
  ];
  if (today && today.status !== "sent") fields.push({ name: "Today", value: `${today.status}${today.error !== null ? `: ${escapeText(today.error)}` : ""}` });
  return { embeds: [{ color: COLOUR, title: "Daily digest", fields }], ephemeral: true };
}

export function outcomeText(outcome: PostOutcome): string {
  const { run } = outcome;
  switch (outcome.kind) {
    case "sent":
      return `Posted today's digest in <#${run.channelId}>: ${messageLink(run)}. It counts as today's, so the scheduled one won't post again.`;
    case "already":
      return `Today's digest (${run.localDate}) is already posted: ${messageLink(run)}. There is one per day.`;
    case "busy":
      return `Today's digest is being posted or waiting to retry${run.nextAttemptAt !== null ? ` (next try ${timestamp(run.nextAttemptAt, "R")})` : ""}; see \`/digest status\`.`;
    case "failed":
      if (outcome.paused) return `I couldn't post in <#${run.channelId}>: ${escapeText(outcome.error)}. The digest is paused until you fix that and run \`/digest setup\` again.`;
      if (outcome.retrying) return `Discord had a problem (${escapeText(outcome.error)}); I'll try again ${run.nextAttemptAt !== null ? timestamp(run.nextAttemptAt, "R") : "soon"}.`;
      return `Today's digest could not be posted: ${escapeText(outcome.error)}.`;
  }
}
