import { ApplicationCommandOptionType, ApplicationCommandType } from "discord.js";
import type { APIApplicationCommand, APIApplicationCommandBasicOption, APIApplicationCommandInteractionDataBasicOption, APIApplicationCommandOptionChoice } from "discord.js";
import type { FakeGuild } from "../fake-discord/index.js";
import { readCommandLine, type CommandLine } from "./command-line.js";

// What the composer lists while a line is typed, as Discord's does: commands after "/", then
// subcommands, then options with their descriptions, then an option's choices, the bot's own
// autocomplete answers, or the server's members, channels and roles.

export interface Suggestion {
  label: string;
  description: string;
  /** The whole composer line after picking this suggestion. */
  insert: string;
}

export interface Suggestions {
  kind: "none" | "commands" | "subcommands" | "options" | "choices";
  /** The option being typed, when kind is "choices" (or a free-text option with only a hint). */
  option?: { name: string; description: string; required: boolean };
  items: Suggestion[];
}

export interface AutocompleteRequest {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  options: APIApplicationCommandInteractionDataBasicOption[];
  focused: string;
}

export interface SuggestContext {
  guild: FakeGuild;
  /** Sends an APPLICATION_COMMAND_AUTOCOMPLETE interaction and returns the bot's choices. */
  autocomplete(request: AutocompleteRequest): Promise<APIApplicationCommandOptionChoice[]>;
}

const T = ApplicationCommandOptionType;
const NONE: Suggestions = { kind: "none", items: [] };
const matches = (name: string, typed: string) => name.toLowerCase().includes(typed.trim().toLowerCase());

function optionSummary(command: APIApplicationCommand): string {
  return (command.options ?? []).map((o) => (("required" in o && o.required === true) || o.type === T.Subcommand ? o.name : `[${o.name}]`)).join(" ");
}

const stringOption = (name: string, value: string): APIApplicationCommandInteractionDataBasicOption => ({ name, type: ApplicationCommandOptionType.String, value });

async function valueChoices(line: CommandLine, def: APIApplicationCommandBasicOption, typed: string, ctx: SuggestContext): Promise<{ name: string; value: string }[]> {
  if ("choices" in def && def.choices?.length) return def.choices.filter((c) => matches(c.name, typed)).map((c) => ({ name: c.name, value: String(c.value) }));
  if ("autocomplete" in def && def.autocomplete === true) {
    const others = line.given.filter((g) => g.def.name !== def.name && g.def.type === T.String && g.raw.trim() !== "");
    const choices = await ctx.autocomplete({
      name: line.command.name,
      ...(line.subcommand !== undefined ? { subcommand: line.subcommand } : {}),
      ...(line.subcommandGroup !== undefined ? { subcommandGroup: line.subcommandGroup } : {}),
      options: [...others.map((g) => stringOption(g.def.name, g.raw.trim())), stringOption(def.name, typed)],
      focused: def.name,
    });
    return choices.map((c) => ({ name: c.name, value: String(c.value) }));
  }
  const { guild } = ctx;
  switch (def.type) {
    case T.Boolean:
      return ["True", "False"].filter((v) => matches(v, typed)).map((v) => ({ name: v, value: v }));
    case T.User:
      return guild.members.filter((m) => m.user.bot !== true && matches(m.user.username, typed.replace(/^@/, ""))).map((m) => ({ name: `@${m.user.username}`, value: `@${m.user.username}` }));
    case T.Channel:
      return guild.channels.filter((c) => matches(c.name, typed.replace(/^#/, ""))).map((c) => ({ name: `#${c.name}`, value: `#${c.name}` }));
    case T.Role:
      return guild.roles.filter((r) => r.id !== guild.id && r.managed !== true && matches(r.name, typed.replace(/^@/, ""))).map((r) => ({ name: `@${r.name}`, value: `@${r.name}` }));
    default:
      return [];
  }
}

export async function suggest(text: string, offered: readonly APIApplicationCommand[], ctx: SuggestContext): Promise<Suggestions> {
  const chat = offered.filter((c) => c.type === ApplicationCommandType.ChatInput);
  const head = /^\/(\S*)$/.exec(text);
  if (head) {
    const typed = (head[1] ?? "").toLowerCase();
    const items = chat.filter((c) => c.name.startsWith(typed)).map((c) => ({ label: `/${c.name} ${optionSummary(c)}`.trim(), description: c.description, insert: `/${c.name} ` }));
    return { kind: "commands", items };
  }
  const read = readCommandLine(text, chat);
  if (read.kind === "text") return NONE;
  if (read.kind === "needs-subcommand") {
    const base = text.slice(0, text.length - read.partial.length);
    const items = read.choices
      .filter((c) => c.name.startsWith(read.partial))
      .map((c) => ({ label: `/${read.command.name} ${c.name}`, description: c.description, insert: `${base}${c.name} ` }));
    return { kind: "subcommands", items };
  }
  const { line } = read;
  const last = line.given.at(-1);
  // Typing inside the last option's value, unless a space after a value starts the next option.
  if (last && !(/\s$/.test(text) && last.raw.trim() !== "")) {
    const typed = last.raw.trimStart();
    const base = text.slice(0, text.length - last.raw.length);
    const choices = await valueChoices(line, last.def, typed, ctx);
    return {
      kind: "choices",
      option: { name: last.def.name, description: last.def.description, required: last.def.required === true },
      items: choices.map((c) => ({ label: c.name, description: c.value === c.name ? "" : c.value, insert: `${base} ${c.value} ` })),
    };
  }
  const word = /(\S*)$/.exec(text)?.[1] ?? "";
  const base = text.slice(0, text.length - word.length);
  const items = line.defs
    .filter((d) => !line.given.some((g) => g.def.name === d.name) && d.name.startsWith(word.toLowerCase()))
    .sort((a, b) => Number(b.required === true) - Number(a.required === true))
    .map((d) => ({ label: d.required === true ? d.name : `${d.name} (optional)`, description: d.description, insert: `${base}${d.name}: ` }));
  return { kind: "options", items };
}
