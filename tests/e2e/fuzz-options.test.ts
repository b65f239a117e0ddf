// Property-based bad input: random option values (empty, huge, control characters, RTL marks, emoji,
// mentions, Markdown, unknown article/citation/custom ids, odd attachments) sent through the fake
// Discord to every chat command (read from its registered data), every autocomplete, every button
// prefix, the modals the bot shows and the message menu, answered by the real bot. Each must be
// answered within Discord's 3 s, every message the bot sends must keep to Discord's limits, no mention
// typed into an option may ping anyone, no input may make the bot fault (but the KNOWN_DEFECTS below,
// each pinned by an it.fails), and it keeps answering. A failure prints fast-check's seed and the
// shrunk counterexample: rerun it with fc.assert(..., { seed, path }).
import { ApplicationCommandOptionType, ChannelType, type APIApplicationCommandOption, type APIAttachment, type APIInteraction, type APIInteractionDataResolved } from "discord.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botCommands, chatCommands } from "../../commands/index.js";
import { quoteButtons } from "../../src/discord/components/quote-buttons.js";
import type { BotMetrics, InteractionOutcome } from "../../src/observability/metrics.js";
import type { Database } from "../../src/storage/db.js";
import { ManualClock, tempDatabase } from "../digest/helpers.js";
import { startBot, type Harness } from "./bot-harness.js";
import { DEFAULT_IDS, DEFAULT_USERS, apiChannel, apiRole, apiUser, defaultGuild, type FakeGuild, type FakeUser, type MessageBody, type RecordedRequest } from "../../src/fake-discord/index.js";

// Runs per property: 1,560 interactions in all with the seeds. Measured on this 2-core machine while
// other sessions' suites ran (load average 8–9): 17.6 s of tests, 26.5 s for the whole file with its
// start-up (the suite's PostgreSQL global setup, imports). 1,930 runs had taken 36 s at that load,
// too near the file's 40 s budget.
const RUNS = { commands: 500, autocomplete: 500, buttons: 300, modals: 150, menu: 100 } as const;

/** Ids typed into text: nobody an option can name, so a ping of them could only come from text. */
const CAROL: FakeUser = { id: "1100000000000000042", username: "carol", globalName: "Carol" };
const STRANGER = "1100000000000000777";
const GHOST_ROLE = "1100000000000000099";
/** What options may name (Discord resolves them): the only users and roles the bot may ever ping. */
const OPTION_USERS = [DEFAULT_IDS.alice, DEFAULT_IDS.bob, DEFAULT_IDS.bot];
const OPTION_ROLES = [DEFAULT_IDS.moderatorRole, DEFAULT_IDS.botRole];
const OPTION_CHANNELS = [DEFAULT_IDS.channel, DEFAULT_IDS.otherChannel];

/** Discord's limits on what a bot sends. */
const MAX = { content: 2000, embeds: 10, embedsTotal: 6000, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, rows: 5, perRow: 5, customId: 100, label: 80, choices: 25, choice: 100, modalTitle: 45, inputLabel: 45, inputValue: 4000, placeholder: 100 };
/** Discord's own limit on the time to the first answer (the callback). */
const CALLBACK_MS = 3000;

/**
 * Faults this test found in code it may not change, each reproduced by an `it.fails` below (which
 * turns red once fixed: then drop the entry). A fault logged with one of these messages counts as
 * "known_defect" rather than failing the properties; every other fault fails them.
 */
const KNOWN_DEFECTS: RegExp[] = [];

let h: Harness;
let db: Database;
const file = tempDatabase();
/** The bot's metrics hook: one entry per interaction once its handler has finished, answers sent. */
const outcomes: { command: string; outcome: InteractionOutcome; seconds: number }[] = [];
let onOutcome: (() => void) | null = null;
const metrics: BotMetrics = {
  interaction: (command, outcome, seconds) => {
    outcomes.push({ command, outcome, seconds });
    onOutcome?.();
  },
  digestPost: () => undefined,
  gatewayReconnect: () => undefined,
  corpusArticles: () => undefined,
};

