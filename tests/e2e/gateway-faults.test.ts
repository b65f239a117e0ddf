// The real bot against a gateway that misbehaves as Discord's does: closed sockets, TCP drops,
// opcode 7 and 9, and REST 5xx bursts. The bot must resume (or identify again) and keep answering,
// and an interaction created while it is away must be answered exactly once after the resume.
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Events, MessageFlags, type APIInteraction } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";
import type { FakeReply } from "../../src/fake-discord/index.js";

let h: Harness;
beforeAll(async () => {
  h = await startBot();
});
afterAll(async () => {
  await h.close();
});

const CALLBACK = "/interactions/:id/:token/callback";
const quote = (query = "referendum") => h.fake.payloads.chatInput({ name: "quote", options: { query } });

/** Every callback request the bot made for an interaction, with the status the fake answered. */
const callbacks = (payload: APIInteraction) => h.fake.requests.filter((r) => r.method === "POST" && r.path === `/interactions/${payload.id}/${payload.token}/callback`).map((r) => r.status);
/** Log lines about one interaction: a second handling of a replayed duplicate would add one. */
const handled = (payload: APIInteraction) => h.logs.filter((l) => l.interactionId === payload.id && (l.msg === "interaction handled" || l.msg === "interaction failed"));

/** A /quote answer as the bot gives it: a public embed quoting the passage, footer naming the query. */
function expectQuote(reply: FakeReply, query = "referendum"): void {
  expect(reply.callback.type).toBe(4);
  const body = bodyOf(reply.callback.data);
  expect(body.flags & MessageFlags.Ephemeral).toBe(0);
  expect(body.embeds[0]?.description).toMatch(/^> /);
  expect(body.embeds[0]?.footer?.text).toContain(`“${query}”`);
}

/** Still answering: a fresh /quote, answered once. */
async function stillAnswers(): Promise<void> {
  const payload = quote("ceasefire");
  expectQuote(await h.fake.interact(payload), "ceasefire");
  expect(callbacks(payload)).toEqual([204]);
}

/**
 * The interaction was answered exactly once: one callback, accepted. A duplicate from a bad replay
 * would be handled right behind the first, so the check waits for a later interaction to be
 * answered (dispatches reach the bot in order) and a moment more.
 */
async function answeredOnce(payload: APIInteraction): Promise<void> {
  await stillAnswers();
  await sleep(200);
  expect(callbacks(payload)).toEqual([204]);
  expect(handled(payload)).toHaveLength(1);
}

const resumed = () => once(h.bot.client, Events.ShardResume) as Promise<[number, number]>;
const reconnecting = () => once(h.bot.client, Events.ShardReconnecting);
/** The bot identified again (n identifies in all) and its new session is connected. */
async function identifiedAgain(n: number): Promise<void> {
  await expect.poll(() => h.fake.identifies.length === n && h.fake.connectedSessions === 1, { timeout: 12_000, interval: 50 }).toBe(true);
}

/** Nothing the bot logged says it gave up on the gateway. */
const gaveUp = () => h.logs.filter((l) => l.msg === "gateway closed for good; discord.js will not reconnect");

