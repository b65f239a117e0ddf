import { ApplicationIntegrationType, InteractionContextType, MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatCommands, commandPayloads, messageMenuCommands } from "../../commands/index.js";
import { validateCommandPayloads } from "../../src/discord/register.js";
import { bodyOf, startBot, unescape, type Harness } from "./bot-harness.js";
import { DEFAULT_IDS, DEFAULT_USERS } from "../../src/fake-discord/index.js";

let h: Harness;
beforeAll(async () => {
  h = await startBot();
});
afterAll(async () => {
  await h.close();
});

const quoteText = (description = "") => unescape(description.replace(/^> /, ""));
const buttonIds = (body: ReturnType<typeof bodyOf>) => body.components.flatMap((row) => row.components.map((c) => c.custom_id ?? ""));
const button = (body: ReturnType<typeof bodyOf>, label: string) => body.components.flatMap((r) => r.components).find((c) => c.label === label);

describe("registration", () => {
  it("registers every command in the dev guild, within Discord's rules", () => {
    expect(validateCommandPayloads(commandPayloads())).toEqual([]);
    const names = h.fake.registeredCommands({ guildId: DEFAULT_IDS.guild }).map((c) => c.name).sort();
    expect(names).toEqual(["Find passages", "article", "authors", "contrast", "digest", "help", "library", "quote", "search", "summarize", "timeline"]);
  });

  it("makes every command a server command: guild install, guild context only", () => {
    const local = [...chatCommands, ...messageMenuCommands].map((c) => c.data);
    expect(local).toHaveLength(11);
    for (const data of local) {
      expect({ name: data.name, contexts: data.contexts, integration_types: data.integration_types }).toEqual({
        name: data.name,
        contexts: [InteractionContextType.Guild],
        integration_types: [ApplicationIntegrationType.GuildInstall],
      });
    }
    for (const command of h.fake.registeredCommands({ guildId: DEFAULT_IDS.guild })) {
      expect([command.name, command.contexts, command.integration_types]).toEqual([command.name, [InteractionContextType.Guild], [ApplicationIntegrationType.GuildInstall]]);
    }
  });
});