let guild: FakeGuild;
let origin = "";
let articleIds: string[] = [];
let citations: string[] = [];
/** Every button custom id the bot has put on a message so far: the button property clicks these and mutations of them. */
const seenButtons = new Set<string>();
/** Every modal the bot has shown: its custom id and text inputs. */
const seenModals = new Map<string, { id: string; required: boolean; max: number }[]>();
/** Attachments made for `Attachment` options, by id, for `resolved`. */
const attachments = new Map<string, APIAttachment>();

beforeAll(async () => {
  db = file.open();
  guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  guild.members.push({ user: CAROL, roles: [] });
  h = await startBot({
    database: db,
    digest: { clock: new ManualClock(Date.parse("2025-06-02T04:00:00Z")), autoTick: false },
    // Attachments and loopback URLs come from the fake's port; nothing leaves the machine for long.
    library: { fetch: { timeoutMs: 1500 } },
    fake: { guilds: [guild] },
    metrics,
    rateLimit: { limit: 1_000_000, windowMs: 1000 },
    autocompleteRateLimit: { limit: 1_000_000, windowMs: 1000 },
  });
  origin = new URL(h.fake.apiUrl).origin;
  articleIds = h.engine.articles().map((a) => a.id);
  citations = h.engine.quote("Putin peace", { limit: 5 }).map((r) => r.citation);
}, 60_000);
afterAll(async () => {
  // Unset when beforeAll failed: then only the temporary folder is left to remove.
  await (h as Harness | undefined)?.close();
  (db as Database | undefined)?.close();
  file.cleanup();
});

// ---- random text --------------------------------------------------------------------------------

const fromCodes = (min: number, max: number) => fc.string({ unit: fc.integer({ min, max }).map((c) => String.fromCharCode(c)), maxLength: 8 });
const piece = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom("", " ", "Putin", "peace", "referendum", "ceasefire", "NATO", "security interests", "Trump", "2025-01-09", "09:00", "Europe/Kyiv"),
    fc.constantFrom("@everyone", "@here", `<@${CAROL.id}>`, `<@!${STRANGER}>`, `<@&${GHOST_ROLE}>`, `<@&${DEFAULT_IDS.guild}>`, `<#${DEFAULT_IDS.channel}>`, "</quote:1>", "@carol"),
    fc.constantFrom("**b**", "__u__", "~~s~~", "`c`", "```js\nx\n```", "||spoiler||", "> quote", "# H", "-# small", "[claim](https://evil.example)", "<https://evil.example>", "\\", "*", "_", "\n\n", "---\ntitle: x\n---"),
    fc.constantFrom("\u202E", "\u202D", "\u200F", "\u200E", "\u2066", "\u2069", "\u200B", "\uFEFF", "\u061C", "مرحبا", "שלום"),
    fc.constantFrom("😀", "👩‍👩‍👧‍👦", "🇺🇦", "🏳️‍🌈", "1️⃣", "<:custom:123456789012345678>", "<a:anim:123456789012345678>", "\uD83D", "\uDE00"),
    fromCodes(0, 31),
    fc.constantFrom("\u0000", "\u007F", "\u0085", "\r\n", "\t"),
    fc.constantFrom(...articleIds, "no-such-article", "cite:", "cite:nope:1.1", ...citations.map((c) => `cite:${c}`), ...citations.map((c) => `cite:${c}9`), `cite:${articleIds[0] ?? "x"}:999.9`),
    fc.constantFrom(`${origin}/attachments/1/missing.md`, `${origin}/api/v10/gateway`, "http://127.0.0.1:1/x", "ftp://example.invalid/a", "https://"),
    fc.stringMatching(/^[a-z0-9:-]{1,40}$/),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
  );
const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(piece(), { maxLength: 6 }).map((parts) => parts.join(" ")) },
    // Huge: past every max_length (Discord's own cap on a string option is 6000).
    { weight: 1, arbitrary: fc.tuple(piece(), fc.integer({ min: 50, max: 3000 })).map(([p, n]) => `${p} Putin `.repeat(n).slice(0, 6000)) },
  );
const short = () => text().map((t) => t.slice(0, 60));

