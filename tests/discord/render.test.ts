import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/discord/rate-limit.js";
import { escapeText, highlighted, inCode, LIMITS, quoteEmbed, toMessage, truncate } from "../../src/discord/render.js";
import { ComponentState } from "../../src/discord/state.js";
import { articleEmbed, contrastEmbed, searchEmbed, summaryEmbed, timelineEmbed } from "../../src/discord/views.js";
import type { PassageResult } from "../../src/types.js";
import { liveMaskedLinks, markdownParts } from "./masked-link.js";

const LINK_AFTER_NOTE = "see [1] then [claim your prize](https://evil.example)";

function passage(overrides: Partial<PassageResult> = {}): PassageResult {
  const text = overrides.text ?? LINK_AFTER_NOTE;
  return {
    articleId: "masked-links",
    title: "Ceasefire [1] then [a title link](https://evil.example/title)",
    authors: ["Eve [an author link](https://evil.example/author)"],
    outlet: "[The Outlet Link](https://evil.example/outlet)",
    published: "2024-04-04",
    text,
    start: 0,
    end: text.length,
    citation: "masked-links:1.1",
    score: 1,
    highlights: [],
    ...overrides,
  };
}

/** A passage's highlights on every occurrence of `word`. */
function highlightsOf(text: string, word: string): { start: number; end: number }[] {
  return [...text.matchAll(new RegExp(word, "g"))].map((m) => ({ start: m.index, end: m.index + word.length }));
}

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
    expect(escapeText("*a* _b_ `c` ||d|| [e](http://x)")).toBe("\\*a\\* \\_b\\_ \\`c\\` \\|\\|d\\|\\| \\[e\\](http://x)");
    expect(escapeText("# h\n- item\n> quote")).toBe("\\# h\n\\- item\n\\> quote");
  });

  it("escapes every [ and ], so a masked link after a gap mark or a numbered note stays dead", () => {
    expect(escapeText(LINK_AFTER_NOTE)).toBe("see \\[1\\] then \\[claim your prize\\](https://evil.example)");
    for (const text of [
      LINK_AFTER_NOTE,
      "the source lost words […] then [claim your prize](https://evil.example)",
      "[a](https://one.example) and [b](https://two.example)\n[c] [d](https://three.example)",
      "an escaped backslash \\[e](https://evil.example)",
    ]) {
      expect(liveMaskedLinks(escapeText(text))).toEqual([]);
    }
  });

  it("escapes -# subtext at the start of a line, and only there", () => {
    expect(escapeText("-# small print\n  -# indented\nnot -# here")).toBe("\\-# small print\n  \\-# indented\nnot -# here");
  });

  it("cuts escaped text without leaving half an escape", () => {
    const escaped = escapeText("[x] ".repeat(40));
    for (let max = 5; max < escaped.length; max += 1) {
      const cut = truncate(escaped, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(/(^|[^\\])(\\\\)*\\…$/.test(cut)).toBe(false);
    }
  });
});

describe("inCode", () => {
  it("keeps text as typed for a code span, dropping the backticks and line breaks that would end it", () => {
    expect(inCode("[1] [x](https://evil.example) *a*")).toBe("[1] [x](https://evil.example) *a*");
    expect(inCode("a ` b\n c")).toBe("a  b c");
  });
});

describe("highlighted", () => {
  it("escapes the whole passage once, so a highlight inside link text leaves no live link", () => {
    const out = highlighted({ text: LINK_AFTER_NOTE, highlights: highlightsOf(LINK_AFTER_NOTE, "prize") });
    expect(liveMaskedLinks(out)).toEqual([]);
    expect(out).toBe("see \\[1\\] then \\[claim your **prize**\\](https://evil.example)");
  });

  it("puts the bold marks at the mapped offsets, around whole escapes", () => {
    const text = "a\\b *c* d_e_ [f] `g` ~~h~~ ||i|| **j** 1. k\n- l\n> m\n-# n";
    const escaped = escapeText(text);
    const dangling = (s: string) => /(^|[^\\])(\\\\)*\\$/.test(s);
    for (let start = 0; start < text.length; start += 1) {
      for (let end = start + 1; end <= Math.min(text.length, start + 4); end += 1) {
        const out = highlighted({ text, highlights: [{ start, end }] });
        // The output is the passage escaped as a whole with "**" put in at two places a ≤ b
        // that cut no escape in half, and the bold part shows exactly the highlighted words.
        let found = false;
        for (let a = 0; a <= escaped.length && !found; a += 1) {
          if (!out.startsWith(`${escaped.slice(0, a)}**`) || dangling(escaped.slice(0, a))) continue;
          for (let b = a; b <= escaped.length && !found; b += 1) {
            if (out !== `${escaped.slice(0, a)}**${escaped.slice(a, b)}**${escaped.slice(b)}` || dangling(escaped.slice(0, b))) continue;
            found = escaped.slice(a, b).replace(/\\(.)/gs, "$1") === text.slice(start, end);
          }
        }
        expect(found, `${JSON.stringify(text.slice(start, end))} → ${out}`).toBe(true);
      }
    }
  });
});

describe("corpus and user text in embeds", () => {
  it("quoteEmbed escapes the title and the outlet, so neither carries a live link", () => {
    for (const bold of [false, true]) {
      const embed = quoteEmbed(passage({ highlights: highlightsOf(LINK_AFTER_NOTE, "prize") }), { bold });
      for (const part of markdownParts(embed)) expect(liveMaskedLinks(part)).toEqual([]);
      expect(embed.fields?.find((f) => f.name === "Outlet")?.value).toBe("\\[The Outlet Link\\](https://evil.example/outlet)");
      // Author name and footer are plain text in Discord: escaping them would show backslashes.
      expect(embed.author?.name).toBe("Eve [an author link](https://evil.example/author)");
    }
  });

  it("search, summary, contrast, timeline and article embeds escape queries, topics, titles and authors", () => {
    const p = passage({ highlights: highlightsOf(LINK_AFTER_NOTE, "prize") });
    const query = "[a query link](https://evil.example/query) *loud*";
    const embeds = [
      searchEmbed(query, [p]),
      summaryEmbed({ scope: { kind: "topic", value: query, articleIds: [p.articleId], length: "short" }, sentences: [{ ...p, elidedBefore: false }] }),
      contrastEmbed({ topic: query, columns: [{ author: p.authors[0] ?? "", authors: p.authors, articleIds: [p.articleId], passages: [p], terms: ["[t](https://evil.example/term)"] }], omitted: [], hints: [] }),
      timelineEmbed({ topic: query, entries: [{ ...p, date: null, undated: false }] }),
      articleEmbed(
        { id: p.articleId, title: p.title, authors: p.authors, outlet: p.outlet, published: p.published, source: { site: "test fixture" }, gaps: 1 } as Parameters<typeof articleEmbed>[0],
        1,
        { scope: { kind: "article", value: p.articleId, articleIds: [p.articleId], length: "short" }, sentences: [{ ...p, elidedBefore: false }] },
      ),
    ];
    for (const embed of embeds) for (const part of markdownParts(embed)) expect(liveMaskedLinks(part), part).toEqual([]);
    expect(embeds[0]?.title).toBe("Search: \\[a query link\\](https://evil.example/query) \\*loud\\*");
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
