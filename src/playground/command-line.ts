import { ApplicationCommandOptionType, ApplicationCommandType } from "discord.js";
import type { APIApplicationCommand, APIApplicationCommandBasicOption, APIApplicationCommandInteractionDataBasicOption, APIApplicationCommandOption } from "discord.js";

// A slash command typed out in full, as Discord's composer accepts it: `/quote query: peacekeepers author: vershbow`.

/** An option as typed: its definition and the raw text after `name:`. */
export interface TypedOption {
  def: APIApplicationCommandBasicOption;
  raw: string;
}

/** A line read against the registered commands, before its values are checked. */
export interface CommandLine {
  command: APIApplicationCommand;
  subcommandGroup?: string;
  subcommand?: string;
  /** The options this command (or subcommand) takes. */
  defs: APIApplicationCommandBasicOption[];
  given: TypedOption[];
  /** Text after the command that is not inside an option (Discord's composer puts it in the first required option). */
  loose: string;
}

export type ReadResult =
  | { kind: "command"; line: CommandLine }
  /** Not a command this server has: Discord sends such a line as a plain message. */
  | { kind: "text" }
  /** A command whose subcommand is missing or unknown; `partial` is what was typed of it. */
  | { kind: "needs-subcommand"; command: APIApplicationCommand; choices: APIApplicationCommandOption[]; partial: string; group?: string };

const SUBCOMMANDS: readonly ApplicationCommandOptionType[] = [ApplicationCommandOptionType.Subcommand, ApplicationCommandOptionType.SubcommandGroup];

/** Where each `name:` of a known option starts in `text`. */
function optionMarks(text: string, defs: readonly APIApplicationCommandBasicOption[]): { def: APIApplicationCommandBasicOption; at: number; valueAt: number }[] {
  const marks: { def: APIApplicationCommandBasicOption; at: number; valueAt: number }[] = [];
  for (const def of defs) {
    const pattern = new RegExp(`(^|\\s)${def.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:`, "gi");
    for (const match of text.matchAll(pattern)) {
      const at = match.index + (match[1]?.length ?? 0);
      marks.push({ def, at, valueAt: at + def.name.length + 1 });
    }
  }
  return marks.sort((a, b) => a.at - b.at);
}

/** Reads `/name [group] [subcommand] option: value …` against the commands; nothing is checked yet but the names. */
export function readCommandLine(text: string, commands: readonly APIApplicationCommand[]): ReadResult {
  const head = /^\/(\S+)(\s+|$)/.exec(text);
  if (!head?.[1]) return { kind: "text" };
  const name = head[1].toLowerCase();
  const command = commands.find((c) => c.type === ApplicationCommandType.ChatInput && c.name === name);
  if (!command) return { kind: "text" };
  let rest = text.slice(head[0].length);
  let level: readonly APIApplicationCommandOption[] = command.options ?? [];
  const path: { group?: string; subcommand?: string } = {};
  while (level.some((o) => SUBCOMMANDS.includes(o.type))) {
    const word = /^(\S*)(\s+|$)/.exec(rest);
    const typed = (word?.[1] ?? "").toLowerCase();
    const next = level.find((o) => o.name === typed);
    if (!next) {
      return { kind: "needs-subcommand", command, choices: [...level], partial: typed, ...(path.group !== undefined ? { group: path.group } : {}) };
    }
    if (next.type === ApplicationCommandOptionType.SubcommandGroup) path.group = next.name;
    else path.subcommand = next.name;
    level = "options" in next && next.options ? next.options : [];
    rest = rest.slice(word?.[0].length ?? 0);
  }
  const defs = level.filter((o): o is APIApplicationCommandBasicOption => !SUBCOMMANDS.includes(o.type));
  const marks = optionMarks(rest, defs);
  const given = marks.map((mark, i) => ({ def: mark.def, raw: rest.slice(mark.valueAt, marks[i + 1]?.at ?? rest.length) }));
  return {
    kind: "command",
    line: {
      command,
      ...(path.group !== undefined ? { subcommandGroup: path.group } : {}),
      ...(path.subcommand !== undefined ? { subcommand: path.subcommand } : {}),
      defs,
      given,
      loose: rest.slice(0, marks[0]?.at ?? rest.length).trim(),
    },
  };
}

/** Finds the member, channel or role a user/channel/role option names (`@bob`, `#general`, `<@id>`, an id…). */
export interface Mentionables {
  user(text: string): string | null;
  channel(text: string): { id: string; type: number } | null;
  role(text: string): string | null;
}