describe("gateway faults: the bot resumes and keeps answering", () => {
  it("an interaction created while the socket is closed (4000) is kept by the session and answered once after the resume", async () => {
    const identifies = h.fake.identifies.length;
    const release = h.fake.holdGateway();
    const away = reconnecting();
    const back = resumed();
    h.fake.disconnectGateway(4000);
    await away;
    const payload = quote();
    const reply = h.fake.interact(payload, { timeoutMs: 8_000 });
    await sleep(700); // past discord.js's 500 ms before reconnecting: its socket is waiting in the handshake
    expect(h.fake.connectedSessions).toBe(0);
    expect(callbacks(payload)).toEqual([]);
    release();
    const [, replayed] = await back;
    expectQuote(await reply);
    expect(h.fake.resumes.at(-1)?.replayed).toBe(1); // the interaction, kept while the bot was away
    expect(replayed).toBe(2); // discord.js counts RESUMED among the replayed events
    expect(h.fake.identifies).toHaveLength(identifies); // resumed, not identified again
    await answeredOnce(payload);
  });

  it("resumes after an abrupt TCP drop (1006, no close frame) and answers what arrived meanwhile once", async () => {
    const resumes = h.fake.resumes.length;
    const back = resumed();
    h.fake.dropGateway();
    const payload = quote();
    const reply = h.fake.interact(payload, { timeoutMs: 8_000 });
    await back;
    expectQuote(await reply);
    expect(h.fake.resumes).toHaveLength(resumes + 1);
    expect(h.fake.resumes.at(-1)?.replayed).toBe(1);
    await answeredOnce(payload);
  });

  it("reconnects and resumes on opcode 7, answering an interaction sent right behind it once", async () => {
    const identifies = h.fake.identifies.length;
    const back = resumed();
    h.fake.requestReconnect();
    // Sent on the old socket just after op 7: discord.js may still take it there or drop it as it
    // closes; either way the session's replay from the bot's own sequence number answers it once.
    const payload = quote();
    const reply = h.fake.interact(payload, { timeoutMs: 8_000 });
    await back;
    expectQuote(await reply);
    expect(h.fake.identifies).toHaveLength(identifies);
    await answeredOnce(payload);
  });

  it("resumes on the same socket after opcode 9 with d=true and gets the interaction it missed", async () => {
    const identifies = h.fake.identifies.length;
    const resumes = h.fake.resumes.length;
    const back = resumed();
    h.fake.invalidateSession(true);
    const payload = quote();
    const reply = h.fake.interact(payload, { timeoutMs: 8_000 });
    await back;
    expectQuote(await reply);
    expect(h.fake.resumes).toHaveLength(resumes + 1);
    expect(h.fake.resumes.at(-1)?.replayed).toBe(1); // the interaction came by the replay, not live
    expect(h.fake.identifies).toHaveLength(identifies);
    await answeredOnce(payload);
  });

  it("identifies again after opcode 9 with d=false; what waited for the old session is lost, as on Discord", async () => {
    const identifies = h.fake.identifies.length;
    const resumes = h.fake.resumes.length;
    const resumeFrames = () => h.fake.gatewayFrames.filter((f) => f.op === 6).length;
    const resumeTries = resumeFrames();
    const release = h.fake.holdGateway();
    const away = reconnecting();
    h.fake.disconnectGateway(4000);
    await away;
    const payload = quote();
    const lostReply = h.fake.interact(payload, { timeoutMs: 1_500 }).catch((error: unknown) => error);
    // Discord forgets the session while the bot is away: its RESUME then gets op 9 d=false.
    h.fake.invalidateSession(false);
    expect(h.fake.lostDispatches.map((d) => (d.t === "INTERACTION_CREATE" ? (d.d as APIInteraction).id : d.t))).toContain(payload.id);
    release();
    await identifiedAgain(identifies + 1); // after its RESUME got op 9 d=false
    expect(resumeFrames()).toBe(resumeTries + 1); // it tried to resume…
    expect(h.fake.resumes).toHaveLength(resumes); // …and was refused
    expect(await lostReply).toBeInstanceOf(Error);
    expect(callbacks(payload)).toEqual([]);
    await stillAnswers();
    // Connected, op 9 d=false: no session takes an interaction until the new READY.
    h.fake.invalidateSession(false);
    await expect(h.fake.interact(quote())).rejects.toThrow(/no bot session/);
    await identifiedAgain(identifies + 2); // discord.js waits out its identify throttle (5 s between identifies)
    await stillAnswers();
  }, 30_000);

  it("never treats these closes as the end: no gateway-lost log, the client still ready", () => {
    expect(gaveUp()).toEqual([]);
    expect(h.bot.client.isReady()).toBe(true);
    expect(h.logs.filter((l) => l.msg === "interaction failed")).toEqual([]);
  });
});

