import { MessageFlags, PermissionFlagsBits, REST, Routes } from "discord.js";
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
import { DEFAULT_IDS, DEFAULT_USERS, defaultGuild, type FakeUser, type MessageBody } from "../../src/fake-discord/index.js";

const LOCKED = "1100000000000000022";
const ZONE = "Europe/Kyiv";
const atOn = (day: string) => scheduledAt(day, "09:00", ZONE);
const bob = DEFAULT_USERS.bob;

let h: Harness;
let db: Database;
const file = tempDatabase();
const clock = new ManualClock(Date.parse("2025-06-02T04:00:00Z")); // 07:00 in Kyiv

beforeAll(async () => {
  db = file.open();
  const guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  // A channel where the bot's role may not embed links.
  guild.channels.push({ id: LOCKED, name: "locked", overwrites: [{ id: DEFAULT_IDS.botRole, type: 0, allow: "0", deny: PermissionFlagsBits.EmbedLinks.toString() }] });
  h = await startBot({ database: db, digest: { clock, autoTick: false }, fake: { guilds: [guild] } });
});
afterAll(async () => {
  await h.close();
  db.close();
  file.cleanup();
});

/** Runs /digest <sub> and returns the private answer (the edit of the deferred reply). */
async function digest(sub: string, options: Record<string, string> = {}, user: FakeUser = bob) {
  const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "digest", subcommand: sub, options, user }));
  expect(reply.callback.type).toBe(5);
  expect((reply.callback.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return bodyOf(await reply.waitForEdit());
}
const setupOptions = { channel: DEFAULT_IDS.channel, time: "09:00", timezone: ZONE, role: DEFAULT_IDS.moderatorRole };
const posts = () => h.fake.requests.filter((r) => r.method === "POST" && r.path === `/channels/${DEFAULT_IDS.channel}/messages`);
const digestsOn = (day: string) => h.fake.channelMessages(DEFAULT_IDS.channel).filter((m) => m.embeds.some((e) => e.footer?.text === digestMarker(day)));
const tick = () => h.bot.digest?.tick() ?? Promise.reject(new Error("no digest"));

describe("/digest through the fake Discord", () => {
  it("is registered for Manage Server only, in servers", () => {
    const command = h.fake.registeredCommands({ guildId: DEFAULT_IDS.guild }).find((c) => c.name === "digest");
    expect(command?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(command?.options?.map((o) => o.name)).toEqual(["setup", "status", "preview", "now", "off"]);
  });

  it("leaves who may use it to the server: a member the command reaches (by the server's override) is answered", async () => {
    // default_member_permissions makes it Manage Server by default; a server may open it to others in
    // Server Settings → Integrations, and Discord then delivers their commands. The bot does not overrule that.
    expect((await digest("status", {}, DEFAULT_USERS.alice)).content).toMatch(/no daily digest here yet/);
  });

  it("autocompletes the time zone: “kyiv” offers Europe/Kyiv", async () => {
    const reply = await h.fake.interact(h.fake.payloads.autocomplete({ name: "digest", subcommand: "setup", focused: "timezone", options: { timezone: "kyiv" }, user: bob }));
    expect(reply.callback.type).toBe(8);
    expect(reply.callback.data?.choices?.[0]?.value).toBe("Europe/Kyiv");
  });

  it("validates the time, the zone and the bot's permissions in the channel before saving", async () => {
    expect((await digest("setup", { ...setupOptions, time: "24:10" })).content).toMatch(/hour must be 00–23/);
    expect((await digest("setup", { ...setupOptions, time: "09:61" })).content).toMatch(/minutes must be 00–59/);
    expect((await digest("setup", { ...setupOptions, timezone: "Atlantis/Capital" })).content).toMatch(/not a time zone/);
    expect((await digest("setup", { ...setupOptions, channel: LOCKED })).content).toMatch(/missing \*\*Embed Links\*\*/);
    expect((await digest("status")).content).toMatch(/no daily digest here yet/);
  });

  let preview: ReturnType<typeof bodyOf>;
  it("sets up, shows status with Discord timestamps, and previews", async () => {
    const saved = await digest("setup", setupOptions);
    expect(saved.content).toContain(`<#${DEFAULT_IDS.channel}> every day at **09:00** (Europe/Kyiv)`);
    expect(saved.content).toContain(`<@&${DEFAULT_IDS.moderatorRole}> and nobody else`);
    const status = await digest("status");
    const fields = Object.fromEntries((status.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    const unix = atOn("2025-06-02") / 1000;
    expect(fields["Next run"]).toBe(`<t:${unix}:F> (<t:${unix}:R>)`);
    expect(fields["Last post"]).toBe("none yet");
    preview = await digest("preview");
    expect(preview.embeds.at(-1)?.footer?.text).toBe(digestMarker("2025-06-02"));
    expect(preview.allowedMentions).toEqual({ parse: [], roles: [], replied_user: false }); // the private copy pings nobody
  });

  it("posts at the server's time: exactly the preview, with a nonce, mentioning only the role", async () => {
    clock.set(atOn("2025-06-02") + 20_000);
    await tick();
    await tick();
    const [message] = digestsOn("2025-06-02");
    expect(digestsOn("2025-06-02")).toHaveLength(1);
    expect(message?.embeds).toEqual(preview.embeds);
    expect(message?.content).toBe(preview.content);
    const body = posts().at(-1)?.body as MessageBody;
    expect(typeof body["nonce"] === "string" && body["nonce"].length <= 25).toBe(true);
    expect(body["enforce_nonce"]).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [DEFAULT_IDS.moderatorRole], users: [], replied_user: false });
    const now = await digest("now");
    expect(now.content).toMatch(/already posted/);
    expect(now.content).toContain(message?.id);
    const status = Object.fromEntries(((await digest("status")).embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(status["Last post"]).toContain(`https://discord.com/channels/${DEFAULT_IDS.guild}/${DEFAULT_IDS.channel}/${message?.id ?? ""}`);
  });

  it("403 pauses the digest, names the reason in /digest status, and does not retry", async () => {
    h.fake.failChannelPosts({ channelId: DEFAULT_IDS.channel, status: 403 });
    clock.set(atOn("2025-06-03") + 5_000);
    await tick();
    const before = posts().length;
    for (let i = 0; i < 5; i += 1) {
      clock.advance(20 * 60_000);
      await tick();
    }
    expect(posts().length).toBe(before);
    expect(digestsOn("2025-06-03")).toHaveLength(0);
    const fields = Object.fromEntries(((await digest("status")).embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["State"]).toMatch(/Paused/);
    expect(fields["Last error"]).toMatch(/Missing Permissions.*403[\s\S]*paused because of it/);
    expect(h.logs.some((l) => l["msg"] === "digest paused: Discord refused the post" && l["status"] === 403)).toBe(true);
    h.fake.clearChannelPostFailures();
  });

  it("a 500 after Discord created the message: the retry finds it instead of posting twice", async () => {
    expect((await digest("setup", setupOptions)).content).toMatch(/First one: <t:\d+:F>/); // unpauses; next is 4 June
    h.fake.failChannelPosts({ channelId: DEFAULT_IDS.channel, status: 500, afterCreate: true, times: 1 });
    clock.set(atOn("2025-06-04"));
    await tick();
    expect((await h.bot.digest?.store.run(DEFAULT_IDS.guild, "2025-06-04"))?.status).toBe("retrying");
    clock.advance(31_000);
    await tick();
    expect(digestsOn("2025-06-04")).toHaveLength(1);
    expect((await h.bot.digest?.store.run(DEFAULT_IDS.guild, "2025-06-04"))?.messageId).toBe(digestsOn("2025-06-04")[0]?.id);
  });

  it("429 retries after the backoff and posts once", async () => {
    h.fake.failChannelPosts({ channelId: DEFAULT_IDS.channel, status: 429, retryAfterSeconds: 1, times: 1 });
    clock.set(atOn("2025-06-05"));
    await tick();
    expect(digestsOn("2025-06-05")).toHaveLength(0);
    expect((await h.bot.digest?.store.run(DEFAULT_IDS.guild, "2025-06-05"))?.error).toMatch(/429/);
    clock.advance(31_000);
    await tick();
    expect(digestsOn("2025-06-05")).toHaveLength(1);
  });

  it("resolves a run left claimed by a crashed process: resends once, with the same nonce", async () => {
    const rest = digestRest({ token: h.fake.botToken, apiUrl: h.fake.apiUrl });
    const real = restSender(rest, () => DEFAULT_IDS.bot);
    for (const [day, crashAfterSend] of [["2025-06-06", false], ["2025-06-07", true]] as const) {
      let crashed = false;
      const dying: DigestSender = {
        findPosted: (request) => real.findPosted(request),
        async send(request) {
          if (crashAfterSend) await real.send(request);
          crashed = true;
          return new Promise<never>(() => undefined); // the process dies here
        },
      };
      clock.set(atOn(day));
      void new DigestScheduler({ store: new SqliteDigestStore(db), engine: h.engine, sender: dying, clock, logger: silentLogger }).tick();
      await waitUntil(() => crashed);
      expect((await h.bot.digest?.store.run(DEFAULT_IDS.guild, day))?.status).toBe("claimed");
      clock.advance(61_000); // the dead process's lease runs out
      await tick();
      expect(digestsOn(day)).toHaveLength(1);
      expect((await h.bot.digest?.store.run(DEFAULT_IDS.guild, day))?.status).toBe("sent");
    }
  });

  it("the fake honours nonce + enforce_nonce: a repeat returns the earlier message", async () => {
    const rest = new REST({ api: h.fake.apiUrl }).setToken(h.fake.botToken);
    const body = { content: "once", nonce: "agora-test-nonce-1", enforce_nonce: true };
    const first = (await rest.post(Routes.channelMessages(DEFAULT_IDS.otherChannel), { body })) as { id: string; nonce?: string };
    const again = (await rest.post(Routes.channelMessages(DEFAULT_IDS.otherChannel), { body })) as { id: string };
    expect(again.id).toBe(first.id);
    expect(first.nonce).toBe("agora-test-nonce-1");
    expect(h.fake.channelMessages(DEFAULT_IDS.otherChannel).filter((m) => m.content === "once")).toHaveLength(1);
  });

  it("/digest off stops it", async () => {
    expect((await digest("off")).content).toMatch(/The daily digest is off/);
    clock.set(atOn("2025-06-08") + 60_000);
    await tick();
    expect(digestsOn("2025-06-08")).toHaveLength(0);
    const fields = Object.fromEntries(((await digest("status")).embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["State"]).toMatch(/^Off/);
    expect((await digest("now")).content).toMatch(/is off here/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