describe("/quote", () => {
  it("answers with the best passage as an embed: exact text, attribution, citation, no pings", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "boots on the ground" } }));
    expect(reply.callback.type).toBe(4);
    const body = bodyOf(reply.callback.data);
    expect(body.allowedMentions).toEqual({ parse: [], roles: [], replied_user: false });
    const [embed] = body.embeds;
    const citation = embed?.fields?.find((f) => f.name === "Citation")?.value.replace(/`/g, "") ?? "";
    const [top] = h.engine.quote("boots on the ground", { limit: 1 });
    expect(citation).toBe(top?.citation);
    expect(quoteText(embed?.description)).toBe(top?.text);
    expect(quoteText(embed?.description)).toBe(h.engine.article(top?.articleId ?? "").body.slice(top?.start, top?.end));
    expect(embed?.author?.name).toBe("Bloomberg Opinion Editorial Board");
    expect(embed?.title).toBe(top?.title);
    expect(embed?.fields?.find((f) => f.name === "Outlet")?.value).toBe("Bloomberg Opinion");
    expect(body.flags & MessageFlags.Ephemeral).toBe(0);
    expect(buttonIds(body).some((id) => id.startsWith("quote:page:"))).toBe(true);
    expect(button(body, "Context")).toBeDefined();
    expect(button(body, "Post in channel")).toBeUndefined();
  });

  it("pages with ▶ and ◀ for the requester only", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "sanctions" } }));
    const first = bodyOf(reply.callback.data);
    expect(button(first, "◀")?.disabled).toBe(true);
    const next = button(first, "▶")?.custom_id ?? "";
    const message = reply.original() ?? undefined;
    const paged = await h.fake.interact(h.fake.payloads.button({ customId: next, ...(message ? { message } : {}) }));
    expect(paged.callback.type).toBe(7);
    const second = bodyOf(paged.callback.data);
    expect(second.embeds[0]?.footer?.text).toMatch(/^2 of \d+/);
    expect(second.embeds[0]?.description).not.toBe(first.embeds[0]?.description);

    const stranger = await h.fake.interact(h.fake.payloads.button({ customId: next, user: DEFAULT_USERS.bob }));
    expect(stranger.callback.type).toBe(4);
    expect(bodyOf(stranger.callback.data).flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(bodyOf(stranger.callback.data).content).toMatch(/Only the person who asked/);
  });

  it("says politely when a button's results have expired, and shows that message's buttons disabled", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "sanctions" } }));
    const message = reply.original() ?? undefined;
    const gone = (id: string) => id.replace(/^quote:(\w+):[^:]+:/, "quote:$1:gone1234:");
    const rows = bodyOf(reply.callback.data).components.map((row) => ({ ...row, components: row.components.map((c) => ({ ...c, custom_id: gone(c.custom_id ?? "") })) }));
    // The same message, as if its state had expired (a restart, or 15 minutes).
    const expired = message ? { ...message, components: rows as unknown as NonNullable<typeof message.components> } : undefined;
    const next = rows.flatMap((r) => r.components).find((c) => c.label === "▶")?.custom_id ?? "";
    const clicked = await h.fake.interact(h.fake.payloads.button({ customId: next, ...(expired ? { message: expired } : {}) }));
    expect(clicked.callback.type).toBe(7);
    const updated = bodyOf(clicked.callback.data);
    expect(updated.components.flatMap((r) => r.components).map((c) => [c.label, c.disabled])).toEqual(
      rows.flatMap((r) => r.components).map((c) => [c.label, true]),
    );
    expect(updated.embeds).toEqual([]); // only the buttons change
    expect(clicked.callback.data?.embeds).toBeUndefined();
    const note = bodyOf(await clicked.waitForFollowUp());
    expect(note.content).toMatch(/expired/);
    expect(note.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("shows the surrounding paragraph privately on Context", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "referendum" } }));
    const contextId = button(bodyOf(reply.callback.data), "Context")?.custom_id ?? "";
    const context = await h.fake.interact(h.fake.payloads.button({ customId: contextId }));
    const body = bodyOf(context.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const [top] = h.engine.quote("referendum", { limit: 1 });
    const paragraph = h.engine.paragraphAround(top ?? { articleId: "", start: 0 });
    expect(unescape((body.embeds[0]?.description ?? "").replace(/^> /, "").replace(/\*\*/g, ""))).toBe(paragraph.text);
    expect(body.embeds[0]?.description).toContain(`**`);
  });

  it("hide answers privately and offers Post in channel, which posts publicly without pinging", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "Putin playing Trump", hide: true } }));
    const body = bodyOf(reply.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const post = button(body, "Post in channel")?.custom_id ?? "";
    const posted = await h.fake.interact(h.fake.payloads.button({ customId: post }));
    const shared = bodyOf(posted.callback.data);
    expect(posted.callback.type).toBe(4);
    expect(shared.flags & MessageFlags.Ephemeral).toBe(0);
    expect(shared.content).toBe(`Shared by <@${DEFAULT_IDS.alice}>`);
    expect(shared.allowedMentions).toEqual({ parse: [], roles: [], replied_user: false });
    expect(shared.embeds[0]?.description).toBe(body.embeds[0]?.description);
  });

  it("mention pings only the chosen user", async () => {
    const reply = await h.fake.interact(
      h.fake.payloads.chatInput({
        name: "quote",
        options: { query: "ceasefire", mention: DEFAULT_IDS.bob },
        resolved: { users: { [DEFAULT_IDS.bob]: { id: DEFAULT_IDS.bob, username: "bob", discriminator: "0", global_name: "Bob", avatar: null } } },
      }),
    );
    const body = bodyOf(reply.callback.data);
    expect(body.content).toBe(`Quote suggested for <@${DEFAULT_IDS.bob}>`);
    expect(body.allowedMentions).toEqual({ parse: [], roles: [], replied_user: false, users: [DEFAULT_IDS.bob] });
  });

  it("filters by author and says which author is unknown, suggesting the closest", async () => {
    const ok = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "NATO", author: "Vershbow" } }));
    expect(bodyOf(ok.callback.data).embeds[0]?.author?.name).toBe("Alexander Vershbow and Hans Binnendijk");
    const bad = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "NATO", author: "Vershbo" } }));
    const body = bodyOf(bad.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(body.content).toBe("I couldn't find the author “Vershbo”. Did you mean **Alexander Vershbow**? Pick one from the suggestions as you type.");
  });
});

describe("/search, /summarize, /contrast, /timeline, /authors, /article, /help", () => {
  it("/search lists up to 5 ranked passages with matched words in bold", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "search", options: { query: "sanctions banks" } }));
    const fields = bodyOf(reply.callback.data).embeds[0]?.fields ?? [];
    expect(fields.length).toBeGreaterThan(1);
    expect(fields.length).toBeLessThanOrEqual(5);
    expect(fields[0]?.value).toMatch(/\*\*(sanctions|banks)\*\*/i);
    const citations = h.engine.search("sanctions banks", { limit: 5 }).map((r) => r.citation);
    expect(fields.map((f) => /`([^`]+)`/.exec(f.value)?.[1])).toEqual(citations);
  });

  it("/summarize defers, then edits in the summary of an author", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "summarize", options: { author: "Getmanchuk", length: "short" } }));
    expect(reply.callback.type).toBe(5);
    const edit = bodyOf(await reply.waitForEdit());
    const expected = h.engine.summarize({ author: "Getmanchuk" }, "short");
    expect(edit.embeds[0]?.title).toBe("Summary of author “Alena Getmanchuk”");
    for (const s of expected.sentences) expect(edit.embeds[0]?.description).toContain(`\`${s.citation}\``);
  });

  it("/summarize asks for exactly one scope, privately and at once, without a public “thinking…” first", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "summarize", options: { author: "Getmanchuk", topic: "sanctions" } }));
    expect(reply.callback.type).toBe(4);
    const body = bodyOf(reply.callback.data);
    expect(body.content).toBe("Pick exactly one of article, author or topic to summarize.");
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("validates /contrast, /timeline, /summarize and /article arguments before deferring", async () => {
    const typos = [
      { name: "contrast", options: { topic: "NATO", authors: "Vershbow, Nobodyhere" }, says: "Nobodyhere" },
      { name: "timeline", options: { topic: "the of and" }, says: "no searchable words" },
      { name: "summarize", options: { author: "Vershbo" }, says: "Vershbo" },
      { name: "article", options: { article: "make-putin-an-ofer" }, says: "make-putin-an-offer-he-cant-refuse" },
    ];
    for (const typo of typos) {
      const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: typo.name, options: typo.options }));
      expect(reply.callback.type, typo.name).toBe(4);
      const body = bodyOf(reply.callback.data);
      expect(body.flags & MessageFlags.Ephemeral, typo.name).toBe(MessageFlags.Ephemeral);
      expect(body.content, typo.name).toContain(typo.says);
    }
  });

  it("/contrast shows one field per author and an explicit no-passage field", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "contrast", options: { topic: "NATO membership" } }));
    const embed = bodyOf(await reply.waitForEdit()).embeds[0];
    const result = h.engine.contrast("NATO membership");
    expect(embed?.fields?.map((f) => f.name)).toEqual(result.columns.map((c) => c.author));
    expect(embed?.fields?.some((f) => f.value.startsWith("*No passage on this topic.*"))).toBe(true);
  });

  it("/timeline lists entries by date, inferred dates marked as such, at most one undated", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "timeline", options: { topic: "sanctions" } }));
    const names = (bodyOf(await reply.waitForEdit()).embeds[0]?.fields ?? []).map((f) => f.name);
    expect(names[0]).toMatch(/^2022-04-01/);
    expect(names.slice(1).every((name) => /^≈ .*, from the text — /.test(name))).toBe(true);
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((name) => name.startsWith("Undated")).length).toBeLessThanOrEqual(1);
  });

  it("/authors, /article and /help answer", async () => {
    const authors = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "authors" }))).callback.data);
    expect(authors.embeds[0]?.description).toContain("Hans Binnendijk");
    const article = bodyOf(await (await h.fake.interact(h.fake.payloads.chatInput({ name: "article", options: { article: "make-putin-an-offer-he-cant-refuse" } }))).waitForEdit());
    expect(article.embeds[0]?.title).toBe("Make Putin an offer he can’t refuse");
    expect(article.embeds[0]?.fields?.find((f) => f.name === "Quotable passages")?.value).toBe(String(h.engine.passages("make-putin-an-offer-he-cant-refuse").length));
    const help = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "help" }))).callback.data);
    expect(help.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(help.embeds[0]?.description).toContain("/quote");
  });
});

