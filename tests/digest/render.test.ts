import { describe, expect, it } from "vitest";
import { digestMarker, type DigestContent, type DigestPassage } from "../../src/digest/content.js";
import { renderDigest, renderDigestPayload } from "../../src/discord/digest-message.js";

const passage = (articleId: string, authors: string[], text: string): DigestPassage => ({
  citation: `${articleId}:2.1`,
  articleId,
  start: 10,
  end: 10 + text.length,
  title: `The *case* for ${articleId}`,
  authors,
  outlet: "The Outlet",
  published: "2024-05-01",
  text,
});

const TOPIC = "ceasefire [1] [claim your prize](https://evil.example)";
const content = (over: Partial<DigestContent> = {}): DigestContent => ({
  localDate: "2025-06-02",
  roleId: null,
  topic: null,
  rotation: 0,
  passage: passage("a-1", ["Ann Author"], "We must hold the line on **monitoring**, and say so plainly to everyone involved."),
  debate: {
    topic: TOPIC,
    columns: [
      { author: "Ann_Author", passage: passage("a-2", ["Ann_Author"], "The ceasefire holds only if someone watches it.") },
      { author: "Bob & Cy", passage: passage("b-1", ["Bob", "Cy"], "No ceasefire survives without a price for breaking it.") },
    ],
  },
  newArticles: [{ id: "n-1", title: "New *piece*", authors: ["Dee"], outlet: "Daily" }],
  newArticleCount: 1,
  ...over,
});

describe("renderDigest: the digest's content as a Discord message", () => {
  it("escapes the topic and the authors in the debate and the question; the /quote hint has the topic as typed, in code", () => {
    const reply = renderDigest(content());
    const fields = (reply.embeds ?? []).flatMap((e) => e.fields ?? []);
    expect(reply.embeds?.[1]?.title).toBe("Debate of the day: ceasefire \\[1\\] \\[claim your prize\\](https://evil.example)");
    expect(fields.find((f) => f.name === "Question for discussion")?.value).toBe(
      "On **ceasefire \\[1\\] \\[claim your prize\\](https://evil.example)**, Ann\\_Author and Bob & Cy pull in different directions. " +
        "Which argument holds up better, and what evidence would change your mind?",
    );
    const dig = fields.find((f) => f.name === "Dig deeper with /quote")?.value ?? "";
    expect(dig.split("\n")).toEqual(["a-1", "a-2", "b-1"].map((id) => `\`${id}:2.1\` → \`/quote query:${TOPIC} article:${id}\``));
  });

  it("turns the question with the rotation, four wordings in a cycle", () => {
    const question = (rotation: number) => renderDigest(content({ rotation })).embeds?.at(-1)?.fields?.find((f) => f.name === "Question for discussion")?.value;
    expect(new Set([0, 1, 2, 3].map(question)).size).toBe(4);
    expect(question(4)).toBe(question(0));
  });

  it("ends with the marker recovery looks for, and mentions only the configured role", () => {
    const plain = renderDigest(content());
    expect(plain.embeds?.at(-1)?.footer?.text).toBe(digestMarker("2025-06-02"));
    expect(digestMarker("2025-06-02")).toBe("Agora daily digest · 2025-06-02");
    expect(plain.content).toMatch(/^\*\*Agora daily digest\*\* · Monday,? 2 June 2025$/); // the comma is the ICU version's
    expect(plain.mentionRoleId).toBeUndefined();
    const pinging = renderDigest(content({ roleId: "42" }));
    expect(pinging.content).toBe(`<@&42> ${plain.content ?? ""}`);
    expect(pinging.mentionRoleId).toBe("42");
  });

  it("lists the new articles it holds and counts the rest; says so when there is nothing", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ id: `n-${i}`, title: `T${i}`, authors: ["Dee"], outlet: "Daily" }));
    const listed = renderDigest(content({ newArticles: many, newArticleCount: 14 })).embeds?.at(-1)?.description ?? "";
    expect(listed.split("\n")).toHaveLength(11);
    expect(listed.split("\n").at(-1)).toBe("…and 4 more.");
    expect(listed.split("\n")[0]).toBe("• **T0** — Dee, Daily · `n-0`");
    expect(renderDigest(content({ newArticles: [], newArticleCount: 0 })).embeds?.at(-1)?.description).toBe("Nothing new since the last digest.");
  });

  it("without a passage or a debate: says so, and offers no question", () => {
    const reply = renderDigest(content({ passage: null, debate: null }));
    expect(reply.embeds?.[0]).toMatchObject({ title: "Passage of the day", description: "The library has no passages to quote yet." });
    expect(reply.embeds).toHaveLength(2);
    expect(reply.embeds?.at(-1)?.fields).toEqual([]);
  });

  it("is a function of the data: the same content, stored and read back as JSON, renders the same bytes", () => {
    const data = content({ roleId: "42", rotation: 7 });
    const stored = JSON.parse(JSON.stringify(data)) as DigestContent;
    expect(JSON.stringify(renderDigest(stored))).toBe(JSON.stringify(renderDigest(data)));
    expect(renderDigestPayload({ kind: "content", content: stored })).toEqual(renderDigest(data));
  });

  it("a legacy payload (a message an older build rendered and stored) is sent as it is", () => {
    const legacy = { content: "**Agora daily digest** · old", embeds: [{ footer: { text: digestMarker("2025-06-01") } }] };
    expect(renderDigestPayload({ kind: "legacy", reply: legacy })).toEqual(legacy);
  });
});
