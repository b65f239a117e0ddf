import { MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, startBot, unescape, type Harness } from "./bot-harness.js";
import { DEFAULT_IDS, DEFAULT_USERS } from "../../src/fake-discord/index.js";
import { byline } from "../../src/text/attribution.js";
import type { PassageResult } from "../../src/types.js";

// Search as you type in the `query` option of /quote and /search, through the real autocomplete
// path (router, keystroke limiter, engine on the shipped corpus), and picking a passage.

interface Choice {
  name: string;
  value: string;
}

let h: Harness;
beforeAll(async () => {
  h = await startBot();
});
afterAll(async () => {
  await h.close();
});

const typeQuery = async (command: string, query: string, more: Record<string, string> = {}, user = DEFAULT_USERS.alice) => {
  const reply = await h.fake.interact(h.fake.payloads.autocomplete({ name: command, options: { query, ...more }, focused: "query", user }));
  expect(reply.callback.type).toBe(8);
  return (reply.callback.data as { choices: Choice[] }).choices;
};
const citationIn = (value: string) => value.replace(/^cite:/, "");
/** The passage with this citation, straight from the engine (not through the bot's own lookup). */
const enginePassage = (citation: string): PassageResult => {
  const articleId = citation.split(":")[0] ?? "";
  const passage = h.engine.passages(articleId).find((p) => p.citation === citation);
  if (!passage) throw new Error(`no passage ${citation}`);
  return passage;
};
const bodySlice = (p: PassageResult) => h.engine.article(p.articleId).body.slice(p.start, p.end);
const flat = (text: string) => text.replace(/\s+/g, " ").trim();
const citationField = (embed?: { fields?: { name: string; value: string }[] }) => embed?.fields?.find((f) => f.name === "Citation")?.value.replace(/`/g, "");

describe("query autocomplete: the best passages as you type", () => {
  it("registers the query option of /quote and /search with autocomplete", () => {
    for (const name of ["quote", "search"]) {
      const command = h.fake.registeredCommands({ guildId: DEFAULT_IDS.guild }).find((c) => c.name === name);
      expect(command?.options?.find((o) => o.name === "query"), name).toMatchObject({ autocomplete: true, required: true });
    }
  });

  it("offers passages for “peacekeep”: the engine's best, each an excerpt and its author, within Discord's limits", async () => {
    for (const command of ["quote", "search"]) {
      const choices = await typeQuery(command, "peacekeep");
      expect(choices.length, command).toBeGreaterThanOrEqual(3);
      expect(choices.length, command).toBeLessThanOrEqual(8);
      expect(choices.map((c) => citationIn(c.value))).toEqual(h.engine.quote("peacekeep", { limit: choices.length }).map((p) => p.citation));
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value.length).toBeLessThanOrEqual(100);
        expect(choice.value).toMatch(/^cite:/);
        const passage = enginePassage(citationIn(choice.value));
        expect(choice.name.endsWith(` — ${passage.authors.length > 0 ? byline(passage.authors) : passage.outlet}`), choice.name).toBe(true);
        // The excerpt is the author's words verbatim (plain text, no escapes), only cut with "…".
        const words = /^“(.*)” — /.exec(choice.name)?.[1] ?? "";
        for (const piece of words.split("…").map((s) => s.trim()).filter(Boolean)) expect(flat(passage.text)).toContain(piece);
      }
      // Passages that contain the typed word come first, and show it in the picker.
      const [top] = choices;
      expect(enginePassage(citationIn(top?.value ?? "")).text).toMatch(/peacekeep/i);
      expect(top?.name).toMatch(/peacekeep/i);
      expect(choices.filter((c) => /peacekeep/i.test(enginePassage(citationIn(c.value)).text) && /peacekeep/i.test(c.name)).length).toBeGreaterThanOrEqual(3);
    }
  });

  it("narrows the passages to the author already filled in", async () => {
    const choices = await typeQuery("quote", "peacekeep", { author: "Getmanchuk" });
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) expect(enginePassage(citationIn(choice.value)).authors).toEqual(["Alena Getmanchuk"]);
  });

  it("offers nothing under 3 characters, for words it can't search, or for an author it doesn't know yet", async () => {
    expect(await typeQuery("quote", "pe")).toEqual([]);
    expect(await typeQuery("search", " p ")).toEqual([]);
    expect(await typeQuery("quote", "the of")).toEqual([]);
    expect(await typeQuery("quote", "peacekeep", { author: "Nobodyhere" })).toEqual([]);
    expect((await typeQuery("quote", "pea")).length).toBeGreaterThan(0);
  });
});

describe("picking a passage", () => {
  /** A suggested passage that a plain search for the typed words would not show first. */
  const pickNotTop = async (command: string) => {
    const choices = await typeQuery(command, "peacekeep");
    const picked = choices.at(-1);
    expect(citationIn(picked?.value ?? "")).not.toBe(h.engine.quote("peacekeep", { limit: 1 })[0]?.citation);
    return picked?.value ?? "";
  };

  it("/quote shows exactly the picked passage, with its attribution and citation", async () => {
    const value = await pickNotTop("quote");
    const expected = enginePassage(citationIn(value));
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: value } }));
    const body = bodyOf(reply.callback.data);
    const [embed] = body.embeds;
    expect(body.flags & MessageFlags.Ephemeral).toBe(0);
    expect(citationField(embed)).toBe(expected.citation);
    expect(unescape((embed?.description ?? "").replace(/^> /, ""))).toBe(bodySlice(expected));
    expect(embed?.author?.name).toBe(byline(expected.authors));
    expect(unescape(embed?.title ?? "")).toBe(expected.title);
    expect(embed?.footer?.text).toBe(`“${expected.citation}”`);
    expect(body.components.flatMap((r) => r.components).map((c) => c.label)).toEqual(["Context"]);
  });

  it("/search shows exactly the picked passage", async () => {
    const value = await pickNotTop("search");
    const expected = enginePassage(citationIn(value));
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "search", options: { query: value, hide: true } }));
    const body = bodyOf(reply.callback.data);
    const fields = body.embeds[0]?.fields ?? [];
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(fields).toHaveLength(1);
    const [quoted = "", cited = ""] = (fields[0]?.value ?? "").split("\n");
    expect(unescape(quoted.replace(/^> /, ""))).toBe(bodySlice(expected));
    expect(cited).toContain(`\`${expected.citation}\``);
  });

  it("still searches a plain typed query as before", async () => {
    const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "peacekeep" } }));
    expect(citationField(bodyOf(reply.callback.data).embeds[0])).toBe(h.engine.quote("peacekeep", { limit: 1 })[0]?.citation);
  });

  it("answers a cite: value that names no passage with a private error, for /quote and /search", async () => {
    for (const name of ["quote", "search"]) {
      for (const query of ["cite:no-such-article:1.1", "cite:make-putin-an-offer-he-cant-refuse:999.1", "cite:peacekeepers"]) {
        const reply = await h.fake.interact(h.fake.payloads.chatInput({ name, options: { query } }));
        const body = bodyOf(reply.callback.data);
        expect(reply.callback.type, query).toBe(4);
        expect(body.flags & MessageFlags.Ephemeral, query).toBe(MessageFlags.Ephemeral);
        expect(body.content, query).toMatch(/isn't a passage in the library.*Pick a passage from the suggestions/);
        expect(body.embeds, query).toEqual([]);
      }
    }
  });
});

describe("query autocomplete under the keystroke budget", () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startBot({ autocompleteRateLimit: { limit: 2, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("answers past the budget with no choices, like every other option", async () => {
    const typed = async () => {
      const reply = await limited.fake.interact(limited.fake.payloads.autocomplete({ name: "quote", options: { query: "peacekeep" }, focused: "query", user: DEFAULT_USERS.bob }));
      return (reply.callback.data as { choices: Choice[] }).choices;
    };
    expect((await typed()).length).toBeGreaterThan(0);
    expect((await typed()).length).toBeGreaterThan(0);
    expect(await typed()).toEqual([]);
  });
});
