import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/discord/rate-limit.js";
import { escapeText, LIMITS, toMessage, truncate } from "../../src/discord/render.js";
import { ComponentState } from "../../src/discord/state.js";

describe("truncate", () => {
  it("leaves short text alone", () => {
    expect(truncate("Short.", 10)).toBe("Short.");
  });
  it("cuts after a sentence when one ends late enough, else at a word, and marks the cut", () => {
    expect(truncate("One sentence here. Two sentences here and more words", 24)).toBe("One sentence here. …");
    const cut = truncate("alpha beta gamma delta epsilon", 20);
    expect(cut).toBe("alpha beta gamma…");
    expect(cut.length).toBeLessThanOrEqual(20);
  });
  it("never leaves a dangling escape before the ellipsis", () => {
    expect(truncate("abcdefghi\\*jk", 11)).toBe("abcdefghi…");
  });
});

describe("escapeText", () => {
  it("escapes emphasis, code, spoilers, masked links, headings, lists and block quotes", () => {
    expect(escapeText("*a* _b_ `c` ||d|| [e](http://x)")).toBe("\\*a\\* \\_b\\_ \\`c\\` \\|\\|d\\|\\| \\[e](http://x)");
    expect(escapeText("# h\n- item\n> quote")).toBe("\\# h\n\\- item\n\\> quote");
  });
});

describe("toMessage", () => {
  it("always locks mentions down, allowing only the chosen user", () => {
    expect(toMessage({ content: "@everyone" }).allowedMentions).toEqual({ parse: [], roles: [], repliedUser: false });
    expect(toMessage({ content: "hi", mentionUserId: "42" }).allowedMentions).toEqual({ parse: [], roles: [], repliedUser: false, users: ["42"] });
  });

  it("clamps content, embeds, fields and the 6000-character total", () => {
    const big = "x".repeat(5000);
    const message = toMessage({
      content: big,
      embeds: Array.from({ length: 12 }, () => ({ title: big, description: big, fields: Array.from({ length: 30 }, () => ({ name: big, value: big })) })),
    });
    expect(message.content?.length).toBeLessThanOrEqual(LIMITS.content);
    expect(message.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    let total = 0;
    for (const embed of message.embeds) {
      expect(embed.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
      expect(embed.description?.length).toBeLessThanOrEqual(LIMITS.embedDescription);
      expect(embed.fields?.length).toBeLessThanOrEqual(LIMITS.fields);
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
        expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        total += field.name.length + field.value.length;
      }
      total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
    }
    expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect(message.embeds.length).toBeGreaterThan(0);
  });
});

describe("component state and rate limit", () => {
  it("forgets state after its time to live", () => {
    let now = 0;
    const state = new ComponentState({ now: () => now, ttlMs: 1000 });
    const id = state.put("alice", { page: 1 });
    expect(state.get(id)).toEqual({ value: { page: 1 }, ownerId: "alice" });
    now = 1000;
    expect(state.get(id)).toBeUndefined();
  });

  it("allows `limit` uses per window and says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 10_000, () => now);
    expect(limiter.take("a")).toBe(0);
    now = 4000;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(6000);
    expect(limiter.take("b")).toBe(0);
    now = 10_001;
    expect(limiter.take("a")).toBe(0);
  });
});