/** A member's file on an `Attachment` option, served by the fake's CDN: odd names, kinds and contents. */
const attachment = (): fc.Arbitrary<string> =>
  fc.tuple(short(), fc.constantFrom(".md", ".txt", ".html", ".htm", ".pdf", "", ".MD"), text(), fc.constantFrom("text/markdown", "text/plain", "text/html", "application/octet-stream")).map(([name, ext, content, type]) => {
    // A file name is UTF-8 on Discord: no lone surrogate halves (the text has them elsewhere).
    const file = h.fake.attach(`${name.replace(/[/\\]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "") || "f"}${ext}`, content, type);
    attachments.set(file.id, file);
    return file.id;
  });

// ---- interactions from the commands' own data -------------------------------------------------------

type Value = string | number | boolean;
interface ChatSpec {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options: Record<string, Value>;
  user: FakeUser;
}

function valueOf(option: APIApplicationCommandOption): fc.Arbitrary<Value> {
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      return "choices" in option && option.choices ? fc.oneof(fc.constantFrom(...option.choices.map((c) => c.value)), text()) : text();
    case ApplicationCommandOptionType.Boolean:
      return fc.boolean();
    case ApplicationCommandOptionType.User:
      return fc.constantFrom(...OPTION_USERS);
    case ApplicationCommandOptionType.Role:
      return fc.constantFrom(...OPTION_ROLES);
    case ApplicationCommandOptionType.Channel:
      return fc.constantFrom(...OPTION_CHANNELS);
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      // Discord enforces min_value/max_value; within them, anything.
      const min = "min_value" in option && option.min_value !== undefined ? option.min_value : -(2 ** 53) + 1;
      const max = "max_value" in option && option.max_value !== undefined ? option.max_value : 2 ** 53 - 1;
      return option.type === ApplicationCommandOptionType.Integer ? fc.oneof(fc.integer({ min: Math.max(min, -100), max: Math.min(max, 100) }), fc.maxSafeInteger().filter((n) => n >= min && n <= max)) : fc.double({ min, max, noNaN: true });
    }
    case ApplicationCommandOptionType.Attachment:
      return attachment();
    default:
      throw new Error(`no generator for option type ${option.type}`);
  }
}

