import {
  ApplicationCommandType,
  REST,
  Routes,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";
import { chatCommands, messageMenuCommands } from "../../commands/index.js";

/** Every command payload, as registered with Discord. */
export function commandPayloads(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...chatCommands.map((c) => c.data), ...messageMenuCommands.map((c) => c.data)];
}

interface OptionLike {
  name: string;
  description?: string;
  required?: boolean;
  choices?: readonly { name: string }[];
  options?: readonly OptionLike[];
  autocomplete?: boolean;
}

const CHAT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/**
 * Checks payloads against Discord's rules for application commands, so a bad definition fails
 * a test rather than the deploy: names, lengths, option counts and order, choices, totals.
 */
export function validateCommandPayloads(payloads: readonly RESTPostAPIApplicationCommandsJSONBody[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const chat = payloads.filter((p) => (p.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput);
  const messageMenus = payloads.filter((p) => p.type === ApplicationCommandType.Message);
  if (chat.length > 100) problems.push(`${chat.length} slash commands (at most 100)`);
  if (messageMenus.length > 5) problems.push(`${messageMenus.length} message commands (at most 5)`);
  for (const payload of payloads) {
    const type = payload.type ?? ApplicationCommandType.ChatInput;
    const key = `${type}:${payload.name}`;
    if (seen.has(key)) problems.push(`${payload.name}: registered twice`);
    seen.add(key);
    if (type === ApplicationCommandType.ChatInput) {
      const options = ("options" in payload ? payload.options : undefined) as readonly OptionLike[] | undefined;
      checkChatCommand(payload.name, "description" in payload ? payload.description : undefined, options, problems);
      const total = payload.name.length + (("description" in payload && payload.description) || "").length + optionChars(options);
      if (total > 4000) problems.push(`${payload.name}: ${total} characters in names, descriptions and choices (at most 4000)`);
    } else if (payload.name.length < 1 || payload.name.length > 32) {
      problems.push(`${payload.name}: a context menu name has 1–32 characters`);
    }
  }
  return problems;
}

function checkChatCommand(name: string, description: string | undefined, options: readonly OptionLike[] | undefined, problems: string[]): void {
  if (!CHAT_NAME.test(name) || name !== name.toLowerCase()) problems.push(`${name}: a name is 1–32 lowercase letters, digits, - or _`);
  if (!description || description.length > 100) problems.push(`${name}: a description has 1–100 characters`);
  const list = options ?? [];
  if (list.length > 25) problems.push(`${name}: ${list.length} options (at most 25)`);
  const names = new Set<string>();
  let optionalSeen = false;
  for (const option of list) {
    const where = `${name} ${option.name}`;
    if (names.has(option.name)) problems.push(`${where}: option name used twice`);
    names.add(option.name);
    if (!CHAT_NAME.test(option.name) || option.name !== option.name.toLowerCase()) problems.push(`${where}: an option name is 1–32 lowercase letters, digits, - or _`);
    if (!option.description || option.description.length > 100) problems.push(`${where}: an option description has 1–100 characters`);
    if (option.required) {
      if (optionalSeen) problems.push(`${where}: required options must come before optional ones`);
    } else optionalSeen = true;
    if (option.choices && option.choices.length > 25) problems.push(`${where}: ${option.choices.length} choices (at most 25)`);
    if (option.choices && option.autocomplete) problems.push(`${where}: choices and autocomplete cannot both be set`);
    for (const choice of option.choices ?? []) if (choice.name.length < 1 || choice.name.length > 100) problems.push(`${where}: a choice name has 1–100 characters`);
  }
}

function optionChars(options: readonly OptionLike[] | undefined): number {
  return (options ?? []).reduce(
    (sum, o) => sum + o.name.length + (o.description?.length ?? 0) + (o.choices ?? []).reduce((s, c) => s + c.name.length, 0) + optionChars(o.options),
    0,
  );
}

export interface RegistrationReport {
  scope: string;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/**
 * Bulk-overwrites the application's commands: in one guild when `guildId` is set (instant, for
 * development), globally otherwise. Reports what changed against what was registered before.
 */
export async function registerCommands(options: { token: string; applicationId: string; guildId?: string | undefined; apiUrl?: string | undefined }): Promise<RegistrationReport> {
  const payloads = commandPayloads();
  const problems = validateCommandPayloads(payloads);
  if (problems.length > 0) throw new Error(`command definitions break Discord's rules:\n${problems.join("\n")}`);
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const before = (await rest.get(route)) as { name: string; type?: number | undefined; description?: string; options?: unknown[] }[];
  await rest.put(route, { body: payloads });
  const key = (c: { name: string; type?: number | undefined }) => `${c.type ?? 1}:${c.name}`;
  const previous = new Map(before.map((c) => [key(c), c]));
  const report: RegistrationReport = { scope: options.guildId ? `guild ${options.guildId}` : "global", added: [], changed: [], removed: [], unchanged: [] };
  for (const payload of payloads) {
    const old = previous.get(key(payload));
    previous.delete(key(payload));
    if (!old) report.added.push(payload.name);
    else if (comparable(old) !== comparable(payload)) report.changed.push(payload.name);
    else report.unchanged.push(payload.name);
  }
  report.removed = [...previous.values()].map((c) => c.name);
  return report;
}

/** The parts of a command that a re-registration can change, in a stable form. */
function comparable(command: { name: string; description?: string | undefined; options?: unknown }): string {
  return JSON.stringify({ name: command.name, description: command.description ?? "", options: command.options ?? [] });
}
