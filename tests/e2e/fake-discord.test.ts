// The fake Discord against a real discord.js Client: login, interactions in, responses out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
} from "discord.js";
import type { Interaction, TextChannel } from "discord.js";
import { DEFAULT_IDS, DEFAULT_USERS, startFakeDiscord } from "../../src/fake-discord/index.js";
import type { FakeDiscord } from "../../src/fake-discord/index.js";

let fake: FakeDiscord;
let client: Client;
const handlerErrors: unknown[] = [];

async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    switch (interaction.commandName) {
      case "ping":
        await interaction.reply({ content: "pong", allowedMentions: { parse: [] } });
        return;
      case "slow":
        await interaction.deferReply();
        await interaction.editReply({ content: "done thinking" });
        return;
      case "multi":
        await interaction.reply({ content: "first" });
        await interaction.followUp({ content: "second", flags: MessageFlags.Ephemeral });
        return;
      case "sum": {
        const a = interaction.options.getNumber("a", true);
        const b = interaction.options.getInteger("b", true);
        await interaction.reply({ content: `${a + b} for ${interaction.user.username}` });
        return;
      }
      case "attach":
        await interaction.reply({ content: "see file", files: [{ attachment: Buffer.from("hello"), name: "quote.txt" }] });
        return;
      default:
        await interaction.reply({ content: `unknown command ${interaction.commandName}` });
        return;
    }
  }
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    await interaction.respond([
      { name: `${typed} one`, value: `${typed}-1` },
      { name: `${typed} two`, value: `${typed}-2` },
    ]);
    return;
  }
  if (interaction.isButton()) {
    await interaction.update({ content: `clicked ${interaction.customId} by ${interaction.user.username}`, components: [] });
    return;
  }
  if (interaction.isStringSelectMenu()) {
    await interaction.update({ content: `picked ${interaction.values.join(",")}` });
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    await interaction.reply({ content: `> ${interaction.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.isModalSubmit()) {
    await interaction.reply({ content: `noted: ${interaction.fields.getTextInputValue("note")}` });
  }
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      const channel = c.channels.cache.get(DEFAULT_IDS.channel) as TextChannel | undefined;
      void channel?.send({ content: "Agora is up", allowedMentions: { parse: [] } });
      resolve();
    });
  });
  await client.login(fake.botToken);
  await ready;
});

afterAll(async () => {
  await client.destroy();
  await fake.close();
});

describe("fake Discord with a real discord.js client", () => {
  it("logs in: READY user, cached guild, channels, roles, identify intents", () => {
    expect(client.user?.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get(DEFAULT_IDS.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(DEFAULT_IDS.channel)?.name).toBe("general");
    expect(guild?.roles.cache.map((r) => r.name).sort()).toEqual(["@everyone", "Agora", "Moderators"]);
    expect(guild?.members.me?.id).toBe(fake.botUser.id); // without the GuildMembers intent only the bot's own member
    expect(fake.identifies).toHaveLength(1);
    expect(fake.requests.find((r) => r.path === "/gateway/bot")?.authorized).toBe(true);
  });

  it("records channel.send from the ready handler", async () => {
    const sent = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${DEFAULT_IDS.channel}/messages`);
    expect(sent.authorized).toBe(true);
    expect(sent.authorization).toBe(`Bot ${fake.botToken}`);
    expect(sent.body).toMatchObject({ content: "Agora is up", allowed_mentions: { parse: [] } });
    const history = fake.channelMessages(DEFAULT_IDS.channel);
    expect(history.find((m) => m.content === "Agora is up")?.author.id).toBe(fake.botUser.id);
  });

  it("chat input → reply: callback type 4 with the body, latency recorded", async () => {
    const reply = await fake.interact(fake.payloads.chatInput({ name: "ping" }));
    // discord.js always adds tts: false and enforce_nonce: false, hence toMatchObject
    expect(reply.callback).toMatchObject({ type: 4, data: { content: "pong", allowed_mentions: { parse: [] } } });
    expect(reply.callback.data).toEqual({ content: "pong", allowed_mentions: { parse: [] }, tts: false, enforce_nonce: false });
    expect(reply.latencyMs).toBeGreaterThan(0);
    expect(reply.latencyMs).toBeLessThan(3000);
    expect(reply.original()?.content).toBe("pong");
    expect(fake.requests.find((r) => r.path.endsWith(`/${reply.token}/callback`))?.authorization).toBeNull();
  });

  it("multipart replies: payload_json is the body, files are listed and become attachments", async () => {
    const reply = await fake.interact(fake.payloads.chatInput({ name: "attach" }));
    expect(reply.callback).toMatchObject({ type: 4, data: { content: "see file" } });
    const request = fake.requests.find((r) => r.path === `/interactions/${reply.interactionId}/${reply.token}/callback`);
    expect(request?.files).toEqual([{ field: "files[0]", filename: "quote.txt", contentType: "application/octet-stream", size: 5, data: Buffer.from("hello") }]);
    expect(reply.original()?.attachments[0]?.filename).toBe("quote.txt");
  });

  it("deferReply + editReply: type 5, then PATCH @original", async () => {
    const reply = await fake.interact(fake.payloads.chatInput({ name: "slow" }));
    expect(reply.callback.type).toBe(5);
    const edit = await reply.waitForEdit();
    expect(edit.content).toBe("done thinking");
    expect(reply.original()?.content).toBe("done thinking");
    expect((reply.original()?.flags ?? 0) & MessageFlags.Loading).toBe(0);
    expect(fake.requests.some((r) => r.method === "PATCH" && r.path.endsWith("/messages/@original"))).toBe(true);
  });

  it("reply + followUp: the follow-up is a webhook POST, ephemeral ones stay out of channel history", async () => {
    const reply = await fake.interact(fake.payloads.chatInput({ name: "multi" }));
    expect(reply.callback.data?.content).toBe("first");
    const followUp = await reply.waitForFollowUp();
    expect(followUp).toMatchObject({ content: "second", flags: MessageFlags.Ephemeral });
    expect(reply.followUpMessages()[0]?.content).toBe("second");
    const history = fake.channelMessages(DEFAULT_IDS.channel).map((m) => m.content);
    expect(history).toContain("first");
    expect(history).not.toContain("second");
  });

  it("button → update: type 7 edits the message the button is on", async () => {
    const reply = await fake.interact(fake.payloads.button({ customId: "quote:more", user: DEFAULT_USERS.bob }));
    expect(reply.callback).toMatchObject({ type: 7, data: { content: "clicked quote:more by bob", components: [] } });
    expect(reply.original()).toMatchObject({ content: "clicked quote:more by bob", components: [] });
    const stored = fake.channelMessages(DEFAULT_IDS.channel).find((m) => m.id === reply.original()?.id);
    expect(stored?.content).toBe("clicked quote:more by bob");
  });

  it("string select → update", async () => {
    const reply = await fake.interact(fake.payloads.selectMenu({ customId: "pick", values: ["a", "b"] }));
    expect(reply.callback).toMatchObject({ type: 7, data: { content: "picked a,b" } });
  });

  it("autocomplete → respond: type 8 with choices", async () => {
    const reply = await fake.interact(fake.payloads.autocomplete({ name: "quote", options: { topic: "tax" }, focused: "topic" }));
    expect(reply.callback).toEqual({
      type: 8,
      data: { choices: [{ name: "tax one", value: "tax-1" }, { name: "tax two", value: "tax-2" }] },
    });
  });

  it("message context menu → ephemeral reply quoting the target", async () => {
    const reply = await fake.interact(fake.payloads.messageContextMenu({ name: "Find op-ed", target: { content: "Taxes are theft" } }));
    expect(reply.callback).toMatchObject({ type: 4, data: { content: "> Taxes are theft", flags: MessageFlags.Ephemeral } });
  });

  it("modal submit → reply", async () => {
    const reply = await fake.interact(fake.payloads.modalSubmit({ customId: "feedback", fields: { note: "nice" } }));
    expect(reply.callback.data?.content).toBe("noted: nice");
  });

  it("answers unknown routes 404 at once and records them", async () => {
    const error = await client.rest.get("/nope/nothing-here").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).status).toBe(404);
    expect(fake.unknownRoutes.map((r) => `${r.method} ${r.path}`)).toContain("GET /nope/nothing-here");
  });

  it("answers 401 to a wrong bot token", async () => {
    const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken("not-the-token");
    const error = await rest.get(Routes.user("@me")).catch((e: unknown) => e);
    expect((error as DiscordAPIError).status).toBe(401);
    expect(fake.requests.find((r) => r.path === "/users/@me" && r.status === 401)?.authorized).toBe(false);
  });

  it("stores bulk-overwritten guild commands; chat input options then take the registered types", async () => {
    const body = [
      { name: "ping", description: "Ping", type: ApplicationCommandType.ChatInput },
      {
        name: "sum",
        description: "Add",
        options: [
          { name: "a", description: "a", type: ApplicationCommandOptionType.Number, required: true },
          { name: "b", description: "b", type: ApplicationCommandOptionType.Integer, required: true },
        ],
      },
    ];
    const answer = (await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, DEFAULT_IDS.guild), { body })) as { id: string }[];
    const stored = fake.registeredCommands({ guildId: DEFAULT_IDS.guild });
    expect(stored.map((c) => c.name)).toEqual(["ping", "sum"]);
    expect(answer.map((c) => c.id)).toEqual(stored.map((c) => c.id));
    expect(fake.registeredCommands()).toEqual([]);

    // 2 is an integer in JS, but the registered option says Number, so getNumber works
    const reply = await fake.interact(fake.payloads.chatInput({ name: "sum", options: { a: 2, b: 3 } }));
    expect(reply.callback.data?.content).toBe("5 for alice");
  });

  it("saw no handler errors", () => {
    expect(handlerErrors).toEqual([]);
  });
});
