/**
 * Responsiveness of the real bot on a large library, from the first interaction after a restart:
 * the real client, router, commands and analysis thread against the fake Discord, on a
 * synthetic multi-topic library of `--size` articles. Measures the longest event-loop block
 * (perf_hooks.monitorEventLoopDelay) and each interaction's time to Discord's callback, and for
 * deferred commands the time until the answer is edited in.
 *
 *   node --expose-gc --import tsx bench/responsiveness.ts --size 1000 [--corpus DIR] [--seed N]
 *
 * Prints one line, `BENCH_RESULT <json>` (a ResponsivenessResult), on stdout.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Events } from "discord.js";
import { DEFAULT_IDS, DEFAULT_USERS, startFakeDiscord, type FakeDiscord, type FakeReply } from "../src/fake-discord/index.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createBot } from "../src/discord/client.js";
import { registerCommands } from "../src/discord/register.js";
import { createEngine } from "../src/engine.js";
import { createLogger } from "../src/logging.js";
import { Thesaurus } from "../src/search/thesaurus.js";
import { loadCuratedTopics } from "../src/analysis/topics.js";
import { openDatabase } from "../src/storage/db.js";
import { sqliteStorage } from "../src/storage/storage.js";
import { round, stats, type LatencyStats } from "./measure.js";
import { RESULT_PREFIX } from "./report.js";
import { generateTopicalCorpus } from "./topical.js";
import { botCommands, commandPayloads } from "../commands/index.js";

export interface ResponsivenessResult {
  name: string;
  articles: number;
  /**
   * Longest synchronous run of one interaction handler (from discord.js emitting the interaction
   * to the handler's first await, where its work is done) — the goal: ≤ 100 ms.
   */
  handlerBlock: LatencyStats;
  /**
   * Longest event-loop block from ready to the end, in ms: several interactions arriving in one
   * tick add up here, and garbage collection shows too.
   */
  maxEventLoopBlockMs: number;
  /** The 99th percentile of event-loop delay, in ms. */
  p99EventLoopDelayMs: number;
  /** Dispatch → callback, for the burst sent the moment the bot was ready (restart case). */
  firstBurst: Record<string, number>;
  /** Dispatch → callback, by kind, over the rounds after the burst. */
  callbacks: Record<string, LatencyStats>;
  /** Every autocomplete, burst included: dispatch → choices. */
  autocomplete: LatencyStats;
  /** Deferred commands: dispatch → the answer edited in (analysis thread included). */
  answers: Record<string, LatencyStats>;
  /** Until the analysis thread had the topics, from ready. */
  topicsReadyMs: number;
}