describe("REST 5xx bursts", () => {
  it("a 503 burst of 3 on the interaction callback is retried by discord.js: one answer on the 4th try", async () => {
    h.fake.failRequests({ status: 503, times: 3, path: CALLBACK });
    const payload = quote();
    expectQuote(await h.fake.interact(payload));
    expect(callbacks(payload)).toEqual([503, 503, 503, 204]);
    await expect.poll(() => handled(payload).map((l) => l.msg)).toEqual(["interaction handled"]);
  });

  it("a 502 burst on every route is retried the same way", async () => {
    h.fake.failRequests({ status: 502, times: 2 });
    const payload = quote();
    expectQuote(await h.fake.interact(payload));
    expect(callbacks(payload)).toEqual([502, 502, 204]);
  });

  it("past discord.js's 3 retries the reply fails; the error boundary's private apology (a 5th try) gets through", async () => {
    h.fake.failRequests({ status: 500, times: 4, path: CALLBACK });
    const payload = quote();
    const reply = await h.fake.interact(payload);
    expect(callbacks(payload)).toEqual([500, 500, 500, 500, 204]);
    const body = bodyOf(reply.callback.data);
    expect(body.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(body.content).toMatch(/^Sorry, something went wrong on my side\. \(error id `[0-9a-f]{8}`\)$/);
    expect(h.logs.find((l) => l.interactionId === payload.id && l.msg === "interaction failed")?.err).toMatchObject({ status: 500 });
    await stillAnswers();
  });

  it("when every try fails the user gets nothing, the bot logs it and answers the next one", async () => {
    h.fake.failRequests({ status: 503, times: 8, path: CALLBACK });
    const payload = quote();
    const outcome = h.fake.interact(payload).then(
      () => "answered",
      () => "unanswered",
    );
    // Four tries of the reply, four of the boundary's apology, then it gives up on this one.
    await expect.poll(() => h.logs.some((l) => l.interactionId === payload.id && l.msg === "could not tell the user about the error"), { timeout: 5_000 }).toBe(true);
    expect(callbacks(payload)).toEqual(Array<number>(8).fill(503));
    await stillAnswers();
    expect(await outcome).toBe("unanswered");
    expect(callbacks(payload)).toHaveLength(8);
  });

  it("a 5xx burst on the deferred answer's edit is retried; past the retries the private note goes by a follow-up, itself retried", async () => {
    const article = h.engine.articles()[0];
    const edit = "/webhooks/:app/:token/messages/:message";
    h.fake.failRequests({ status: 503, times: 2, method: "PATCH", path: edit });
    const first = await h.fake.interact(h.fake.payloads.chatInput({ name: "article", options: { article: article?.id ?? "" } }));
    expect(first.callback.type).toBe(5);
    expect(bodyOf(await first.waitForEdit(5_000)).embeds[0]?.title).toBeDefined();
    const edits = (token: string) => h.fake.requests.filter((r) => r.path.startsWith(`/webhooks/${h.fake.applicationId}/${token}`)).map((r) => `${r.method} ${r.status}`);
    expect(edits(first.token)).toEqual(["PATCH 503", "PATCH 503", "PATCH 200"]);

    h.fake.failRequests({ status: 500, times: 4, method: "PATCH", path: edit });
    h.fake.failRequests({ status: 502, times: 2, method: "POST", path: "/webhooks/:app/:token" });
    const second = await h.fake.interact(h.fake.payloads.chatInput({ name: "article", options: { article: article?.id ?? "" } }));
    const note = await second.waitForFollowUp(5_000);
    expect(note.content).toMatch(/^Sorry, something went wrong on my side/);
    expect((note.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    // The public "thinking…" is deleted, and the note follows privately.
    expect(edits(second.token)).toEqual(["PATCH 500", "PATCH 500", "PATCH 500", "PATCH 500", "DELETE 204", "POST 502", "POST 502", "POST 200"]);
    await stillAnswers();
  });

  it("a lost answer (Discord acted, then 500) is retried into 40060: the user saw the answer once, and it is no fault", async () => {
    h.fake.failRequests({ status: 500, times: 1, path: CALLBACK, afterHandling: true });
    const payload = quote();
    const reply = await h.fake.interact(payload);
    expectQuote(reply);
    await expect.poll(() => h.logs.some((l) => l.interactionId === payload.id && l.msg === "Discord had already taken this interaction's answer (its confirmation was lost)"), { timeout: 5_000 }).toBe(true);
    expect(h.logs.some((l) => l.interactionId === payload.id && l.level === 50)).toBe(false);
    // The first try acted; the retry was refused as already acknowledged, and no apology follows an answer.
    expect(callbacks(payload)).toEqual([500, 400]);
    expect(h.fake.channelMessages(h.fake.guilds[0]?.channels[0]?.id ?? "").filter((m) => m.interaction_metadata?.id === payload.id)).toHaveLength(1);
    await stillAnswers();
  });
});
