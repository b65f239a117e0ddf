import { MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestMarker } from "../../src/digest/content.js";
import { digestRest, restSender } from "../../src/discord/digest-sender.js";
import { scheduledAt } from "../../src/digest/schedule.js";
import { DigestScheduler } from "../../src/digest/scheduler.js";
import { SqliteDigestStore } from "../../src/digest/store-sqlite.js";
import type { DigestSender } from "../../src/digest/sender.js";
import type { Database } from "../../src/storage/db.js";
import { ManualClock, silentLogger, tempDatabase } from "../digest/helpers.js";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";
import { allow, deny } from "../../src/fake-discord/overwrites.js";
import { DEFAULT_IDS, DEFAULT_USERS, defaultGuild, type FakeGuild, type FakeUser } from "../../src/fake-discord/index.js";
import { apiChannel } from "../../src/fake-discord/payloads.js";

const P = PermissionFlagsBits;
const IDS = {
  botNoHistory: "1100000000000000060",
  memberCantSend: "1100000000000000061",
  memberCantSee: "1100000000000000062",
  noMentions: "1100000000000000063",
  readers: "1100000000000000064",
} as const;
const ZONE = "Europe/Kyiv";
const atOn = (day: string) => scheduledAt(day, "09:00", ZONE);
const { alice, bob } = DEFAULT_USERS;

let h: Harness;
let db: Database;
let guild: FakeGuild;
const file = tempDatabase();
const clock = new ManualClock(Date.parse("2025-06-02T04:00:00Z")); // 07:00 in Kyiv
const NONCE_WINDOW_MS = 150; // the fake's enforce_nonce memory, in real time: short, so a test can outlast it

beforeAll(async () => {
  db = file.open();
  guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  const everyone = DEFAULT_IDS.guild;
  guild.roles.push({ id: IDS.readers, name: "Readers", permissions: "0", position: 1, mentionable: true });
  guild.channels.push(
    { id: IDS.botNoHistory, name: "bot-no-history", overwrites: [deny(DEFAULT_IDS.botRole, P.ReadMessageHistory)] },
    { id: IDS.memberCantSend, name: "announcements", overwrites: [deny(everyone, P.SendMessages), allow(DEFAULT_IDS.botRole, P.SendMessages)] },
    { id: IDS.memberCantSee, name: "staff", overwrites: [deny(everyone, P.ViewChannel), allow(DEFAULT_IDS.botRole, P.ViewChannel)] },
    { id: IDS.noMentions, name: "no-mentions", overwrites: [deny(everyone, P.MentionEveryone)] },
  );
  h = await startBot({ database: db, digest: { clock, autoTick: false }, fake: { guilds: [guild], nonceWindowMs: NONCE_WINDOW_MS } });
});
afterAll(async () => {
  await h.close();
  db.close();
  file.cleanup();
});

