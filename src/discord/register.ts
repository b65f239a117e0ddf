import {
  ApplicationCommandType,
  REST,
  Routes,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";

interface OptionLike {
  type?: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: readonly { name: string; value?: unknown }[];
  options?: readonly OptionLike[];
  autocomplete?: boolean;
  channel_types?: readonly number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
}

const CHAT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const GROUP = 2;

/**
 * Checks payloads against Discord's rules for application commands, so a bad definition fails
 * a test rather than the deploy: names, lengths, option counts and order, choices, totals, and
 * the same for the options of every subcommand and group.
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
  checkOptions(name, options ?? [], "command", problems);
}

/** The options under a command, a group or a subcommand (`where` names the path, e.g. "digest setup"). */
function checkOptions(where: string, list: readonly OptionLike[], level: "command" | "group" | "subcommand", problems: string[]): void {
  if (list.length > 25) problems.push(`${where}: ${list.length} options (at most 25)`);
  const nested = list.filter((o) => o.type === SUBCOMMAND || o.type === GROUP);
  if (level === "command" && nested.length > 0 && nested.length < list.length) problems.push(`${where}: subcommands and groups cannot sit beside other options`);
  const names = new Set<string>();
  let optionalSeen = false;
  for (const option of list) {
    const at = `${where} ${option.name}`;
    if (level === "group" && option.type !== SUBCOMMAND) problems.push(`${at}: a group holds only subcommands`);
    if (level === "subcommand" && (option.type === SUBCOMMAND || option.type === GROUP)) problems.push(`${at}: a subcommand holds only plain options`);
    if (names.has(option.name)) problems.push(`${at}: option name used twice`);
    names.add(option.name);
    if (!CHAT_NAME.test(option.name) || option.name !== option.name.toLowerCase()) problems.push(`${at}: an option name is 1–32 lowercase letters, digits, - or _`);
    if (!option.description || option.description.length > 100) problems.push(`${at}: an option description has 1–100 characters`);
    if (option.type === SUBCOMMAND || option.type === GROUP) {
      // A subcommand inside a subcommand is reported above; its own options are not looked into.
      if (level !== "subcommand") checkOptions(at, option.options ?? [], option.type === GROUP ? "group" : "subcommand", problems);
      continue;
    }
    if (option.required) {
      if (optionalSeen) problems.push(`${at}: required options must come before optional ones`);
    } else optionalSeen = true;
    if (option.choices && option.choices.length > 25) problems.push(`${at}: ${option.choices.length} choices (at most 25)`);
    if (option.choices && option.autocomplete) problems.push(`${at}: choices and autocomplete cannot both be set`);
    for (const choice of option.choices ?? []) if (choice.name.length < 1 || choice.name.length > 100) problems.push(`${at}: a choice name has 1–100 characters`);
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
  /** Things to fix that the registration itself could not, e.g. the same commands also registered globally. */
  warnings: string[];
}

/** A command as Discord returns it (or as we send it): the fields a re-registration can change. */
interface CommandLike {
  name: string;
  type?: number | undefined;
  description?: string | undefined;
  options?: readonly OptionLike[] | undefined;
  default_member_permissions?: string | null | undefined;
  nsfw?: boolean | undefined;
  contexts?: readonly number[] | null | undefined;
  integration_types?: readonly number[] | undefined;
}

/**
 * Bulk-overwrites the application's commands: in one guild when `guildId` is set (instant, for
 * development), globally otherwise. Reports what changed against what was registered before, and
 * warns when a dev guild's commands are also registered globally (the server then lists both).
 */
export async function registerCommands(options: {
  token: string;
  applicationId: string;
  guildId?: string | undefined;
  apiUrl?: string | undefined;
  /** What to register: every command's data (commands/index.ts `commandPayloads()`). */
  payloads: readonly RESTPostAPIApplicationCommandsJSONBody[];
}): Promise<RegistrationReport> {
  const { payloads } = options;
  const problems = validateCommandPayloads(payloads);
  if (problems.length > 0) throw new Error(`command definitions break Discord's rules:\n${problems.join("\n")}`);
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const global = !options.guildId;
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const before = (await rest.get(route)) as CommandLike[];
  await rest.put(route, { body: payloads });
  const key = (c: { name: string; type?: number | undefined }) => `${c.type ?? 1}:${c.name}`;
  const previous = new Map(before.map((c) => [key(c), c]));
  const report: RegistrationReport = { scope: global ? "global" : `guild ${options.guildId}`, added: [], changed: [], removed: [], unchanged: [], warnings: [] };
  for (const payload of payloads as CommandLike[]) {
    const old = previous.get(key(payload));
    previous.delete(key(payload));
    if (!old) report.added.push(payload.name);
    else if (comparable(old, global) !== comparable(payload, global)) report.changed.push(payload.name);
    else report.unchanged.push(payload.name);
  }
  report.removed = [...previous.values()].map((c) => c.name);
  if (!global) {
    const globals = (await rest.get(Routes.applicationCommands(options.applicationId))) as CommandLike[];
    if (globals.length > 0) {
      report.warnings.push(
        `Also registered globally: ${globals.map((c) => c.name).join(", ")}. This server lists those twice (its own copy and the global one). ` +
          "Develop with a separate application, or remove the global commands.",
      );
    }
  }
  return report;
}

/**
 * The parts of a command a re-registration can change, in a stable form: key order, Discord's
 * defaults (nsfw false, required false, …) and the order of sets do not count. `contexts` and
 * `integration_types` apply to global commands only (Discord ignores them in a guild).
 */
function comparable(command: CommandLike, global: boolean): string {
  const set = (values: readonly number[] | null | undefined) => (values ? [...values].sort((a, b) => a - b) : null);
  return JSON.stringify({
    type: command.type ?? ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description ?? "",
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: command.nsfw ?? false,
    ...(global ? { contexts: set(command.contexts), integration_types: set(command.integration_types) } : {}),
    options: comparableOptions(command.options),
  });
}

function comparableOptions(options: readonly OptionLike[] | undefined): unknown[] {
  return (options ?? []).map((o) => ({
    type: o.type ?? null,
    name: o.name,
    description: o.description ?? "",
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: (o.choices ?? []).map((c) => ({ name: c.name, value: c.value ?? null })),
    channel_types: [...(o.channel_types ?? [])].sort((a, b) => a - b),
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    min_length: o.min_length ?? null,
    max_length: o.max_length ?? null,
    options: comparableOptions(o.options),
  }));
}
