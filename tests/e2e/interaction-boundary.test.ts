import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";
import { DEFAULT_USERS } from "../../src/fake-discord/index.js";

// The interaction boundary's answers to what a live server throws at it: unknown autocomplete,
// a member typing faster than the keystroke budget, and interactions Discord has already expired.
describe("the interaction boundary", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBot({ autocompleteRateLimit: { limit: 5, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers autocomplete for a command it does not know with no choices", async () => {
    const reply = await h.fake.interact(h.fake.payloads.autocomplete({ name: "retired-command", options: { thing: "x" }, focused: "thing", user: DEFAULT_USERS.bob }));
    expect(reply.callback.type).toBe(8);
    expect(reply.callback.data).toEqual({ choices: [] });
  });

  it("answers a member's autocomplete past the keystroke budget with no choices, and others' as usual", async () => {
    const typed = (user: (typeof DEFAULT_USERS)[keyof typeof DEFAULT_USERS]) =>
      h.fake.interact(h.fake.payloads.autocomplete({ name: "quote", options: { query: "peace", author: "ver" }, focused: "author", user }));
    for (let i = 0; i < 5; i++) expect((await typed(DEFAULT_USERS.alice)).callback.data?.choices?.length).toBeGreaterThan(0);
    expect((await typed(DEFAULT_USERS.alice)).callback.data).toEqual({ choices: [] });
    expect((await typed(DEFAULT_USERS.bob)).callback.data?.choices?.length).toBeGreaterThan(0);
  });

  it("echoes what a member typed back escaped in private errors, so it can't carry a live link", async () => {
    const typed = "zzqxj [qqvvz](xxqzl://wwqzj) **yyqzv**";
    const quote = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: typed } }))).callback.data);
    expect(quote.content).toContain("zzqxj \\[qqvvz\\](xxqzl://wwqzj) \\*\\*yyqzv\\*\\*");
    const summary = bodyOf((await h.fake.interact(h.fake.payloads.chatInput({ name: "summarize", options: { author: "[Vershbow](https://evil.example)" } }))).callback.data);
    expect(summary.content).toContain("“\\[Vershbow\\](https://evil.example)”");
  });

  it("logs an interaction Discord no longer knows (10062) as a warning, not a fault", async () => {
    const payload = h.fake.payloads.chatInput({ name: "quote", options: { query: "referendum" } });
    // Dispatched without the fake recording it: its callback gets 404 Unknown interaction.
    h.fake.dispatch("INTERACTION_CREATE", payload);
    await expect.poll(() => h.logs.find((l) => l.interactionId === payload.id && l.level === 40)?.msg, { timeout: 5_000 }).toBe("interaction expired before it was answered");
    expect(h.logs.filter((l) => l.interactionId === payload.id && (l.level as number) >= 50)).toEqual([]);
  });
});
