import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArticle } from "../../src/corpus/load.js";
import { DEFAULT_IDS, DEFAULT_USERS, defaultGuild, type FakeGuild, type FakeReply, type FakeUser, type MessageBody } from "../../src/fake-discord/index.js";
import type { Database } from "../../src/storage/db.js";
import { ManualClock, tempDatabase } from "../digest/helpers.js";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";

const PAGES = path.join(import.meta.dirname, "../fixtures/pages");
const SECOND_GUILD = "1100000000000000910";
const { alice, bob } = DEFAULT_USERS;

/** The fixture pages as a news site serves them, plus the shapes a hostile link takes. */
let pages: Server;
let base: string;
let port: number;
beforeAll(async () => {
  pages = createServer((request, response) => {
    const url = request.url ?? "";
    if (url === "/to-loopback") return void response.writeHead(302, { location: `http://127.0.0.1:9/secret` }).end();
    if (url === "/silent.html") return; // never answers: the bot gives up at its time limit
    if (url === "/image.png") return void response.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(64));
    if (url === "/huge.html") return void response.writeHead(200, { "content-type": "text/html" }).end("<p>" + "word ".repeat(1_200_000) + "</p>");
    readFile(path.join(PAGES, path.basename(url))).then(
      (html) => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html),
      () => response.writeHead(404).end(),
    );
  });
  pages.listen(0, "127.0.0.1");
  await once(pages, "listening");
  port = (pages.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  pages.closeAllConnections();
  pages.close();
});

function secondGuild(): FakeGuild {
  const guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  return {
    ...guild,
    id: SECOND_GUILD,
    name: "Another Server",
    roles: guild.roles.map((r) => (r.id === DEFAULT_IDS.guild ? { ...r, id: SECOND_GUILD } : r)),
    channels: [{ id: "1100000000000000920", name: "general", topic: null }],
  };
}

let h: Harness;
let db: Database;
const file = tempDatabase();
const clock = new ManualClock(Date.parse("2025-06-02T04:00:00Z"));
beforeAll(async () => {
  db = file.open();
  const guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  h = await startBot({
    database: db,
    digest: { clock, autoTick: false },
    fake: { guilds: [guild, secondGuild()] },
    // The one setting that lets the bot fetch from this machine: only the fixture server's port.
    library: { fetch: { allowLoopbackPorts: [port], timeoutMs: 1_500 }, limits: { maxArticles: 3 } },
  });
});
afterAll(async () => {
  await h.close();
  db.close();
  file.cleanup();
});

type Body = ReturnType<typeof bodyOf>;
const buttonId = (body: Body, label: string) => body.components.flatMap((r) => r.components).find((c) => c.label === label)?.custom_id ?? "";

async function library(subcommand: string, options: Record<string, string | number> = {}, user: FakeUser = bob, guildId: string = DEFAULT_IDS.guild) {
  return h.fake.interact(h.fake.payloads.chatInput({ name: "library", subcommand, options, user, guildId }));
}

/** The private answer of a deferred command. */
async function deferredAnswer(reply: FakeReply): Promise<Body> {
  expect(reply.callback.type).toBe(5);
  expect((reply.callback.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return bodyOf(await reply.waitForEdit());
}

/** The answer to an interaction, whichever way it came (reply, or the edit after a deferral). */
async function answer(reply: FakeReply): Promise<Body> {
  if (reply.callback.type === 5) return bodyOf(await reply.waitForEdit());
  if (reply.callback.type === 6) return bodyOf(await Promise.race<MessageBody>([reply.waitForEdit(), reply.waitForFollowUp()]));
  return bodyOf(reply.callback.data);
}

async function quoteIds(query: string, guildId: string = DEFAULT_IDS.guild): Promise<string[]> {
  const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query }, user: alice, guildId }));
  const body = await answer(reply);
  return body.embeds.map((e) => e.fields?.find((f) => f.name === "Citation")?.value ?? "").concat(body.content);
}

