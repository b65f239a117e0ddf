import { InteractionResponseType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPayloads } from "../../commands/index.js";
import { digestMarker } from "../../src/digest/content.js";
import { localDate } from "../../src/digest/schedule.js";
import type { MessageView } from "../../src/playground/message-view.js";
import { ALICE, BOB, GENERAL, startPlayground, visibleText, type PlaygroundHarness } from "./harness.js";

// The playground end to end: its HTTP API, the real bot behind it, and what the page's data shows.
let h: PlaygroundHarness;
beforeAll(async () => {
  h = await startPlayground();
}, 30_000);
afterAll(async () => {
  await h.close();
});

const text = (m: MessageView) => visibleText([m.contentHtml, ...m.embeds.flatMap((e) => [e.authorHtml, e.titleHtml, e.descriptionHtml, e.footerHtml, ...e.fields.flatMap((f) => [f.nameHtml, f.valueHtml])])].join("\n"));
const button = (m: MessageView, label: string) => m.rows.flat().find((b) => visibleText(b.labelHtml) === label);
const isNew = (seen: Set<string>) => (m: MessageView) => !seen.has(m.id);
const seenNow = async () => new Set((await h.messages()).map((m) => m.id));

describe("the page and its world", () => {
  it("serves the page on 127.0.0.1 with a policy that lets only its own script run", async () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(h.url);
    expect(await page.text()).toContain('<script type="module" src="/app.mjs">');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("refuses requests for another host name and bodies that are not JSON", async () => {
    const port = new URL(h.url).port;
    const { request } = await import("node:http");
    const status = await new Promise<number | undefined>((resolve) => {
      request({ host: "127.0.0.1", port, path: "/api/world", headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode)).end();
    });
    expect(status).toBe(421);
    const form = await fetch(new URL("/api/send", h.url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "line=/help" });
    expect(form.status).toBe(415);
  });

  it("has two members to act as, one with Manage Server, and offers /digest only to that one", async () => {
    const world = await h.get<{ members: { id: string; name: string; manageServer: boolean; commands: string[] }[] }>("/api/world");
    const alice = world.members.find((m) => m.id === ALICE);
    const bob = world.members.find((m) => m.id === BOB);
    expect(alice?.manageServer).toBe(false);
    expect(bob?.manageServer).toBe(true);
    expect(alice?.commands).not.toContain("digest");
    expect(bob?.commands).toContain("digest");
  });
});

describe("the composer", () => {
  it("lists the registered commands with their descriptions after /", async () => {
    const listed = await h.suggest(BOB, "/");
    const registered = commandPayloads().filter((c) => "description" in c && c.description !== "");
    expect(listed.kind).toBe("commands");
    expect(listed.items.map((i) => i.description)).toEqual(registered.map((c) => (c as { description: string }).description));
    expect(listed.items[0]?.label).toBe("/quote query [author] [article] [hide] [mention]");
    expect((await h.suggest(ALICE, "/di")).items).toEqual([]);
  });

  it("lists a command's options with their descriptions, the required first", async () => {
    const options = await h.suggest(ALICE, "/contrast ");
    expect(options.items.map((i) => i.label)).toEqual(["topic", "authors (optional)", "hide (optional)"]);
    expect(options.items[0]?.description).toBe("A topic, e.g. NATO membership or ceasefire");
    expect(options.items[0]?.insert).toBe("/contrast topic: ");
  });

  it("asks the bot for autocomplete choices with a real APPLICATION_COMMAND_AUTOCOMPLETE interaction", async () => {
    const before = h.playground.fake.requests.length;
    const choices = await h.suggest(ALICE, "/quote query: ceasefire author: vershb");
    expect(choices.kind).toBe("choices");
    const answered = h.playground.fake.requests.slice(before).find((r) => r.path.endsWith("/callback") && (r.body as { type?: number }).type === InteractionResponseType.ApplicationCommandAutocompleteResult);
    const botChoices = (answered?.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(botChoices.length).toBeGreaterThan(0);
    expect(choices.items.map((i) => i.label)).toEqual(botChoices.map((c) => c.name));
    expect(choices.items[0]?.insert).toBe(`/quote query: ceasefire author: ${botChoices[0]?.value ?? ""} `);
    expect(choices.items.some((i) => i.label.includes("Vershbow"))).toBe(true);
  });

  it("offers the server's channels and a choice option's choices", async () => {
    expect((await h.suggest(BOB, "/digest setup channel: gen")).items.map((i) => i.label)).toEqual(["#general"]);
    expect((await h.suggest(ALICE, "/summarize length: me")).items.map((i) => i.label)).toEqual(["medium (5)"]);
  });

  it("runs a whole command line typed out, and the answer shows who used which command", async () => {
    const seen = await seenNow();
    expect(await h.send(ALICE, "/quote query: peacekeepers author: vershbow")).toEqual({ ok: true });
    const answer = await h.waitForMessage(isNew(seen));
    expect(answer.usedHtml).toBe('Alice used <span class="command-name">/quote</span>');
    expect(answer.ephemeral).toBe(false);
    expect(visibleText(answer.embeds[0]?.authorHtml ?? "")).toContain("Vershbow");
    expect(text(answer)).toMatch(/peacekeepers/i);
  });

  it("answers a malformed line the way Discord's composer does, sending nothing", async () => {
    const before = h.playground.fake.requests.length;
    expect(await h.send(ALICE, "/quote author: vershbow")).toEqual({ ok: false, error: "`query` is required: Words or a paraphrase of what you are looking for." });
    expect(await h.send(ALICE, "/quote query: a")).toEqual({ ok: false, error: "`query` must be at least 2 characters long." });
    expect(await h.send(ALICE, "/summarize topic: ceasefire length: huge")).toEqual({ ok: false, error: "`length` must be one of: short (3), medium (5), long (8)." });
    expect(await h.send(ALICE, "/quote query: tanks hide: maybe")).toEqual({ ok: false, error: "`hide` must be True or False." });
    expect((await h.send(ALICE, "/digest status")).ok).toBe(false);
    expect(h.playground.fake.requests.slice(before).some((r) => r.path.includes("/interactions/"))).toBe(false);
  });

  it("sends a line that is no command as a plain message from the member acting", async () => {
    const seen = await seenNow();
    await h.send(BOB, "Is a ceasefire without security guarantees just a pause?");
    const message = await h.waitForMessage(isNew(seen));
    expect(visibleText(message.author.nameHtml)).toBe("Bob");
    expect(message.author.bot).toBe(false);
    expect(await h.send(BOB, "x".repeat(2001))).toEqual({ ok: false, error: "Your message is 2001 characters long; Discord allows 2000." });
  });
});

describe("buttons, private answers and the message menu", () => {
  it("pages with ▶ for the requester only, and another member is told privately", async () => {
    const seen = await seenNow();
    await h.send(ALICE, "/quote query: ceasefire");
    const answer = await h.waitForMessage((m) => isNew(seen)(m) && m.rows.length > 0);
    const next = button(answer, "▶");
    expect(next?.disabled).toBe(false);
    expect(await h.post("/api/click", { userId: BOB, messageId: answer.id, customId: next?.customId })).toEqual({ ok: true });
    const refusal = await h.waitForMessage((m) => isNew(seen)(m) && m.ephemeral && m.visibleTo === BOB);
    expect(text(refusal)).toMatch(/only .*(asked|requester|ran)/i);
    expect(await h.post("/api/click", { userId: ALICE, messageId: answer.id, customId: next?.customId })).toEqual({ ok: true });
    const paged = await h.waitForMessage((m) => m.id === answer.id && (m.embeds[0]?.footerHtml ?? "").startsWith("2 of"));
    expect(button(paged, "◀")?.disabled).toBe(false);
  });

  it("shows a hidden answer only to its requester, and Post in channel shares it", async () => {
    const seen = await seenNow();
    await h.send(ALICE, "/quote query: referendum hide: true");
    const hidden = await h.waitForMessage((m) => isNew(seen)(m) && m.ephemeral && !m.loading);
    expect(hidden.visibleTo).toBe(ALICE);
    const post = button(hidden, "Post in channel");
    await h.post("/api/click", { userId: ALICE, messageId: hidden.id, customId: post?.customId });
    const shared = await h.waitForMessage((m) => isNew(seen)(m) && !m.ephemeral && m.contentHtml.includes("Shared by"));
    expect(visibleText(shared.contentHtml)).toBe("Shared by @Alice");
    expect(shared.embeds[0]?.descriptionHtml).toBe(hidden.embeds[0]?.descriptionHtml);
  });

  it("defers a long answer: the page first shows the bot thinking, then the answer", async () => {
    const states: boolean[] = [];
    const stop = h.playground.subscribe((event) => {
      if (event.type === "upsert" && event.message.usedHtml?.includes("/contrast")) states.push(event.message.loading);
    });
    const seen = await seenNow();
    await h.send(ALICE, "/contrast topic: ceasefire");
    await h.waitForMessage((m) => isNew(seen)(m) && !m.loading && m.embeds.length > 0, 15_000);
    stop();
    expect(states[0]).toBe(true);
    expect(states.at(-1)).toBe(false);
  });

  it("runs Find passages on any member's message, privately", async () => {
    const seen = await seenNow();
    await h.send(BOB, "Should Ukraine give up land for a ceasefire?");
    const target = await h.waitForMessage(isNew(seen));
    expect(await h.post("/api/menu", { userId: ALICE, messageId: target.id, name: "Find passages" })).toEqual({ ok: true });
    const found = await h.waitForMessage((m) => isNew(seen)(m) && m.ephemeral && !m.loading);
    expect(found.visibleTo).toBe(ALICE);
    expect(found.usedHtml).toBe('Alice used <span class="command-name">Find passages</span>');
    const reply = button(found, "Reply with this quote");
    expect(await h.post("/api/click", { userId: ALICE, messageId: found.id, customId: reply?.customId })).toEqual({ ok: true });
    const posted = await h.waitForMessage((m) => isNew(seen)(m) && !m.ephemeral && m.replyToHtml !== null);
    expect(posted.replyToHtml).toBe("Bob: Should Ukraine give up land for a ceasefire?");
    expect(posted.embeds[0]?.descriptionHtml).toBe(found.embeds[0]?.descriptionHtml);
  });
});

describe("the daily digest with the clock control", () => {
  it("is set up by the member with Manage Server and posts when the clock runs the day at 09:00 Kyiv time", async () => {
    expect((await h.post("/api/digest/run-day", {})).ok).toBe(false);
    const seen = await seenNow();
    expect(await h.send(BOB, "/digest setup channel: #general time: 09:00 timezone: Europe/Kyiv")).toEqual({ ok: true });
    const saved = await h.waitForMessage((m) => isNew(seen)(m) && m.ephemeral && !m.loading);
    expect(visibleText(saved.contentHtml)).toContain("#general every day at 09:00 (Europe/Kyiv)");
    const world = await h.get<{ digest: { time: string; timezone: string; next: number } }>("/api/world");
    expect(world.digest).toMatchObject({ time: "09:00", timezone: "Europe/Kyiv" });
    const ran = await h.post<{ ok: boolean; at: number }>("/api/digest/run-day", {});
    expect(ran.ok).toBe(true);
    expect(ran.at).toBe(world.digest.next);
    const day = localDate(ran.at, "Europe/Kyiv");
    const post = await h.waitForMessage((m) => m.channelId === GENERAL && m.embeds.some((e) => e.footerHtml === digestMarker(day)));
    expect(post.author.bot).toBe(true);
    expect(post.ephemeral).toBe(false);
    // The next click runs the next day.
    const again = await h.post<{ ok: boolean; at: number }>("/api/digest/run-day", {});
    expect(localDate(again.at, "Europe/Kyiv")).not.toBe(day);
  });
});

describe("live updates", () => {
  it("streams each message change to the page as Server-Sent Events", async () => {
    const controller = new AbortController();
    const response = await fetch(new URL("/api/events", h.url), { signal: controller.signal });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no event stream");
    await h.send(ALICE, "/help");
    let received = "";
    const decoder = new TextDecoder();
    while (!received.includes('"type":"upsert"')) {
      const chunk = (await reader.read()) as { value?: Uint8Array };
      received += decoder.decode(chunk.value);
    }
    controller.abort();
    expect(received).toContain('"usedHtml":"Alice used <span class=\\"command-name\\">/help</span>"');
  });
});