const leavesOf = (option: APIApplicationCommandOption) => ("options" in option ? (option.options ?? []) : []) as readonly APIApplicationCommandOption[];
/** Every leaf level of a command: its options, or each subcommand's (in a group or not). */
function levels(options: readonly APIApplicationCommandOption[]): { subcommandGroup?: string; subcommand?: string; options: readonly APIApplicationCommandOption[] }[] {
  if (!options.some((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup)) return [{ options }];
  return options.flatMap((o) =>
    o.type === ApplicationCommandOptionType.SubcommandGroup ? leavesOf(o).map((s) => ({ subcommandGroup: o.name, subcommand: s.name, options: leavesOf(s) })) : [{ subcommand: o.name, options: leavesOf(o) }],
  );
}

/** Required options always (Discord enforces them), optional ones sometimes. */
function optionsOf(options: readonly APIApplicationCommandOption[]): fc.Arbitrary<Record<string, Value>> {
  const model = Object.fromEntries(options.map((o) => [o.name, valueOf(o)]));
  return fc.record(model, { requiredKeys: options.filter((o) => "required" in o && o.required === true).map((o) => o.name) });
}

const who = fc.constantFrom<FakeUser>(DEFAULT_USERS.alice, DEFAULT_USERS.bob);
const commandOptions = (data: { options?: unknown }) => (data.options ?? []) as readonly APIApplicationCommandOption[];

/** One arbitrary per command and subcommand, from the data the bot registers. */
function chatSpecs(): fc.Arbitrary<ChatSpec> {
  const all = chatCommands.flatMap(({ data }) =>
    levels(commandOptions(data)).map((level) =>
      fc.record({ name: fc.constant(data.name), ...(level.subcommandGroup ? { subcommandGroup: fc.constant(level.subcommandGroup) } : {}), ...(level.subcommand ? { subcommand: fc.constant(level.subcommand) } : {}), options: optionsOf(level.options), user: who }),
    ),
  );
  return fc.oneof(...all);
}

/** Every option with autocomplete, typed into, beside random values of the command's other text options. */
function autocompleteSpecs(): fc.Arbitrary<ChatSpec & { focused: string }> {
  const all = chatCommands.flatMap(({ data }) =>
    levels(commandOptions(data)).flatMap((level) =>
      level.options
        .filter((o) => "autocomplete" in o && o.autocomplete === true)
        .map((focused) => {
          const others = level.options.filter((o) => o.name !== focused.name && o.type === ApplicationCommandOptionType.String);
          return fc.record({
            name: fc.constant(data.name),
            ...(level.subcommandGroup ? { subcommandGroup: fc.constant(level.subcommandGroup) } : {}),
            ...(level.subcommand ? { subcommand: fc.constant(level.subcommand) } : {}),
            focused: fc.constant(focused.name),
            options: fc.tuple(text(), fc.record(Object.fromEntries(others.map((o) => [o.name, text()])), { requiredKeys: [] })).map(([typed, rest]) => ({ ...rest, [focused.name]: typed })),
            user: who,
          });
        }),
    ),
  );
  expect(all.length).toBeGreaterThan(5);
  return fc.oneof(...all) as fc.Arbitrary<ChatSpec & { focused: string }>;
}

/** What Discord puts in `resolved` for the users, roles, channels and attachments options name. */
function resolvedFor(options: Record<string, Value>): APIInteractionDataResolved {
  const values = Object.values(options).map(String);
  const users = guild.members.filter((m) => values.includes(m.user.id)).map((m) => m.user);
  const roles = guild.roles.filter((r) => values.includes(r.id));
  const channels = guild.channels.flatMap((c, i) => (values.includes(c.id) ? [apiChannel(guild, c, i)] : []));
  return {
    users: Object.fromEntries(users.map((u) => [u.id, apiUser(u)])),
    roles: Object.fromEntries(roles.map((r) => [r.id, apiRole(guild, r)])),
    channels: Object.fromEntries(channels.map((c) => [c.id, { id: c.id, name: c.name ?? "", type: c.type ?? ChannelType.GuildText, permissions: "0" }])),
    attachments: Object.fromEntries(values.flatMap((v) => (attachments.has(v) ? [[v, attachments.get(v)]] : []))),
  } as APIInteractionDataResolved;
}

// ---- checks -------------------------------------------------------------------------------------

const len = (value: unknown) => (typeof value === "string" ? value.length : 0);
type Row = { components?: { type?: number; custom_id?: string; label?: string; value?: string; placeholder?: string; max_length?: number; required?: boolean }[] };

function checkRows(rows: readonly Row[], where: string): void {
  expect(rows.length, `${where}: action rows`).toBeLessThanOrEqual(MAX.rows);
  for (const row of rows) {
    expect((row.components ?? []).length, `${where}: components in a row`).toBeLessThanOrEqual(MAX.perRow);
    for (const component of row.components ?? []) {
      expect(len(component.custom_id), `${where}: custom_id`).toBeLessThanOrEqual(MAX.customId);
      expect(len(component.label), `${where}: button label`).toBeLessThanOrEqual(MAX.label);
    }
  }
}

/** A message the bot sends or edits: Discord's limits, and mentions only of who an option named. */
function checkMessage(body: MessageBody, where: string): void {
  expect(len(body.content), `${where}: content`).toBeLessThanOrEqual(MAX.content);
  const embeds = body.embeds ?? [];
  expect(embeds.length, `${where}: embeds`).toBeLessThanOrEqual(MAX.embeds);
  let total = 0;
  for (const embed of embeds) {
    expect(len(embed.title), `${where}: embed title`).toBeLessThanOrEqual(MAX.title);
    expect(len(embed.description), `${where}: embed description`).toBeLessThanOrEqual(MAX.description);
    expect(len(embed.footer?.text), `${where}: embed footer`).toBeLessThanOrEqual(MAX.footer);
    expect(len(embed.author?.name), `${where}: embed author`).toBeLessThanOrEqual(MAX.author);
    expect((embed.fields ?? []).length, `${where}: fields`).toBeLessThanOrEqual(MAX.fields);
    for (const field of embed.fields ?? []) {
      expect(len(field.name), `${where}: field name`).toBeLessThanOrEqual(MAX.fieldName);
      expect(len(field.value), `${where}: field value`).toBeLessThanOrEqual(MAX.fieldValue);
      expect(field.value.length, `${where}: empty field value`).toBeGreaterThan(0);
    }
    total += len(embed.title) + len(embed.description) + len(embed.footer?.text) + len(embed.author?.name) + (embed.fields ?? []).reduce((n, f) => n + len(f.name) + len(f.value), 0);
  }
  expect(total, `${where}: embeds total`).toBeLessThanOrEqual(MAX.embedsTotal);
  checkRows((body.components ?? []) as Row[], where);
  const mentions = body.allowed_mentions;
  // A message with text must say what it may ping: without allowed_mentions Discord pings all it names.
  if (len(body.content) > 0) expect(mentions, `${where}: allowed_mentions with content ${JSON.stringify(body.content?.slice(0, 80))}`).toBeDefined();
  if (mentions) {
    expect(mentions.parse ?? [], `${where}: allowed_mentions.parse`).toEqual([]);
    expect(mentions.replied_user ?? false, `${where}: replied_user`).toBe(false);
    for (const id of mentions.users ?? []) expect(OPTION_USERS, `${where}: pings user ${id}`).toContain(id);
    for (const id of mentions.roles ?? []) expect(OPTION_ROLES, `${where}: pings role ${id}`).toContain(id);
  }
}

function checkChoices(choices: MessageBody["choices"], where: string): void {
  expect(choices, `${where}: choices`).toBeDefined();
  expect(choices?.length ?? 0, `${where}: number of choices`).toBeLessThanOrEqual(MAX.choices);
  for (const choice of choices ?? []) {
    expect(choice.name.length, `${where}: choice name ${JSON.stringify(choice.name)}`).toBeGreaterThan(0);
    expect(choice.name.length, `${where}: choice name`).toBeLessThanOrEqual(MAX.choice);
    expect(String(choice.value).length, `${where}: choice value`).toBeLessThanOrEqual(MAX.choice);
  }
}

/** A modal: title, custom id, text inputs (label, prefilled value, placeholder) within Discord's limits. */
function checkModal(body: MessageBody, where: string): void {
  expect(len(body.title), `${where}: modal title`).toBeGreaterThan(0);
  expect(len(body.title), `${where}: modal title`).toBeLessThanOrEqual(MAX.modalTitle);
  expect(len(body.custom_id), `${where}: modal custom_id`).toBeLessThanOrEqual(MAX.customId);
  const rows = (body.components ?? []) as Row[];
  checkRows(rows, where);
  const inputs = rows.flatMap((r) => r.components ?? []);
  for (const input of inputs) {
    expect(len(input.label), `${where}: input label`).toBeLessThanOrEqual(MAX.inputLabel);
    expect(len(input.placeholder), `${where}: input placeholder`).toBeLessThanOrEqual(MAX.placeholder);
    expect(len(input.value), `${where}: input value`).toBeLessThanOrEqual(Math.min(input.max_length ?? MAX.inputValue, MAX.inputValue));
  }
  seenModals.set(body.custom_id ?? "", inputs.map((i) => ({ id: i.custom_id ?? "", required: i.required ?? true, max: i.max_length ?? MAX.inputValue })));
}

/** Every message-like request the bot made while handling one interaction; notes the buttons it made. */
function checkRequests(requests: readonly RecordedRequest[], where: string): void {
  for (const request of requests) {
    const at = `${where} → ${request.method} ${request.path.replace(/\/[\w-]{60,}/, "/…")}`;
    const body = (request.body ?? {}) as MessageBody & { type?: number; data?: MessageBody };
    let message: MessageBody | undefined;
    if (/^\/interactions\/\d+\/[\w-]+\/callback$/.test(request.path)) {
      if (body.type === 8) checkChoices(body.data?.choices, at);
      else if (body.type === 9) checkModal(body.data ?? {}, at);
      else message = body.data;
    } else if (request.method !== "GET" && request.method !== "DELETE" && /^\/(webhooks|channels)\//.test(request.path)) {
      message = body;
    }
    if (!message) continue;
    checkMessage(message, at);
    for (const row of (message.components ?? []) as Row[]) for (const c of row.components ?? []) if (c.custom_id) seenButtons.add(c.custom_id);
  }
}

/**
 * Sends one interaction and waits until the bot's handler has finished (its metrics hook runs last,
 * after every answer, error note included); checks the callback came within 3 s, then every request.
 */
async function exchange(payload: APIInteraction, where: string): Promise<InteractionOutcome | "known_defect"> {
  const from = h.fake.requests.length;
  const seen = outcomes.length;
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${where}: handler did not finish within 15 s`)), 15_000);
    onOutcome = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const reply = await h.fake.interact(payload, { timeoutMs: CALLBACK_MS });
  expect(reply.latencyMs, `${where}: callback latency`).toBeLessThan(CALLBACK_MS);
  await finished;
  onOutcome = null;
  checkRequests(h.fake.requests.slice(from), where);
  expect(outcomes.length, `${where}: one handler run`).toBe(seen + 1);
  const outcome = outcomes[seen]?.outcome ?? "fault";
  return outcome === "fault" && isKnownDefect(payload.id) ? "known_defect" : outcome;
}

const failures = () => h.logs.filter((l) => l.msg === "interaction failed" || l.msg === "autocomplete failed");
const isKnownDefect = (interactionId: string) =>
  failures().some((l) => l.interactionId === interactionId && KNOWN_DEFECTS.some((known) => known.test(String((l.err as { message?: unknown } | undefined)?.message))));

const describeSpec = (spec: ChatSpec) => `/${[spec.name, spec.subcommandGroup, spec.subcommand].filter(Boolean).join(" ")} ${JSON.stringify(spec.options).slice(0, 300)}`;

/** The bot still answers a plain /quote: nothing random took it down. (Through exchange, so its metrics entry is not taken for the next one's.) */
async function stillAnswers(): Promise<void> {
  const payload = h.fake.payloads.chatInput({ name: "quote", options: { query: "Putin" } });
  expect(await exchange(payload, "/quote Putin")).toBe("ok");
  const callback = h.fake.requests.find((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`)?.body as { type?: number; data?: MessageBody } | undefined;
  expect(callback?.type).toBe(4);
  expect(callback?.data?.embeds).toHaveLength(1);
}