describe("/library add from a URL", () => {
  let previewBody: Body;
  let previewReply: FakeReply;

  it("shows a private preview of what was found, and stores nothing yet", async () => {
    previewReply = await library("add", { url: `${base}/news-jsonld.html` });
    previewBody = await deferredAnswer(previewReply);
    const [embed] = previewBody.embeds;
    expect(embed?.title).toBe("The grain corridor needs a navy");
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["Authors"]).toBe("Mira Kovalenko");
    expect(fields["Outlet"]).toBe("Harbour Review");
    expect(fields["Published"]).toMatch(/14 March 2024|2024-03-14|Mar 14, 2024/);
    expect(fields["Text"]).toMatch(/^4 paragraphs/);
    expect(embed?.description).toMatch(/^> Every week since the summer, freighters have left Odesa/);
    expect(previewBody.components.flatMap((r) => r.components).map((c) => c.label)).toEqual(["Add", "Edit details", "Cancel"]);
    expect(db.prepare("SELECT count(*) AS n FROM server_articles").get()).toEqual({ n: 0 });
  });

  it("lets the moderator correct the details in a modal, and shows the preview again", async () => {
    const edit = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(previewBody, "Edit details"), user: bob, ...messageOf(previewReply) }));
    expect(edit.callback.type).toBe(9);
    const modal = edit.callback.data as unknown as { custom_id: string; components: { components: { custom_id: string; value?: string }[] }[] };
    const values = Object.fromEntries(modal.components.map((row): [string, string | undefined] => [row.components[0]?.custom_id ?? "", row.components[0]?.value]));
    expect(values).toEqual({ title: "The grain corridor needs a navy", authors: "Mira Kovalenko", outlet: "Harbour Review", published: "2024-03-14" });
    const submitted = await h.fake.interact(
      h.fake.payloads.modalSubmit({
        customId: modal.custom_id,
        user: bob,
        fields: { title: "The grain corridor needs a navy", authors: "Mira Kovalenko, Petro Hrytsenko", outlet: "Harbour Review", published: "2024-03-15" },
        ...messageOf(previewReply),
      }),
    );
    previewBody = await answer(submitted);
    const fields = Object.fromEntries((previewBody.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["Authors"]).toBe("Mira Kovalenko and Petro Hrytsenko");
    expect(fields["Published"]).toMatch(/15 March 2024|2024-03-15|Mar 15, 2024/);
  });

  it("refuses a bad date in the modal privately and keeps the draft", async () => {
    const submitted = await h.fake.interact(
      h.fake.payloads.modalSubmit({ customId: `library:details:${stateOf(previewBody)}`, user: bob, fields: { title: "T", authors: "", outlet: "O", published: "15/03/2024" }, ...messageOf(previewReply) }),
    );
    const body = await answer(submitted);
    expect(body.content).toMatch(/is not a date as YYYY-MM-DD/);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it("does not let another member press Add on someone's preview", async () => {
    const click = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(previewBody, "Add"), user: alice, ...messageOf(previewReply) }));
    expect((await answer(click)).content).toMatch(/Only the member who started this/);
    expect(db.prepare("SELECT count(*) AS n FROM server_articles").get()).toEqual({ n: 0 });
  });

  it("adds it on Add, and it is quotable at once in that server only", async () => {
    const click = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(previewBody, "Add"), user: bob, ...messageOf(previewReply) }));
    expect(click.callback.type).toBe(6);
    const done = bodyOf(await click.waitForEdit());
    expect(done.content).toMatch(/^Added \*\*The grain corridor needs a navy\*\* as `the-grain-corridor-needs-a-navy`/);
    expect(done.components).toEqual([]);
    const here = await quoteIds("naval escorts for grain freighters in the Black Sea");
    expect(here[0]).toMatch(/the-grain-corridor-needs-a-navy:/);
    const there = await quoteIds("naval escorts for grain freighters in the Black Sea", SECOND_GUILD);
    expect(there.join(" ")).not.toMatch(/the-grain-corridor-needs-a-navy/);
  });

  it("lists the added article with the space used, in the next digest as new", async () => {
    const list = bodyOf((await library("list", {}, alice)).callback.data);
    expect(list.embeds[0]?.description).toMatch(/`the-grain-corridor-needs-a-navy` — The grain corridor needs a navy/);
    expect(list.embeds[0]?.footer?.text).toMatch(/1 of 3 articles/);
    const setup = await h.fake.interact(h.fake.payloads.chatInput({ name: "digest", subcommand: "setup", options: { channel: DEFAULT_IDS.channel, time: "09:00", timezone: "Europe/Kyiv" }, user: bob }));
    expect(bodyOf(await setup.waitForEdit()).content).toMatch(/will post in/);
    clock.advance(60_000);
    const added = await library("add", { url: `${base}/two-authors-graph.html` });
    const preview = await deferredAnswer(added);
    await (await h.fake.interact(h.fake.payloads.button({ customId: buttonId(preview, "Add"), user: bob, ...messageOf(added) }))).waitForEdit();
    const digest = bodyOf(await (await h.fake.interact(h.fake.payloads.chatInput({ name: "digest", subcommand: "preview", user: bob }))).waitForEdit());
    const fresh = digest.embeds.find((e) => e.title === "New in the library");
    expect(fresh?.description).toMatch(/Sanctions are a marathon/);
    // Added before the digest was set up: not new to this server's digest.
    expect(fresh?.description ?? "").not.toMatch(/grain corridor/);
  });
});

