import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MessageFlags } from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { LIMITS } from "../../src/discord/render.js";
import type { Database } from "../../src/storage/db.js";
import { liveMaskedLinks, markdownParts } from "../discord/masked-link.js";
import { ManualClock, tempDatabase } from "../digest/helpers.js";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";
import { DEFAULT_IDS, DEFAULT_USERS } from "../../src/fake-discord/index.js";

const NO_PINGS = { parse: [], roles: [], replied_user: false };

function embedTotal(embed: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string }; author?: { name: string } }): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
}

describe("mention safety and Markdown in corpus and query text", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBot({ corpusDir: "tests/fixtures/hostile-corpus" });
  });
  afterAll(async () => {
    await h.close();
  });

  it("quotes text full of @everyone, user and role mentions without pinging anyone, Markdown escaped", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "everyone ceasefire hold read this now link code" } }));
    const body = bodyOf(reply.callback.data);
    expect(body.allowedMentions).toEqual(NO_PINGS);
    const description = body.embeds[0]?.description ?? "";
    expect(description).toContain("@everyone");
    expect(description).toContain("<@&1100000000000000030>");
    expect(description).toContain("\\*this\\*");
    expect(description).toContain("\\_\\_now\\_\\_");
    expect(description).toContain("\\[a link\\](https://example.com)");
    expect(description).toContain("\\`code\\`");
  });

  it("never pings from the query echoed back in an error", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "@here zebras giraffes" } }));
    const body = bodyOf(reply.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(body.content).toBe("No passage matches “@here zebras giraffes”. Try other words, or drop the author or article filter.");
    expect(body.allowedMentions).toEqual(NO_PINGS);
  });

  it("with mention, pings that one user and not the roles or users named in the quote", async () => {
    const reply = await h.fake.interact(
      h.fake.payloads.chatInput({
        name: "quote",
        options: { query: "ceasefire must hold", mention: DEFAULT_IDS.bob },
        resolved: { users: { [DEFAULT_IDS.bob]: { id: DEFAULT_IDS.bob, username: "bob", discriminator: "0", global_name: "Bob", avatar: null } } },
      }),
    );
    expect(bodyOf(reply.callback.data).allowedMentions).toEqual({ ...NO_PINGS, users: [DEFAULT_IDS.bob] });
  });

  it("keeps an over-long quote and title within Discord's limits, cut with …", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "monitors district village crossing" } }));
    const [embed] = bodyOf(reply.callback.data).embeds;
    expect(embed?.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed?.description?.endsWith("…")).toBe(true);
    expect(embed?.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embedTotal(embed ?? {})).toBeLessThanOrEqual(LIMITS.embedsTotal);
    const search = await h.fake.interact(h.fake.payloads.chatInput({ name: "search", options: { query: "monitors district village crossing" } }));
    for (const field of bodyOf(search.callback.data).embeds[0]?.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  });
});

/** Every masked link Discord would render in a message: its content and the Markdown parts of its embeds. */
function liveLinksIn(body: ReturnType<typeof bodyOf>): string[] {
  return [body.content, ...body.embeds.flatMap(markdownParts)].flatMap(liveMaskedLinks);
}

describe("masked links in corpus, query and topic text", () => {
  // The fixture has "[…] then [claim your prize](https://evil.example)" in its text, a subtext
  // line, and masked links in its title, author and outlet.
  let h: Harness;
  let db: Database;
  const file = tempDatabase();
  beforeAll(async () => {
    db = file.open();
    h = await startBot({ corpusDir: "tests/fixtures/masked-link-corpus", database: db, digest: { clock: new ManualClock(Date.parse("2025-06-02T04:00:00Z")), autoTick: false } });
  });
  afterAll(async () => {
    await h.close();
    db.close();
    file.cleanup();
  });

  it("/quote shows a link after a gap mark, and the title and outlet links, as text", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "claim your prize lost words" } }));
    const body = bodyOf(reply.callback.data);
    expect(body.embeds[0]?.description).toContain("\\[claim your prize\\](https://evil.example)");
    expect(body.embeds[0]?.fields?.find((f) => f.name === "Outlet")?.value).toBe("\\[The Outlet Link\\](https://evil.example/outlet)");
    expect(liveLinksIn(body)).toEqual([]);
  });

  it("/quote escapes a -# subtext line", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "small print shrink subtext committee" } }));
    expect(bodyOf(reply.callback.data).embeds[0]?.description).toMatch(/^> \\-# Small print/);
  });

  it("/search bolds a word inside link text, and escapes the query in the title, leaving no live link", async () => {
    const query = "prize [a query link](https://evil.example/query)";
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "search", options: { query } }));
    const body = bodyOf(reply.callback.data);
    expect(body.embeds[0]?.title).toBe("Search: prize \\[a query link\\](https://evil.example/query)");
    expect(body.embeds[0]?.fields?.some((f) => f.value.includes("\\[claim your **prize**\\]("))).toBe(true);
    expect(liveLinksIn(body)).toEqual([]);
  });

  it("Context bolds the quoted words in the paragraph without making its link live", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "claim your prize lost words" } }));
    const contextId = bodyOf(reply.callback.data).components.flatMap((row) => row.components).find((c) => c.label === "Context")?.custom_id ?? "";
    const context = bodyOf((await h.fake.interact(h.fake.payloads.button({ customId: contextId }))).callback.data);
    expect(context.embeds[0]?.description).toContain("**");
    expect(liveLinksIn(context)).toEqual([]);
  });

  it("a digest topic typed with a masked link reaches the question for discussion as text", async () => {
    const bob = DEFAULT_USERS.bob;
    const topic = "ceasefire [1] [claim your prize](https://evil.example)";
    const setup = await h.fake.interact(
      h.fake.payloads.chatInput({ name: "digest", subcommand: "setup", options: { channel: DEFAULT_IDS.channel, time: "09:00", timezone: "Europe/Kyiv", topic }, user: bob }),
    );
    expect(bodyOf(await setup.waitForEdit()).content).toMatch(/The daily digest will post/);
    const preview = await h.fake.interact(h.fake.payloads.chatInput({ name: "digest", subcommand: "preview", user: bob }));
    const body = bodyOf(await preview.waitForEdit());
    const question = body.embeds.flatMap((e) => e.fields ?? []).find((f) => f.name === "Question for discussion");
    expect(question?.value).toContain("ceasefire \\[1\\] \\[claim your prize\\](https://evil.example)");
    expect(body.embeds.some((e) => e.title?.startsWith("Debate of the day: ceasefire \\[1\\]"))).toBe(true);
    // In a code span Markdown shows as typed: the topic goes in as typed, with no backslashes.
    const dig = body.embeds.flatMap((e) => e.fields ?? []).find((f) => f.name === "Dig deeper with /quote");
    expect(dig?.value).toContain(`\`/quote query:${topic} article:`);
    expect(liveLinksIn(body)).toEqual([]);
  });
});