/**
 * A fresh /library add preview by bob (who may change the library), and its Edit details clicked:
 * returns the details form's custom id. The random clicks may have used up or cancelled earlier ones.
 */
async function seedForm(): Promise<string> {
  const bob = DEFAULT_USERS.bob;
  const md = h.fake.attach("seed.md", "---\ntitle: Seed\nauthors: [Ann Lee]\noutlet: Kyiv Weekly\npublished: 2025-01-09\n---\n\nTalks need a referee. Both sides say so, and both sides mean it, more or less.\n", "text/markdown");
  attachments.set(md.id, md);
  const add = h.fake.payloads.chatInput({ name: "library", subcommand: "add", options: { file: md.id }, resolved: resolvedFor({ file: md.id }), user: bob });
  expect(await exchange(add, "seed /library add")).toBe("ok");
  const preview = h.fake.requests.findLast((r) => r.method === "PATCH" && r.path.includes(add.token))?.body as MessageBody | undefined;
  const edit = ((preview?.components ?? []) as Row[]).flatMap((row) => row.components ?? []).find((c) => c.custom_id?.startsWith("library:edit:"))?.custom_id;
  expect(edit, "the preview's Edit details button").toBeDefined();
  expect(await exchange(h.fake.payloads.button({ customId: edit ?? "", user: bob }), "seed Edit details")).toBe("ok");
  const form = [...seenModals.keys()].find((id) => id === `library:details:${edit?.split(":")[2] ?? ""}`);
  expect(form, "the details form").toBeDefined();
  return form ?? "";
}