describe("autocomplete", () => {
  it("offers the most useful authors on an empty input, and ranks what is typed", async () => {
    const empty = await h.fake.interact(h.fake.payloads.autocomplete({ name: "quote", options: { query: "x", author: "" }, focused: "author" }));
    const choices = (empty.callback.data as { choices: { name: string; value: string }[] }).choices;
    expect(empty.callback.type).toBe(8);
    expect(choices.map((c) => c.value).sort()).toEqual(h.engine.authors().map((a) => a.name).sort());
    const typed = await h.fake.interact(h.fake.payloads.autocomplete({ name: "quote", options: { query: "x", author: "vers" }, focused: "author" }));
    expect((typed.callback.data as { choices: { value: string }[] }).choices[0]?.value).toBe("Alexander Vershbow");
  });

  it("completes articles by title words and topics by synonyms", async () => {
    const articles = await h.fake.interact(h.fake.payloads.autocomplete({ name: "article", options: { article: "offer" }, focused: "article" }));
    expect((articles.callback.data as { choices: { value: string }[] }).choices[0]?.value).toBe("make-putin-an-offer-he-cant-refuse");
    const topics = await h.fake.interact(h.fake.payloads.autocomplete({ name: "contrast", options: { topic: "truce" }, focused: "topic" }));
    expect((topics.callback.data as { choices: { value: string }[] }).choices[0]?.value).toBe("ceasefire");
  });
});

describe("message menu: Find passages", () => {
  it("answers privately with the best passage and replies to the message on request", async () => {
    const reply = await h.fake.interact(
      h.fake.payloads.messageContextMenu({ name: "Find passages", target: { content: "Should Ukraine give up land for a ceasefire?" } }),
    );
    const body = bodyOf(reply.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const replyButton = button(body, "Reply with this quote")?.custom_id ?? "";
    expect(replyButton).toMatch(/^quote:reply:/);
    const clicked = await h.fake.interact(h.fake.payloads.button({ customId: replyButton }));
    expect(clicked.callback.type).toBe(6); // answered before the post, which may wait out a rate limit
    expect(bodyOf(await clicked.waitForEdit()).content).toBe("Posted the quote as a reply.");
    const posted = await h.fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${DEFAULT_IDS.channel}/messages`);
    const sent = posted.body as { message_reference?: { message_id: string }; allowed_mentions: unknown; embeds: { description: string }[] };
    expect(sent.message_reference?.message_id).toBeDefined();
    expect(sent.allowed_mentions).toEqual({ parse: [], roles: [], replied_user: false });
    expect(sent.embeds[0]?.description).toBe(body.embeds[0]?.description);
  });
});