describe("/library refusals", () => {
  const refusal = async (options: Record<string, string>, user: FakeUser = bob) => (await deferredAnswer(await library("add", options, user))).content;

  it("answers a member without Manage Server or the editors role privately", async () => {
    const reply = await library("add", { url: `${base}/reposted.html` }, alice);
    expect(bodyOf(reply.callback.data).content).toMatch(/Only members with \*\*Manage Server\*\* can change/);
  });

  it("treats everything on a page as text: no mention, Markdown or HTML of it reaches a message", async () => {
    const reply = await library("add", { url: `${base}/hostile.html` });
    const preview = await deferredAnswer(reply);
    const edit = h.fake.requests.filter((r) => r.method === "PATCH" && r.path.includes(reply.token)).at(-1);
    expect((edit?.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [], roles: [], replied_user: false });
    const shown = JSON.stringify(preview.embeds);
    expect(preview.embeds[0]?.title).toBe("@everyone \\*\\*Read this now\\*\\* <@&1100000000000000030>");
    expect(shown).not.toMatch(/<script|<img|<b>|onerror/);
    const cancel = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(preview, "Cancel"), user: bob, ...messageOf(reply) }));
    expect(bodyOf(cancel.callback.data).content).toBe("Cancelled: nothing was added.");
  });

  it("refuses private addresses, a redirect to loopback, a wrong type, an oversize page and silence, each saying why", async () => {
    expect(await refusal({ url: "http://10.1.2.3/article" })).toMatch(/couldn't add that: .*(private|not public|refused|address)/i);
    expect(await refusal({ url: "http://169.254.169.254/latest/meta-data" })).toMatch(/couldn't add that/);
    expect(await refusal({ url: `${base}/to-loopback` })).toMatch(/couldn't add that/);
    expect(await refusal({ url: `${base}/image.png` })).toMatch(/not a web page or text/);
    expect(await refusal({ url: `${base}/huge.html` })).toMatch(/larger than 5 MB/);
    expect(await refusal({ url: "ftp://example.com/a" })).toMatch(/only http and https/);
    expect(await refusal({ url: `${base}/silent.html` })).toMatch(/no answer within 1.5 s/);
  });

  it("stops at the server's article limit with a clear message", async () => {
    const third = await library("add", { url: `${base}/reposted.html` });
    const preview = await deferredAnswer(third);
    await (await h.fake.interact(h.fake.payloads.button({ customId: buttonId(preview, "Add"), user: bob, ...messageOf(third) }))).waitForEdit();
    const fourth = await library("add", { url: `${base}/news-jsonld.html` });
    const again = await deferredAnswer(fourth);
    const click = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(again, "Add"), user: bob, ...messageOf(fourth) }));
    expect((await answer(click)).content).toMatch(/library is full: 3 of 3 articles/);
  });

  it("lets a role added with /library settings add articles", async () => {
    const settings = bodyOf((await library("settings", { editors: DEFAULT_IDS.moderatorRole }, bob)).callback.data);
    expect(settings.content).toMatch(/can now add and remove articles/);
    const denied = bodyOf((await library("settings", {}, alice)).callback.data);
    expect(denied.content).toMatch(/Only members with \*\*Manage Server\*\* can choose/);
  });
});