const tally = (prefix: string) => outcomes.filter((o) => o.command.startsWith(prefix)).reduce<Record<string, number>>((all, o) => ({ ...all, [o.outcome]: (all[o.outcome] ?? 0) + 1 }), {});

describe("the checks themselves", () => {
  it("refuse what Discord would refuse and any ping from text", () => {
    const ok: MessageBody = { content: "hi @everyone", allowed_mentions: { parse: [], users: [DEFAULT_IDS.bob] }, embeds: [{ title: "t", description: "d" }] };
    expect(() => checkMessage(ok, "ok")).not.toThrow();
    const bad: MessageBody[] = [
      { content: "x".repeat(2001), allowed_mentions: { parse: [] } },
      { content: "hi @everyone" },
      { content: "hi", allowed_mentions: { parse: ["everyone"] } },
      { content: `<@${CAROL.id}>`, allowed_mentions: { parse: [], users: [CAROL.id] } },
      { content: `<@&${GHOST_ROLE}>`, allowed_mentions: { parse: [], roles: [GHOST_ROLE] } },
      { content: "r", allowed_mentions: { parse: [], replied_user: true } },
      { embeds: [{ title: "t".repeat(257) }] },
      { embeds: [{ description: "d".repeat(4097) }] },
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: "n", value: "v" })) }] },
      { embeds: [{ fields: [{ name: "n", value: "v".repeat(1025) }] }] },
      { embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2001) }] },
      { components: [{ type: 1, components: [{ type: 2, custom_id: "c".repeat(101), label: "l" }] }] },
      { components: [{ type: 1, components: [{ type: 2, custom_id: "c", label: "l".repeat(81) }] }] },
    ];
    for (const body of bad) expect(() => checkMessage(body, "bad"), JSON.stringify(body).slice(0, 120)).toThrow();
    expect(() => checkChoices([{ name: "n".repeat(101), value: "v" }], "bad")).toThrow();
    expect(() => checkChoices([{ name: "", value: "v" }], "bad")).toThrow();
    expect(() => checkChoices(Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: "v" })), "bad")).toThrow();
    expect(() => checkModal({ title: "t".repeat(46), custom_id: "m", components: [] }, "bad")).toThrow();
  });
});

