import { ChannelType, MessageFlags, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";
import { allow, deny } from "../../src/fake-discord/overwrites.js";
import { DEFAULT_IDS, defaultGuild, type FakeReply } from "../../src/fake-discord/index.js";

const P = PermissionFlagsBits;
const IDS = {
  forum: "1100000000000000050",
  forumPost: "1100000000000000051",
  noThreads: "1100000000000000052",
  noThreadsThread: "1100000000000000053",
  botNoHistory: "1100000000000000054",
  memberNoHistory: "1100000000000000055",
  archivedThread: "1100000000000000056",
  botNoThreads: "1100000000000000057",
  botNoThreadsThread: "1100000000000000058",
} as const;

let h: Harness;
beforeAll(async () => {
  const guild = defaultGuild({ id: DEFAULT_IDS.bot, username: "Agora", bot: true });
  const everyone = DEFAULT_IDS.guild;
  guild.channels.push(
    // A forum where members may not create posts (Send Messages) but may write in them (Send Messages in Threads).
    { id: IDS.forum, name: "debates", type: ChannelType.GuildForum, overwrites: [deny(everyone, P.SendMessages)] },
    { id: IDS.forumPost, name: "a forum post", type: ChannelType.PublicThread, parentId: IDS.forum },
    // Members may send here but not in its threads; the bot may do both.
    { id: IDS.noThreads, name: "no-threads", overwrites: [deny(everyone, P.SendMessagesInThreads), allow(DEFAULT_IDS.botRole, P.SendMessagesInThreads)] },
    { id: IDS.noThreadsThread, name: "a thread", type: ChannelType.PublicThread, parentId: IDS.noThreads },
    { id: IDS.botNoHistory, name: "bot-no-history", overwrites: [deny(DEFAULT_IDS.botRole, P.ReadMessageHistory)] },
    { id: IDS.memberNoHistory, name: "member-no-history", overwrites: [deny(everyone, P.ReadMessageHistory), allow(DEFAULT_IDS.botRole, P.ReadMessageHistory)] },
    { id: IDS.archivedThread, name: "an archived thread", type: ChannelType.PublicThread, parentId: DEFAULT_IDS.channel, archived: true },
    // The bot may send in the channel but not in its threads.
    { id: IDS.botNoThreads, name: "bot-no-threads", overwrites: [deny(DEFAULT_IDS.botRole, P.SendMessagesInThreads)] },
    { id: IDS.botNoThreadsThread, name: "another thread", type: ChannelType.PublicThread, parentId: IDS.botNoThreads },
  );
  h = await startBot({ fake: { guilds: [guild] } });
});
afterAll(async () => {
  await h.close();
});

const button = (body: ReturnType<typeof bodyOf>, label: string) => body.components.flatMap((r) => r.components).find((c) => c.label === label);
const postsTo = (channelId: string) => h.fake.requests.filter((r) => r.method === "POST" && r.path === `/channels/${channelId}/messages`);

/** The private answer to a click: the reply itself, or (after a deferred update) a follow-up. */
async function privateAnswer(reply: FakeReply) {
  const body = reply.callback.type === 4 ? bodyOf(reply.callback.data) : bodyOf(await reply.waitForFollowUp());
  expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  return body.content;
}

/** /quote hide:true in a channel, then a click on Post in channel. */
async function postInChannel(channelId: string) {
  const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query: "ceasefire", hide: true }, channelId }));
  const post = button(bodyOf(reply.callback.data), "Post in channel")?.custom_id ?? "";
  expect(post).toMatch(/^quote:post:/);
  return h.fake.interact(h.fake.payloads.button({ customId: post, channelId }));
}

/** Find passages on a message in a channel, then a click on Reply with this quote. */
async function replyWithQuote(channelId: string, options: { timeoutMs?: number } = {}) {
  const reply = await h.fake.interact(h.fake.payloads.messageContextMenu({ name: "Find passages", target: { content: "Should Ukraine give up land for a ceasefire?" }, channelId }));
  const body = bodyOf(reply.callback.data);
  const id = button(body, "Reply with this quote")?.custom_id ?? "";
  expect(id).toMatch(/^quote:reply:/);
  const message = reply.original() ?? undefined;
  return h.fake.interact(h.fake.payloads.button({ customId: id, channelId, ...(message ? { message } : {}) }), options);
}

describe("Post in channel in threads", () => {
  it("posts in a forum post for a member who may send in threads but not create posts", async () => {
    const posted = await postInChannel(IDS.forumPost);
    expect(posted.callback.type).toBe(4);
    const body = bodyOf(posted.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(0);
    expect(body.content).toBe(`Shared by <@${DEFAULT_IDS.alice}>`);
  });

  it("refuses in a thread where the member may not send in threads, naming that permission", async () => {
    const posted = await postInChannel(IDS.noThreadsThread);
    expect(await privateAnswer(posted)).toBe("You need **Send Messages in Threads** here to post this quote.");
  });
});

describe("Reply with this quote", () => {
  it("says I need Read Message History there, instead of a generic fault", async () => {
    const clicked = await replyWithQuote(IDS.botNoHistory);
    expect(await privateAnswer(clicked)).toBe("I need **Read Message History** here to reply with this quote: ask a moderator to give it to me.");
    expect(postsTo(IDS.botNoHistory)).toHaveLength(0);
  });

  it("says you need Read Message History there when the member lacks it", async () => {
    const clicked = await replyWithQuote(IDS.memberNoHistory);
    expect(await privateAnswer(clicked)).toBe("You need **Read Message History** here to reply with this quote.");
    expect(postsTo(IDS.memberNoHistory)).toHaveLength(0);
  });

  it("in a thread, needs Send Messages in Threads from me, and says so", async () => {
    const clicked = await replyWithQuote(IDS.botNoThreadsThread);
    expect(await privateAnswer(clicked)).toBe("I need **Send Messages in Threads** here to reply with this quote: ask a moderator to give it to me.");
    expect(postsTo(IDS.botNoThreadsThread)).toHaveLength(0);
  });

  it("answers the click before posting, so a post that waits out a 429 cannot miss Discord's 3 s", async () => {
    h.fake.failChannelPosts({ channelId: DEFAULT_IDS.otherChannel, status: 429, retryAfterSeconds: 4, times: 1 });
    const clicked = await replyWithQuote(DEFAULT_IDS.otherChannel);
    expect(clicked.callback.type).toBe(6); // deferred update: the click is answered at once
    const edit = bodyOf(await clicked.waitForEdit(8000));
    expect(edit.content).toBe("Posted the quote as a reply.");
    expect(edit.components).toEqual([]);
    const replies = h.fake.channelMessages(DEFAULT_IDS.otherChannel).filter((m) => m.message_reference !== undefined);
    expect(replies).toHaveLength(1);
  }, 15_000);

  it("posts in a thread discord.js has not cached (an archived one)", async () => {
    const clicked = await replyWithQuote(IDS.archivedThread);
    expect(bodyOf(await clicked.waitForEdit()).content).toBe("Posted the quote as a reply.");
    expect(h.fake.channelMessages(IDS.archivedThread).filter((m) => m.message_reference !== undefined)).toHaveLength(1);
  });
});
