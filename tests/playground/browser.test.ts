import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusWithHostileArticle, HOSTILE, startPlayground, type PlaygroundHarness } from "./harness.js";

// The playground page in a real browser: headless Chromium (Debian's `chromium` package) driven by
// playwright-core. Screenshots go to screenshots/ (git-ignored) for a person to look at.
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => existsSync(file));
const SHOTS = "screenshots";
if (!CHROMIUM) console.warn("playground browser tests SKIPPED: no Chromium at /usr/bin/chromium (install it: apt-get install -y chromium)");

describe.skipIf(!CHROMIUM)("the playground page in headless Chromium", () => {
  let h: PlaygroundHarness;
  let corpus: ReturnType<typeof corpusWithHostileArticle>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    corpus = corpusWithHostileArticle();
    h = await startPlayground({ corpusDir: corpus.dir });
    browser = await chromium.launch({ executablePath: CHROMIUM ?? "chromium", args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(h.url);
    await page.waitForSelector("body[data-ready=true]");
  }, 60_000); // a bot, a corpus and a browser to start, on a machine that may be busy with other tests
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    corpus?.cleanup();
  });

  const input = () => page.locator("#composer-input");
  const lastMessage = () => page.locator("#messages > li").last();
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name) });
  /** Types like a person (each key an input event), so the composer asks for suggestions as it would. */
  async function typeLine(text: string): Promise<void> {
    await input().fill("");
    await input().pressSequentially(text, { delay: 5 });
  }

  it("lists the commands with their descriptions when / is typed", async () => {
    await typeLine("/");
    const quote = page.locator(".suggestion", { hasText: "/quote" }).first();
    await expect.poll(() => quote.isVisible()).toBe(true);
    expect(await quote.locator(".description").textContent()).toBe("Quote the passage that best matches your words, with its author and source");
    await shot("01-commands.png");
  });

  it("types /quote with a query, picks the bot's autocomplete choice, and shows the answer as an embed", async () => {
    await typeLine("/quote query: peacekeepers author: vershb");
    const choice = page.locator(".suggestion", { hasText: "Vershbow" }).first();
    await expect.poll(() => choice.isVisible(), { timeout: 5000 }).toBe(true);
    await choice.click();
    await expect.poll(() => input().inputValue()).toMatch(/author: .*Vershbow.* $/i);
    await input().press("Enter");
    await expect.poll(() => lastMessage().locator(".embed").count(), { timeout: 8000 }).toBe(1);
    const answer = lastMessage();
    expect(await answer.locator(".used").textContent()).toBe("↱ Alice used /quote");
    expect(await answer.locator(".embed-author").textContent()).toContain("Alexander Vershbow");
    expect(await answer.locator(".embed-description blockquote").textContent()).toMatch(/peacekeepers/i);
    expect(await answer.locator(".embed-footer").textContent()).toMatch(/^1 of \d+/);
    await shot("02-quote.png");
  });

  it("pages with ▶ and shows the context privately with Context", async () => {
    const answer = lastMessage();
    const id = await answer.getAttribute("data-id");
    await answer.locator("button", { hasText: "▶" }).click();
    const same = page.locator(`#messages > li[data-id="${id ?? ""}"]`);
    await expect.poll(() => same.locator(".embed-footer").textContent(), { timeout: 5000 }).toMatch(/^2 of \d+/);
    await same.locator("button", { hasText: "Context" }).click();
    const context = page.locator("#messages > li.ephemeral").last();
    await expect.poll(() => context.isVisible(), { timeout: 5000 }).toBe(true);
    expect(await context.locator(".ephemeral-note").textContent()).toBe("Only you can see this · Dismiss message");
    await shot("03-context.png");
    const privateCount = await page.locator("#messages > li.ephemeral").count();
    await context.locator("button.dismiss").click();
    expect(await page.locator("#messages > li.ephemeral").count()).toBe(privateCount - 1);
  });

  it("runs /contrast and shows one field per author", async () => {
    await typeLine("/contrast topic: ceasefire");
    await page.locator("#suggestions").waitFor({ state: "visible" });
    await input().press("Escape");
    await input().press("Enter");
    const contrast = page.locator("#messages > li", { hasText: "Contrast: ceasefire" }).last();
    await expect.poll(() => contrast.locator(".embed-field").count(), { timeout: 15_000 }).toBeGreaterThan(1);
    expect(await contrast.locator(".embed-title").textContent()).toBe("Contrast: ceasefire");
    expect(await contrast.locator(".thinking").count()).toBe(0);
    await shot("04-contrast.png");
  });

  it("shows a passage and a query full of HTML, scripts, links and mentions as text, injecting nothing", async () => {
    await typeLine(`/quote query: zebra crossings ${HOSTILE.script} ${HOSTILE.img}`);
    await input().press("Escape");
    await input().press("Enter");
    const answer = page.locator("#messages > li", { hasText: "zebra crossing manifesto" }).last();
    await expect.poll(() => answer.count(), { timeout: 8000 }).toBe(1);
    const passage = (await answer.locator(".embed-description").textContent()) ?? "";
    expect(passage).toContain(HOSTILE.script);
    expect(passage).toContain(HOSTILE.img);
    expect(passage).toContain(HOSTILE.link);
    expect(passage).toContain("@Bob");
    expect(await answer.locator(".embed-title").textContent()).toBe("The zebra crossing manifesto <b>bold</b>");
    expect(await answer.locator(".embed-footer").textContent()).toContain(HOSTILE.script);
    await typeLine(`${HOSTILE.img} ${HOSTILE.link} **but this is bold**`);
    await input().press("Enter");
    await expect.poll(() => lastMessage().locator(".content strong").textContent()).toBe("but this is bold");
    // Counted in the page (as a string: this project's types have no DOM).
    const injected = JSON.parse(
      await page.evaluate<string>(`JSON.stringify({
        flag: window.__injected ?? null,
        elements: document.querySelectorAll("#messages script, #messages img, #messages iframe, #messages b").length,
        handlers: [...document.querySelectorAll("#messages *")].filter((node) => [...node.attributes].some((a) => a.name.startsWith("on"))).length,
        scriptLinks: document.querySelectorAll('#messages a[href^="javascript"]').length,
      })`),
    ) as unknown;
    expect(injected).toEqual({ flag: null, elements: 0, handlers: 0, scriptLinks: 0 });
    expect(await answer.locator(".mention").allTextContents()).toEqual(["@Bob"]);
    await shot("05-injection.png");
  });

  it("switches to another member: their view hides Alice's private answers, and Find passages runs from a message's menu", async () => {
    await page.locator(".member", { hasText: "Bob" }).click();
    expect(await page.locator("#acting-as").textContent()).toContain("You are Bob (Manage Server)");
    expect(await page.locator("#messages > li.ephemeral").count()).toBe(0);
    const target = page.locator("#messages > li", { hasText: "but this is bold" }).last();
    await target.click({ button: "right" });
    await page.locator(".context-menu button", { hasText: "Find passages" }).click();
    const found = page.locator("#messages > li.ephemeral", { hasText: "Bob used Find passages" }).last();
    await expect.poll(() => found.count(), { timeout: 8000 }).toBe(1);
    await shot("06-find-passages.png");
  });

  it("sets up the digest as Bob and shows the post arrive when the clock runs the day", async () => {
    await typeLine("/digest setup channel: #general time: 09:00 timezone: Europe/Kyiv");
    await input().press("Escape");
    await input().press("Enter");
    const runDay = page.locator("#run-day");
    await expect.poll(() => runDay.textContent(), { timeout: 8000 }).toBe("Run the day at 09:00 Europe/Kyiv");
    await runDay.click();
    const digest = page.locator("#messages > li", { hasText: "Agora daily digest" }).last();
    await expect.poll(() => digest.count(), { timeout: 10_000 }).toBe(1);
    expect(await digest.locator(".embed-title").first().textContent()).toBeTruthy();
    expect(await page.locator("#clock-now").textContent()).toMatch(/09:00 Europe\/Kyiv$/);
    await shot("07-digest.png");
    expect(pageErrors).toEqual([]);
  });
});