describe("random option values against every command, autocomplete, button, modal and the message menu", () => {
  it("chat commands: answered within 3 s, within Discord's limits, no ping from text, no fault", async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(chatSpecs(), async (spec) => {
        const where = describeSpec(spec);
        const outcome = await exchange(h.fake.payloads.chatInput({ ...spec, resolved: resolvedFor(spec.options) }), where);
        expect(outcome, `${where}: outcome`).not.toBe("fault");
        reached.add(spec.name);
      }),
      { numRuns: RUNS.commands },
    );
    expect([...reached].sort()).toEqual(chatCommands.map((c) => c.data.name).sort());
    // Random values do not only bounce off validation: real answers are among them.
    expect(outcomes.filter((o) => o.outcome === "ok").length).toBeGreaterThan(RUNS.commands / 10);
    await stillAnswers();
  }, 60_000);

  it("autocomplete on every option that has it: at most 25 choices, names and values within 1–100 characters", async () => {
    await fc.assert(
      fc.asyncProperty(autocompleteSpecs(), async (spec) => {
        const where = `autocomplete ${describeSpec(spec)} focused ${spec.focused}`;
        const payload = h.fake.payloads.autocomplete(spec);
        expect(await exchange(payload, where), `${where}: outcome`).toBe("ok");
        const callback = h.fake.requests.findLast((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
        expect((callback?.body as { type?: number } | undefined)?.type, where).toBe(8);
      }),
      { numRuns: RUNS.autocomplete },
    );
    await stillAnswers();
  }, 60_000);

  it("buttons of every prefix: the bot's own custom ids (from the answers above), mutations of them and made-up ones, by anyone", async () => {
    // Every kind of button shown at least once, whatever the random runs reached: /quote's, and a library preview's.
    await exchange(h.fake.payloads.chatInput({ name: "quote", options: { query: "Putin peace" }, user: DEFAULT_USERS.bob }), "seed /quote");
    await seedForm();
    const prefixes = [quoteButtons.prefix, ...(botCommands.buttons ?? []).map((b) => b.prefix)];
    for (const prefix of prefixes) expect([...seenButtons].some((id) => id.startsWith(`${prefix}:`)), `a ${prefix}: button was seen`).toBe(true);
    const own = fc.constantFrom(...seenButtons);
    const segment = fc.oneof(short(), fc.integer({ min: -2, max: 30 }).map(String), fc.constantFrom("", "NaN", "1e2", "0x1", "-0", " 1", "9999999999999999", "00000000"));
    const customId = fc
      .oneof(
        { weight: 3, arbitrary: own },
        { weight: 3, arbitrary: fc.tuple(own, fc.nat(), segment).map(([id, at, value]) => id.split(":").map((part, i, all) => (i === at % all.length ? value : part)).join(":")) },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...prefixes, "Quote", "digest", "help", ""), segment, segment).map((parts) => parts.join(":")) },
        { weight: 1, arbitrary: text() },
      )
      .map((id) => id.slice(0, MAX.customId))
      .filter((id) => id.length > 0);
    await fc.assert(
      fc.asyncProperty(customId, who, async (id, user) => {
        const where = `button ${JSON.stringify(id)} by ${user.username}`;
        expect(await exchange(h.fake.payloads.button({ customId: id, user }), where), `${where}: outcome`).not.toBe("fault");
      }),
      { numRuns: RUNS.buttons },
    );
    expect(tally("component:").ok ?? 0, "some clicks did what the button is for").toBeGreaterThan(RUNS.buttons / 20);
    await stillAnswers();
  }, 60_000);

  it("modal submits: the bot's own forms (and made-up ids) filled with the same random text", async () => {
    const form = await seedForm();
    const inputs = seenModals.get(form) ?? [];
    expect(inputs.map((i) => i.id)).toEqual(["title", "authors", "outlet", "published"]);
    // Built once (arbitraries are costly to build; per run it would dominate the time).
    const value = fc.oneof({ weight: 1, arbitrary: text() }, { weight: 2, arbitrary: fc.constantFrom("", "2025-01-09", "2025-02-30", "Kyiv Weekly", "Ann Lee, Bo Chen and Cy Diaz") });
    // Discord enforces each input's max_length and required; within them, anything.
    const fill = fc.record(Object.fromEntries(inputs.map((i) => [i.id, value.map((t) => t.slice(0, i.max)).filter((t) => !i.required || t.length > 0)])));
    const filled = fc.oneof(
      { weight: 6, arbitrary: fc.record({ customId: fc.constant(form), fields: fill }) },
      { weight: 1, arbitrary: fc.record({ customId: fc.constantFrom("library:details:nope", "library:details:", "zzz:1"), fields: fill }) },
      { weight: 1, arbitrary: fc.record({ customId: short().map((id) => id.slice(0, MAX.customId) || "x"), fields: fill }) },
    );
    await fc.assert(
      fc.asyncProperty(filled, who, async ({ customId, fields }, user) => {
        const where = `modal ${JSON.stringify(customId)} ${JSON.stringify(fields).slice(0, 300)} by ${user.username}`;
        expect(await exchange(h.fake.payloads.modalSubmit({ customId, fields, user }), where), `${where}: outcome`).not.toBe("fault");
      }),
      { numRuns: RUNS.modals },
    );
    expect(tally("modal:").ok ?? 0, "some forms went through").toBeGreaterThan(0);
    await stillAnswers();
  }, 60_000);

  it("the Find passages message menu on messages full of the same", async () => {
    await fc.assert(
      fc.asyncProperty(text(), who, async (content, user) => {
        const where = `Find passages on ${JSON.stringify(content.slice(0, 200))}`;
        const payload = h.fake.payloads.messageContextMenu({ name: "Find passages", target: { content: content.slice(0, 4000), author: CAROL }, user });
        expect(await exchange(payload, where), `${where}: outcome`).not.toBe("fault");
      }),
      { numRuns: RUNS.menu },
    );
    await stillAnswers();
  }, 60_000);

  it("logged no fault but the known defects, and left nothing unanswered", () => {
    expect(failures().filter((l) => !isKnownDefect(String(l.interactionId)))).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === "expired")).toEqual([]);
    const slowest = Math.max(...outcomes.map((o) => o.seconds));
    console.log(`fuzz: ${outcomes.length} interactions, slowest handler ${slowest.toFixed(3)} s`, JSON.stringify(["", "autocomplete:", "component:", "modal:", "Find"].map((p) => [p || "all", tally(p)])));
  });
});

describe("defects the fuzzing found, fixed", () => {
  it("/library add with an .html file of plain text is a user error, not a fault", async () => {
    const html = h.fake.attach("notes.html", "Just a few words, no markup.", "text/html");
    attachments.set(html.id, html);
    const payload = h.fake.payloads.chatInput({ name: "library", subcommand: "add", options: { file: html.id }, resolved: resolvedFor({ file: html.id }), user: DEFAULT_USERS.bob });
    expect(await exchange(payload, "/library add notes.html")).toBe("user_error");
  });
});