export interface CheckedCommand {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options: APIApplicationCommandInteractionDataBasicOption[];
  /** Ids the options refer to, for the interaction's `resolved` data. */
  refers: { users: string[]; channels: string[]; roles: string[] };
}

const code = (name: string) => `\`${name}\``;

function convert(def: APIApplicationCommandBasicOption, raw: string, find: Mentionables, refers: CheckedCommand["refers"]): string | number | boolean {
  const T = ApplicationCommandOptionType;
  switch (def.type) {
    case T.String: {
      const choice = def.choices?.find((c) => c.value.toLowerCase() === raw.toLowerCase() || c.name.toLowerCase() === raw.toLowerCase());
      if (def.choices?.length && !choice) throw new Error(`${code(def.name)} must be one of: ${def.choices.map((c) => c.name).join(", ")}.`);
      if (def.min_length !== undefined && raw.length < def.min_length) throw new Error(`${code(def.name)} must be at least ${def.min_length} characters long.`);
      if (def.max_length !== undefined && raw.length > def.max_length) throw new Error(`${code(def.name)} must be at most ${def.max_length} characters long.`);
      return choice?.value ?? raw;
    }
    case T.Integer:
    case T.Number: {
      const value = Number(raw);
      if (raw === "" || !Number.isFinite(value) || (def.type === T.Integer && !Number.isInteger(value))) {
        throw new Error(`${code(def.name)} must be ${def.type === T.Integer ? "a whole number" : "a number"}.`);
      }
      if (def.min_value !== undefined && value < def.min_value) throw new Error(`${code(def.name)} must be at least ${def.min_value}.`);
      if (def.max_value !== undefined && value > def.max_value) throw new Error(`${code(def.name)} must be at most ${def.max_value}.`);
      return value;
    }
    case T.Boolean: {
      const value = { true: true, yes: true, false: false, no: false }[raw.toLowerCase()];
      if (value === undefined) throw new Error(`${code(def.name)} must be True or False.`);
      return value;
    }
    case T.User: {
      const id = find.user(raw);
      if (id === null) throw new Error(`${code(def.name)}: no member “${raw}” in this server.`);
      refers.users.push(id);
      return id;
    }
    case T.Channel: {
      const channel = find.channel(raw);
      if (!channel) throw new Error(`${code(def.name)}: no channel “${raw}” in this server.`);
      if (def.channel_types?.length && !(def.channel_types as number[]).includes(channel.type)) throw new Error(`${code(def.name)}: pick a text or announcement channel.`);
      refers.channels.push(channel.id);
      return channel.id;
    }
    case T.Role: {
      const id = find.role(raw);
      if (id === null) throw new Error(`${code(def.name)}: no role “${raw}” in this server.`);
      refers.roles.push(id);
      return id;
    }
    default:
      throw new Error(`${code(def.name)} can't be typed in the playground.`);
  }
}

/**
 * Checks a read line the way Discord's composer does before it sends anything: loose text goes
 * to the first required option not given, every required option is there, values fit their
 * type, choices and lengths. Throws an Error whose message is what the composer shows.
 */
export function checkCommandLine(line: CommandLine, find: Mentionables): CheckedCommand {
  const given = [...line.given];
  if (line.loose !== "") {
    const target = line.defs.find((d) => d.required === true && !given.some((g) => g.def.name === d.name));
    if (!target) throw new Error(`“${line.loose}” is not in any option: write it after an option name, e.g. ${code(`${line.defs[0]?.name ?? "option"}: …`)}.`);
    given.unshift({ def: target, raw: line.loose });
  }
  for (const [i, g] of given.entries()) {
    if (given.findIndex((o) => o.def.name === g.def.name) !== i) throw new Error(`${code(g.def.name)} is given twice.`);
  }
  const refers: CheckedCommand["refers"] = { users: [], channels: [], roles: [] };
  const options: APIApplicationCommandInteractionDataBasicOption[] = [];
  for (const def of line.defs) {
    const raw = given.find((g) => g.def.name === def.name)?.raw.trim() ?? "";
    if (raw === "") {
      if (def.required === true) throw new Error(`${code(def.name)} is required: ${def.description}.`);
      continue;
    }
    options.push({ name: def.name, type: def.type, value: convert(def, raw, find, refers) } as APIApplicationCommandInteractionDataBasicOption);
  }
  return {
    name: line.command.name,
    ...(line.subcommandGroup !== undefined ? { subcommandGroup: line.subcommandGroup } : {}),
    ...(line.subcommand !== undefined ? { subcommand: line.subcommand } : {}),
    options,
    refers,
  };
}