describe("a corpus with 30 authors", () => {
  let h: Harness;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-authors-"));
    for (let i = 1; i <= 30; i++) {
      const name = `Author Number${String(i).padStart(2, "0")} ${"Longname".repeat(i === 7 ? 20 : 1)}`;
      await writeFile(
        path.join(dir, `a${i}.md`),
        `---\nid: article-${i}\ntitle: "Article ${i} on the ceasefire"\nauthors:\n  - "${name}"\noutlet: Fixture\npublished: "2024-01-${String((i % 28) + 1).padStart(2, "0")}"\nsource:\n  site: test fixture\n---\n\nArticle ${i} argues that the ceasefire needs monitors number ${i}.\n`,
      );
    }
    h = await startBot({ corpusDir: dir });
  });
  afterAll(async () => {
    await h.close();
  });

  it("autocomplete offers at most 25 choices, each name within 100 characters", async () => {
    const reply = await h.fake.interact(h.fake.payloads.autocomplete({ name: "quote", options: { query: "x", author: "" }, focused: "author" }));
    const choices = (reply.callback.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices).toHaveLength(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });

  it("/authors lists what fits and says how many more there are", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "authors" }));
    const embed = bodyOf(reply.callback.data).embeds[0];
    expect(embed?.title).toBe("Authors (30)");
    expect(embed?.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
  });

  it("/contrast keeps at most 6 columns and names the ones left out", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "contrast", options: { topic: "ceasefire monitors" } }));
    const embed = bodyOf(await reply.waitForEdit()).embeds[0];
    expect(embed?.fields).toHaveLength(6);
    expect(embed?.description).toMatch(/Left out \(6 columns at most\)/);
    expect(embedTotal(embed ?? {})).toBeLessThanOrEqual(LIMITS.embedsTotal);
  });
});

describe("errors and rate limits", () => {
  let h: Harness;
  let engine: Engine;
  afterEach(async () => {
    await h.close();
  });

  it("answers a crash with an apology and an error id, logs it, and keeps serving", async () => {
    engine = await loadEngine({ corpusDir: "corpus" });
    // Fault injection: the one thing a real corpus cannot provoke on demand.
    const faulty: Engine = Object.create(engine) as Engine;
    faulty.quote = (query, options) => {
      if (query === "explode") throw new TypeError("simulated engine fault");
      return engine.quote(query, options);
    };
    h = await startBot({ engine: faulty });
    const crashed = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "explode" } }));
    const body = bodyOf(crashed.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const errorId = /error id `([0-9a-f]{8})`/.exec(body.content)?.[1];
    expect(errorId).toBeDefined();
    const logged = h.logs.find((line) => line.errorId === errorId);
    expect(logged).toMatchObject({ msg: "interaction failed", command: "quote", guildId: DEFAULT_IDS.guild, interactionId: crashed.interactionId });
    expect(typeof logged?.latencyMs).toBe("number");
    expect(JSON.stringify(h.logs)).not.toContain(h.fake.botToken);
    const after = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "referendum" } }));
    expect(bodyOf(after.callback.data).embeds).toHaveLength(1);
  });

  it("limits each user to 5 commands in 10 s, with a friendly note, others unaffected", async () => {
    h = await startBot({ rateLimit: { limit: 5, windowMs: 10_000 } });
    for (let i = 0; i < 5; i++) {
      const ok = await h.fake.interact(h.fake.payloads.chatInput({ name: "help" }));
      expect(bodyOf(ok.callback.data).embeds).toHaveLength(1);
    }
    const limited = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "help" }))).callback.data);
    expect(limited.content).toMatch(/^You're going a little fast — try again in \d+ s\.$/);
    expect(limited.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const other = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "help", user: DEFAULT_USERS.bob }))).callback.data);
    expect(other.embeds).toHaveLength(1);
  });
});
