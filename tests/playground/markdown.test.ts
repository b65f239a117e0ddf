import { describe, expect, it } from "vitest";
import { escapeText } from "../../src/discord/render.js";
import { renderInlineMarkdown, renderMarkdown } from "../../src/playground/markdown.js";
import { HOSTILE, visibleText } from "./harness.js";

const names = {
  user: (id: string) => (id === "1100000000000000041" ? "Bob" : null),
  channel: (id: string) => (id === "1100000000000000020" ? "general" : null),
  role: (id: string) => (id === "1100000000000000030" ? "Moderators" : null),
};
const render = (text: string) => renderMarkdown(text, names);

describe("Discord Markdown on the playground page", () => {
  it("quotes one line per `>`, as Discord does (CommonMark would pull the next line into the quote)", () => {
    expect(render("> the passage\n— Author · `id:1.2`")).toBe('<blockquote>the passage</blockquote><div class="line">— Author · <code>id:1.2</code></div>');
  });

  it("keeps each line break once, blank lines included", () => {
    expect(render("First.\n\nSecond\nThird")).toBe('<div class="line">First.<br><br>Second<br>Third</div>');
  });

  it("renders emphasis, inline code, code blocks, headings, subtext and lists", () => {
    expect(render("**bold** *it* ~~gone~~ `x`")).toBe('<div class="line"><strong>bold</strong> <em>it</em> <s>gone</s> <code>x</code></div>');
    expect(render("```\n<b>raw</b>\n```")).toBe("<pre><code>&lt;b&gt;raw&lt;/b&gt;</code></pre>");
    expect(render("# Title\n-# small\n- one\n- two")).toBe('<h3>Title</h3><small class="subtext">small</small><ul><li>one</li><li>two</li></ul>');
  });

  it("shows mentions as Discord's pills with names (never links or pings) and timestamps as <time>", () => {
    expect(render("<@1100000000000000041> <@&1100000000000000030> <#1100000000000000020> <@1100000000000000099>")).toBe(
      '<div class="line"><span class="mention">@Bob</span> <span class="mention">@Moderators</span> <span class="mention">#general</span> <span class="mention">@unknown-user</span></div>',
    );
    expect(render("<t:1700000000:R>")).toBe('<div class="line"><time class="timestamp" data-unix="1700000000" data-style="R" datetime="2023-11-14T22:13:20.000Z">2023-11-14T22:13:20.000Z</time></div>');
  });

  it("never lets text become HTML: tags, event handlers and character references show as typed", () => {
    const html = render(`${HOSTILE.script} ${HOSTILE.img} &lt;i&gt; "quoted" 'single'`);
    expect(html).not.toMatch(/<(script|img|i)[\s>]/);
    expect(visibleText(html)).toBe(`${HOSTILE.script} ${HOSTILE.img} &lt;i&gt; "quoted" 'single'`);
    expect(renderInlineMarkdown(`${HOSTILE.script} **t**`, names)).toBe("&lt;script&gt;window.__injected = 1&lt;/script&gt; <strong>t</strong>");
  });

  it("links only http(s) URLs, and a masked link the bot escaped stays text", () => {
    expect(render(HOSTILE.link)).toBe('<div class="line">[click me](javascript:window.__injected=3)</div>');
    expect(render("[site](https://example.com)")).toBe('<div class="line"><a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">site</a></div>');
    expect(render(escapeText("[site](https://example.com) *not em*"))).not.toContain("<em>");
    expect(visibleText(render(escapeText("[a](b) *c* _d_ `e` > f")))).toBe("[a](b) *c* _d_ `e` > f");
  });
});
