import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, REST, Routes, type RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCommands, validateCommandPayloads } from "../../src/discord/register.js";
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord } from "../../src/fake-discord/index.js";
import { commandPayloads } from "../../commands/index.js";

let fake: FakeDiscord;
let rest: REST;
beforeEach(async () => {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.apiUrl }).setToken(fake.botToken);
});
afterEach(async () => {
  await fake.close();
});

const register = (guildId?: string) => registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId, apiUrl: fake.apiUrl });
const guildRoute = () => Routes.applicationGuildCommands(fake.applicationId, DEFAULT_IDS.guild);
const globalRoute = () => Routes.applicationCommands(fake.applicationId);
type Payload = RESTPostAPIApplicationCommandsJSONBody & Record<string, unknown>;
/** What Discord has registered, as if an earlier version of the commands had been registered: `edit` changes one of them. */
async function registeredBefore(route: `/${string}`, name: string, edit: (command: Payload) => Payload): Promise<void> {
  await rest.put(route, { body: commandPayloads().map((c) => (c.name === name ? edit(structuredClone(c) as Payload) : c)) });
}
/** Reverses the key order of every object, as another serialiser might. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
  return value;
}

describe("the register report", () => {
  it("says unchanged for the same commands, whatever the key order and with Discord's defaults filled in", async () => {
    await rest.put(guildRoute(), { body: commandPayloads().map((c) => ({ nsfw: false, ...(reorder(c) as object) })) });
    const report = await register(DEFAULT_IDS.guild);
    expect(report.changed).toEqual([]);
    expect(report.unchanged).toHaveLength(commandPayloads().length);
  });

  it("reports a change in default_member_permissions, nsfw, or an option of a subcommand", async () => {
    await registeredBefore(guildRoute(), "digest", (c) => ({ ...c, default_member_permissions: "0" }));
    expect((await register(DEFAULT_IDS.guild)).changed).toEqual(["digest"]);
    await registeredBefore(guildRoute(), "quote", (c) => ({ ...c, nsfw: true }));
    expect((await register(DEFAULT_IDS.guild)).changed).toEqual(["quote"]);
    await registeredBefore(guildRoute(), "digest", (c) => {
      const options = (c["options"] ?? []) as { name: string; options?: { name: string; max_length?: number }[] }[];
      const time = options.find((o) => o.name === "setup")?.options?.find((o) => o.name === "time");
      if (time) time.max_length = 8;
      return c;
    });
    const report = await register(DEFAULT_IDS.guild);
    expect(report.changed).toEqual(["digest"]);
    expect(report.unchanged).not.toContain("digest");
  });

  it("globally, reports a change in contexts or integration_types", async () => {
    await registeredBefore(globalRoute(), "help", (c) => ({ ...c, contexts: [InteractionContextType.Guild, InteractionContextType.BotDM] }));
    expect((await register()).changed).toEqual(["help"]);
    await registeredBefore(globalRoute(), "Find passages", (c) => ({ ...c, integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall] }));
    expect((await register()).changed).toEqual(["Find passages"]);
    expect((await register()).changed).toEqual([]);
  });

  it("in a guild, where Discord does not use contexts and integration_types, does not count them", async () => {
    await rest.put(guildRoute(), { body: commandPayloads().map(({ contexts: _c, integration_types: _i, ...rest }) => rest) });
    expect((await register(DEFAULT_IDS.guild)).changed).toEqual([]);
  });

  it("warns when the commands are registered both globally and in the dev guild", async () => {
    expect((await register(DEFAULT_IDS.guild)).warnings).toEqual([]);
    await register();
    const report = await register(DEFAULT_IDS.guild);
    expect(report.warnings).toEqual([
      `Also registered globally: ${commandPayloads().map((c) => c.name).join(", ")}. This server lists those twice (its own copy and the global one). ` +
        "Develop with a separate application, or remove the global commands.",
    ]);
    expect((await register()).warnings).toEqual([]); // globally, there is no dev guild to compare with
  });
});

describe("validateCommandPayloads", () => {
  it("checks the options of subcommands and groups like top-level ones", () => {
    const Sub = ApplicationCommandOptionType.Subcommand;
    const problems = validateCommandPayloads([
      {
        name: "tool",
        description: "A tool",
        options: [
          {
            type: Sub,
            name: "run",
            description: "Run it",
            options: [
              { type: ApplicationCommandOptionType.String, name: "Bad Name", description: "x" },
              { type: ApplicationCommandOptionType.String, name: "late", description: "Required after an optional one", required: true },
              { type: ApplicationCommandOptionType.String, name: "long", description: "y".repeat(101) },
            ],
          },
          {
            type: ApplicationCommandOptionType.SubcommandGroup,
            name: "group",
            description: "A group",
            options: [
              {
                type: Sub,
                name: "inner",
                description: "Inner",
                options: [{ type: ApplicationCommandOptionType.Integer, name: "n", description: "n", choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: i })) }],
              },
            ],
          },
        ],
      },
    ]);
    expect(problems).toEqual([
      "tool run Bad Name: an option name is 1–32 lowercase letters, digits, - or _",
      "tool run late: required options must come before optional ones",
      "tool run long: an option description has 1–100 characters",
      "tool group inner n: 26 choices (at most 25)",
    ]);
  });

  it("refuses subcommands mixed with plain options, and a group inside a subcommand", () => {
    const problems = validateCommandPayloads([
      {
        name: "mixed",
        description: "Mixed",
        options: [
          { type: ApplicationCommandOptionType.Subcommand, name: "one", description: "One", options: [{ type: ApplicationCommandOptionType.Subcommand, name: "deep", description: "Too deep" }] },
          { type: ApplicationCommandOptionType.String, name: "plain", description: "Plain" },
        ],
      },
    ] as unknown as RESTPostAPIApplicationCommandsJSONBody[]);
    expect(problems).toEqual([
      "mixed: subcommands and groups cannot sit beside other options",
      "mixed one deep: a subcommand holds only plain options",
    ]);
  });

  it("finds nothing wrong with Agora's own commands", () => {
    expect(validateCommandPayloads(commandPayloads())).toEqual([]);
  });
});