const TOPICS = ["security guarantees", "ceasefire", "sanctions", "NATO membership", "peacekeepers", "territory"];
const QUERIES = ["ceasefire", "give up land for peace", "security guarantees", "sanctions on banks", "referendum", "peacekeepers"];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: "string", default: "1000" }, corpus: { type: "string", default: "corpus" }, seed: { type: "string", default: "20250601" }, rounds: { type: "string", default: "6" } },
    strict: true,
  });
  const size = Number(values.size);
  const rounds = Number(values.rounds);
  const real = await loadCorpus(values.corpus);
  const articles = generateTopicalCorpus(
    real.articles.map((a) => a.body),
    { seed: Number(values.seed), count: size },
  ).articles;
  const engine = createEngine(`multi-topic-${size}`, articles, [], await Thesaurus.load(`${values.corpus}/thesaurus.yml`), await loadCuratedTopics(`${values.corpus}/topics.yml`));
  const database = openDatabase(path.join(await mkdtemp(path.join(os.tmpdir(), "agora-bench-")), "agora.sqlite"));

  const fake = await startFakeDiscord({ callbackTimeoutMs: 120_000 });
  const logger = createLogger({ level: "warn", destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
  const bot = createBot({
    commands: botCommands, token: fake.botToken, engine, logger, apiUrl: fake.apiUrl, storage: sqliteStorage(database), digest: { autoTick: false }, rateLimit: { limit: 1e9, windowMs: 1 }, autocompleteRateLimit: { limit: 1e9, windowMs: 1 } });
  // Timed around the bot's own listener: discord.js calls listeners in order, synchronously.
  let handlerStart = 0;
  const handlerBlock: number[] = [];
  bot.client.prependListener(Events.InteractionCreate, () => (handlerStart = performance.now()));
  bot.client.on(Events.InteractionCreate, () => handlerBlock.push(performance.now() - handlerStart));
  await bot.start();

  // From the moment the bot is ready, as after a restart.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const readyAt = performance.now();
  let topicsReadyMs = Number.NaN;
  void bot.analysis.topics().then(() => (topicsReadyMs = performance.now() - readyAt));

  const callbacks: Record<string, number[]> = {};
  const answers: Record<string, number[]> = {};
  const autocomplete: number[] = [];
  const record = (kind: string, reply: FakeReply): FakeReply => {
    (callbacks[kind] ??= []).push(reply.latencyMs);
    if (kind.startsWith("autocomplete")) autocomplete.push(reply.latencyMs);
    return reply;
  };
  const answered = async (kind: string, reply: FakeReply, sentAt: number): Promise<void> => {
    if (reply.callback.type !== 5) return;
    await reply.waitForEdit(120_000);
    (answers[kind] ??= []).push(performance.now() - sentAt);
  };
  const send = async (kind: string, payload: Parameters<FakeDiscord["interact"]>[0]): Promise<void> => {
    const sentAt = performance.now();
    const reply = record(kind, await fake.interact(payload, { timeoutMs: 120_000 }));
    await answered(kind, reply, sentAt);
  };
  const p = fake.payloads;
  const burstKinds = {
    "autocomplete topic": p.autocomplete({ name: "contrast", options: { topic: "sec" }, focused: "topic" }),
    "autocomplete author": p.autocomplete({ name: "quote", options: { query: "peace", author: "ver" }, focused: "author" }),
    "autocomplete article": p.autocomplete({ name: "quote", options: { query: "peace", article: "putin" }, focused: "article" }),
    quote: p.chatInput({ name: "quote", options: { query: "security guarantees" } }),
    contrast: p.chatInput({ name: "contrast", options: { topic: "security guarantees" } }),
  };
  const firstBurst: Record<string, number> = {};
  await Promise.all(
    Object.entries(burstKinds).map(async ([kind, payload]) => {
      const sentAt = performance.now();
      const reply = record(kind, await fake.interact(payload, { timeoutMs: 120_000 }));
      firstBurst[kind] = round(reply.latencyMs);
      await answered(kind, reply, sentAt);
    }),
  );

  for (let round = 0; round < rounds; round++) {
    const topic = TOPICS[round % TOPICS.length] ?? "ceasefire";
    const query = QUERIES[round % QUERIES.length] ?? "ceasefire";
    await Promise.all([
      send("autocomplete topic", p.autocomplete({ name: "timeline", options: { topic: topic.slice(0, 2 + (round % 4)) }, focused: "topic" })),
      send("autocomplete author", p.autocomplete({ name: "search", options: { query, author: "ab".slice(0, 1 + (round % 2)) }, focused: "author" })),
      send("autocomplete article", p.autocomplete({ name: "search", options: { query, article: query.slice(0, 3) }, focused: "article" })),
      send("quote", p.chatInput({ name: "quote", options: { query } })),
      send("search", p.chatInput({ name: "search", options: { query } })),
    ]);
    await Promise.all([
      send("contrast", p.chatInput({ name: "contrast", options: { topic } })),
      send("timeline", p.chatInput({ name: "timeline", options: { topic } })),
      send("summarize", p.chatInput({ name: "summarize", options: { topic } })),
      send("quote", p.chatInput({ name: "quote", options: { query: `${query} ${topic}` } })),
    ]);
  }
  // A digest preview: the day's digest built in the analysis thread.
  await send("digest setup", p.chatInput({ name: "digest", subcommand: "setup", options: { channel: DEFAULT_IDS.channel, time: "09:00", timezone: "Europe/Kyiv" }, user: DEFAULT_USERS.bob }));
  await send("digest preview", p.chatInput({ name: "digest", subcommand: "preview", user: DEFAULT_USERS.bob }));
  loop.disable();

  await bot.stop();
  await fake.close();
  database.close();

  const result: ResponsivenessResult = {
    name: `multi-topic-${size}`,
    articles: engine.articles().length,
    handlerBlock: stats(handlerBlock),
    maxEventLoopBlockMs: round(loop.max / 1e6, 1),
    p99EventLoopDelayMs: round(loop.percentile(99) / 1e6, 1),
    firstBurst,
    callbacks: Object.fromEntries(Object.entries(callbacks).map(([kind, samples]) => [kind, stats(samples)])),
    autocomplete: stats(autocomplete),
    answers: Object.fromEntries(Object.entries(answers).map(([kind, samples]) => [kind, stats(samples)])),
    topicsReadyMs: round(topicsReadyMs, 0),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

await main();