describe("/library remove and export", () => {
  it("removes after a confirmation; old citations then say it was removed", async () => {
    const quote = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "sanctions marathon" }, user: alice }));
    const citation = (await answer(quote)).embeds[0]?.fields?.find((f) => f.name === "Citation")?.value ?? "";
    const confirm = bodyOf((await library("remove", { article: "sanctions-are-a-marathon" })).callback.data);
    expect(confirm.content).toMatch(/^Remove \*\*Sanctions are a marathon\*\*/);
    const removal = await library("remove", { article: "sanctions-are-a-marathon" });
    const click = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(bodyOf(removal.callback.data), "Remove"), user: bob }));
    expect(bodyOf(click.callback.data).content).toMatch(/^Removed \*\*Sanctions are a marathon\*\*/);
    expect(citation).toMatch(/sanctions-are-a-marathon:/);
    const cited = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: `cite:${/sanctions-are-a-marathon:[\d.-]+/.exec(citation)?.[0] ?? ""}` }, user: alice }));
    expect((await answer(cited)).content).toMatch(/“Sanctions are a marathon” \(`sanctions-are-a-marathon`\) was removed from this server's library/);
  });

  it("will not remove a shared article", async () => {
    const shared = h.engine.articles()[0]?.id ?? "";
    expect(bodyOf((await library("remove", { article: shared })).callback.data).content).toMatch(/is in the shared corpus/);
  });

  it("adds an attached .md file, its front matter honoured and its body cleaned like any text", async () => {
    const text = ["---", "title: Talks need a referee", "authors: [Oksana Melnyk]", "outlet: Kyiv Weekly", "published: 2025-01-09", "---", "", ...MARKDOWN_BODY].join("\n");
    const file = h.fake.attach("talks.md", text, "text/markdown; charset=utf-8");
    const reply = await h.fake.interact(
      h.fake.payloads.chatInput({
        name: "library",
        subcommand: "add",
        options: [{ name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id }],
        resolved: { attachments: { [file.id]: file } },
        user: bob,
      }),
    );
    const preview = await deferredAnswer(reply);
    const fields = Object.fromEntries((preview.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(preview.embeds[0]?.title).toBe("Talks need a referee");
    expect([fields["Authors"], fields["Outlet"], fields["From"]]).toEqual(["Oksana Melnyk", "Kyiv Weekly", "talks.md"]);
    const click = await h.fake.interact(h.fake.payloads.button({ customId: buttonId(preview, "Add"), user: bob, ...messageOf(reply) }));
    expect(bodyOf(await click.waitForEdit()).content).toMatch(/^Added \*\*Talks need a referee\*\*/);
    expect((await quoteIds("a neutral referee to verify the ceasefire line"))[0]).toMatch(/^`talks-need-a-referee:/);
  });

  it("refuses an attachment it cannot read, naming the kinds it can", async () => {
    const file = h.fake.attach("scan.pdf", Buffer.alloc(100), "application/pdf");
    const reply = await h.fake.interact(
      h.fake.payloads.chatInput({ name: "library", subcommand: "add", options: [{ name: "file", type: ApplicationCommandOptionType.Attachment, value: file.id }], resolved: { attachments: { [file.id]: file } }, user: bob }),
    );
    expect((await deferredAnswer(reply)).content).toMatch(/“scan\.pdf” is not a file I can read: attach an \.html, \.txt or \.md file/);
  });

  it("exports the server's articles as a zip of the corpus files, which the loader reads back", async () => {
    const reply = await library("export", {}, alice);
    const body = await deferredAnswer(reply);
    expect(body.content).toMatch(/^3 articles as corpus files/);
    const patch = h.fake.requests.filter((r) => r.method === "PATCH" && r.path.includes(reply.token)).at(-1);
    const [zip] = patch?.files ?? [];
    expect(zip?.filename).toBe(`library-${DEFAULT_IDS.guild}.zip`);
    const files = unzipSync(new Uint8Array(zip?.data ?? Buffer.alloc(0)));
    expect(Object.keys(files).sort()).toEqual(["a-ceasefire-without-guarantees-is-a-pause.md", "talks-need-a-referee.md", "the-grain-corridor-needs-a-navy.md"]);
    for (const [name, bytes] of Object.entries(files)) expect(parseArticle(name, Buffer.from(bytes).toString("utf8"))).toHaveProperty("article");
  });
});

/** The preview message, so a click on its buttons comes from it. */
function messageOf(reply: FakeReply): { message?: NonNullable<ReturnType<FakeReply["original"]>> } {
  const message = reply.original();
  return message ? { message } : {};
}

function stateOf(body: Body): string {
  return buttonId(body, "Add").split(":")[2] ?? "";
}

/** An op-ed's body as a member might save it: paragraphs, no markup. */
const MARKDOWN_BODY = [
  "Every ceasefire in this war has failed for the same reason: nobody was there to say who fired first. Both armies accuse each other within hours, and without a neutral referee on the line the accusation is all anyone has.",
  "",
  "A monitoring mission with drones, radar and people on the ground would change that. It would not end the war, but it would make breaking a truce costly, because the world would know who broke it.",
  "",
  "The mission must be large, armed enough to protect itself, and led by states both sides can live with. Anything less is a press release, not a peace plan.",
];