/** Runs /digest <sub> and returns the private answer (the edit of the deferred reply). */
async function answer(sub: string, options: Record<string, string> = {}, user: FakeUser = bob) {
  const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "digest", subcommand: sub, options, user }));
  expect(reply.callback.type).toBe(5);
  expect((reply.callback.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return bodyOf(await reply.waitForEdit());
}
const digest = async (sub: string, options: Record<string, string> = {}, user: FakeUser = bob) => (await answer(sub, options, user)).content;
const setupIn = (channel: string, extra: Record<string, string> = {}) => ({ channel, time: "09:00", timezone: ZONE, ...extra });
const digestsOn = (day: string) => h.fake.channelMessages(DEFAULT_IDS.channel).filter((m) => m.embeds.some((e) => e.footer?.text === digestMarker(day)));

describe("/digest setup checks the bot and the member in the target channel", () => {
  it("requires Read Message History for the bot, which recovery after a crash depends on", async () => {
    expect(await digest("setup", setupIn(IDS.botNoHistory))).toMatch(/^I can't post the digest in <#\d+>: I'm missing \*\*Read Message History\*\* there\./);
    expect(await digest("status")).toMatch(/no daily digest here yet/);
  });

  it("requires the member's own View Channel and Send Messages in that channel", async () => {
    expect(await digest("setup", setupIn(IDS.memberCantSend), alice)).toBe(
      `You can't post in <#${IDS.memberCantSend}> yourself: you're missing **Send Messages** there. Pick a channel you can post in.`,
    );
    expect(await digest("setup", setupIn(IDS.memberCantSee), alice)).toBe(
      `You can't post in <#${IDS.memberCantSee}> yourself: you're missing **View Channel** there. Pick a channel you can post in.`,
    );
    expect(await digest("status", {}, alice)).toMatch(/no daily digest here yet/);
  });

  it("requires Mention Everyone from the member to pick a role that isn't mentionable", async () => {
    expect(await digest("setup", setupIn(IDS.noMentions, { role: DEFAULT_IDS.moderatorRole }), alice)).toBe(
      `<@&${DEFAULT_IDS.moderatorRole}> isn't mentionable, and you don't have **Mention @everyone, @here, and All Roles** in <#${IDS.noMentions}>: ` +
        "pick a role anyone may mention, or ask someone who has that permission.",
    );
    expect(await digest("status", {}, alice)).toMatch(/no daily digest here yet/);
    // A mentionable role is fine; so is any role for someone who may mention everyone there.
    expect(await digest("setup", setupIn(IDS.noMentions, { role: IDS.readers }), alice)).toContain(`It will mention <@&${IDS.readers}> and nobody else.`);
    expect(await digest("setup", setupIn(IDS.noMentions, { role: DEFAULT_IDS.moderatorRole }), bob)).toContain(`It will mention <@&${DEFAULT_IDS.moderatorRole}>`);
  });
});

describe("a run left claimed by a crash, once Discord's nonce window has passed", () => {
  it("is not sent again when the bot can no longer read the channel's history", async () => {
    expect(await digest("setup", setupIn(DEFAULT_IDS.channel))).toContain("every day at **09:00**");
    // After setup, someone takes Read Message History from the bot in the digest channel.
    const general = guild.channels.find((c) => c.id === DEFAULT_IDS.channel);
    if (!general) throw new Error("no general channel");
    general.overwrites = [deny(DEFAULT_IDS.botRole, P.ReadMessageHistory)];
    h.fake.dispatch("CHANNEL_UPDATE", apiChannel(guild, general, 0));
    const cached = () => {
      const channel = h.bot.client.channels.cache.get(DEFAULT_IDS.channel);
      return channel && "permissionsFor" in channel ? channel.permissionsFor(DEFAULT_IDS.bot) : null;
    };
    await waitUntil(() => cached()?.has(P.ReadMessageHistory) === false);

    // A process posts the 2 June digest and dies before recording it.
    const real = restSender(digestRest({ token: h.fake.botToken, apiUrl: h.fake.apiUrl }), () => DEFAULT_IDS.bot);
    let crashed = false;
    const dying: DigestSender = {
      findPosted: (request) => real.findPosted(request),
      async send(request) {
        await real.send(request);
        crashed = true;
        return new Promise<never>(() => undefined);
      },
    };
    clock.set(atOn("2025-06-02"));
    void new DigestScheduler({ store: new SqliteDigestStore(db), engine: h.engine, sender: dying, clock, logger: silentLogger }).tick();
    await waitUntil(() => crashed);
    expect(digestsOn("2025-06-02")).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, NONCE_WINDOW_MS + 50)); // Discord has forgotten the nonce
    clock.advance(10 * 60_000);
    await h.bot.digest?.tick();
    expect(digestsOn("2025-06-02")).toHaveLength(1);
    const run = await h.bot.digest?.store.run(DEFAULT_IDS.guild, "2025-06-02");
    expect(run?.status).toBe("failed");
    expect(run?.error).toMatch(/Read Message History/);
    const fields = Object.fromEntries(((await answer("status")).embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["Last error"]).toMatch(/Read Message History/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
