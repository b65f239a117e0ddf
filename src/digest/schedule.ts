import { createHash } from "node:crypto";
import { Cron } from "croner";

/** Time-zone arithmetic for the daily digest: local dates, scheduled instants, nonces, shard ownership. */

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

/** Parses "HH:MM" (24-hour; "8:05" is accepted too), naming the part that is wrong. */
export function parseTime(text: string): { hour: number; minute: number; label: string } {
  const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!match) throw new ScheduleError(`“${text}” is not a time: write it as HH:MM, 24-hour, e.g. 08:30 or 18:00.`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23) throw new ScheduleError(`“${text}”: the hour must be 00–23.`);
  if (minute > 59) throw new ScheduleError(`“${text}”: the minutes must be 00–59.`);
  const label = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  return { hour, minute, label };
}

/** Old IANA spellings that the runtime may still list as canonical, with today's names. */
const RENAMED: Record<string, string> = {
  "Europe/Kiev": "Europe/Kyiv",
  "Europe/Uzhgorod": "Europe/Uzhhorod",
  "Europe/Zaporozhye": "Europe/Zaporizhzhia",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "America/Godthab": "America/Nuuk",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
};

function accepted(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let zones: string[] | undefined;
/** Every IANA time zone the runtime knows, under its current name, plus UTC. */
export function timezoneNames(): string[] {
  zones ??= [
    ...new Set(["UTC", ...Intl.supportedValuesOf("timeZone").map((zone) => (RENAMED[zone] && accepted(RENAMED[zone]) ? RENAMED[zone] : zone))]),
  ];
  return zones;
}

/** The zone's current name for what was typed (any case, old names too), or null when it is not a zone. */
export function canonicalTimezone(input: string): string | null {
  const wanted = input.trim().toLowerCase();
  if (wanted === "") return null;
  const known = timezoneNames().find((zone) => zone.toLowerCase() === wanted);
  if (known) return known;
  const renamed = Object.entries(RENAMED).find(([old]) => old.toLowerCase() === wanted)?.[1];
  if (renamed && accepted(renamed)) return renamed;
  if (!accepted(input.trim())) return null;
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: input.trim() }).resolvedOptions().timeZone;
  return RENAMED[resolved] ?? resolved;
}

/** "UTC+03:00" for a zone at an instant. */
export function utcOffsetLabel(timezone: string, instant: number): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" })
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName")?.value;
  return part === "GMT" || part === undefined ? "UTC+00:00" : part.replace("GMT", "UTC");
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date (YYYY-MM-DD) at an instant in a zone. */
export function localDate(instant: number, timezone: string): string {
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timezone, format);
  }
  return format.format(instant);
}

/** The date after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * When the digest runs on a local date: the first instant that day showing the time, by croner's
 * fixed-time rules: a time skipped by a spring-forward runs at the first valid minute after the
 * gap; a time that occurs twice on a fall-back day runs at its first occurrence only.
 */
export function scheduledAt(date: string, time: string, timezone: string): number {
  const key = `${date} ${time} ${timezone}`;
  let at = scheduled.get(key);
  if (at === undefined) {
    at = computeScheduledAt(date, time, timezone);
    if (scheduled.size >= 50_000) scheduled.clear();
    scheduled.set(key, at);
  }
  return at;
}

/** scheduledAt is pure and asked often (every tick, for every server): remembered. */
const scheduled = new Map<string, number>();

function computeScheduledAt(date: string, time: string, timezone: string): number {
  const { hour, minute } = parseTime(time);
  const cron = new Cron(`0 ${minute} ${hour} * * *`, { timezone });
  // Local midnight of `date` lies between date 00:00 UTC − 14 h and + 12 h in every zone.
  let cursor = new Date(Date.parse(`${date}T00:00:00Z`) - 15 * 3_600_000);
  for (let i = 0; i < 4; i += 1) {
    const run = cron.nextRun(cursor);
    if (!run) break;
    const day = localDate(run.getTime(), timezone);
    if (day === date) return run.getTime();
    if (day > date) break;
    cursor = run;
  }
  throw new ScheduleError(`no ${time} on ${date} in ${timezone}`);
}

/** The first scheduled run strictly after `instant` whose local date is not excluded. */
export function nextRun(instant: number, time: string, timezone: string, skip: (date: string) => boolean = () => false): { date: string; at: number } {
  let date = localDate(instant, timezone);
  for (let i = 0; i < 400; i += 1) {
    const at = scheduledAt(date, time, timezone);
    if (at > instant && !skip(date)) return { date, at };
    date = nextDate(date);
  }
  throw new ScheduleError(`no run of ${time} in ${timezone} within a year`);
}

/**
 * The message nonce for a server's digest of a date: the same on every attempt and every restart,
 * so Discord (with enforce_nonce) answers a repeat with the message it already created. At most
 * 25 characters, as Discord allows.
 */
export function digestNonce(guildId: string, date: string): string {
  return `d${createHash("sha256").update(`agora-digest:${guildId}:${date}`).digest("hex").slice(0, 24)}`;
}

/** Whether a shard set owns a server: Discord routes guild `g` to shard `(g >> 22) % shardCount`. */
export function ownsGuild(guildId: string, shardIds: readonly number[], shardCount: number): boolean {
  if (shardCount <= 1) return true;
  const shard = Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
  return shardIds.includes(shard);
}
