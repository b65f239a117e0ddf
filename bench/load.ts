/**
 * Sustained load on the real, sharded bot: `npm start`'s entry (src/start.ts through tsx: the shard
 * manager and its shard processes, as in production) against the fake Discord advertising 4 shards,
 * driven open-loop — each interaction is sent at its scheduled time whatever the bot has answered,
 * so the latency includes any queueing — at `--rate` interactions a second for `--seconds`, a mix of
 * /quote, /search, autocomplete, the quote buttons (▶ and Context) and /contrast, spread over
 * servers of every shard and thousands of members (so the bot's per-member rate limits stay out of it).
 *
 *   node --import tsx bench/load.ts [--rate 200] [--seconds 60] [--shards 4] [--per-process 2] [--corpus DIR] [--seed N]
 *
 * Prints one line, `BENCH_RESULT <json>` (a LoadResult), on stdout.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { APIInteraction, APIMessage } from "discord.js";
import { commandPayloads } from "../commands/index.js";
import { registerCommands } from "../src/discord/register.js";
import { DEFAULT_IDS, shardedGuilds, shardOf, startFakeDiscord, type FakeReply, type FakeUser, type MessageBody } from "../src/fake-discord/index.js";
import { percentile, round, stats, type LatencyStats } from "./measure.js";
import { Rng } from "./random.js";
import { RESULT_PREFIX } from "./report.js";

export type LoadStats = LatencyStats & { p99: number };

export interface LoadResult {
  name: string;
  /** What ran the bot: the entry, shards and processes. */
  entry: string;
  shards: number;
  processes: number;
  servers: number;
  members: number;
  ratePerSecond: number;
  seconds: number;
  /** Interactions sent in the measured window (the warm-up before it is not counted). */
  sent: number;
  /** Callback within Discord's 3 s. */
  answered: number;
  /** Callback, but after 3 s: Discord would have shown the member "The application did not respond". */
  late: number;
  /** No callback at all by the end (15 s after the last was sent). */
  lost: number;
  /** Interaction sent → callback received by the fake Discord, every answered interaction. */
  callback: LoadStats;
  byKind: Record<string, LoadStats & { sent: number; late: number; lost: number }>;
  /** From the scheduled send time → callback: adds the load generator's own lag (it shares the 2 cores). */
  fromSchedule: LoadStats;
  /** How late the generator sent interactions against their schedule. */
  sendLagMs: { p99: number; max: number };
  /** Seconds of the run in which at least one callback took over 100 ms: few means the tail is a few stalls. */
  slowSeconds: number;
  /** /contrast: sent → the deferred answer edited in (the analysis thread's queue included). */
  deferredAnswer: LoadStats;
  /** How the answers ended, read from their text: `fault` is "something went wrong", `busy` the analysis queue full. */
  outcomes: { ok: number; busy: number; rateLimited: number; fault: number };
  /** The generator's (and fake Discord's) event loop: its own stalls show up in fromSchedule. */
  harnessEventLoopMs: { p99: number; max: number };
  loadAverage: { before: number[]; after: number[] };
  /** Log lines the bot wrote at error level or above during the run. */
  botErrors: number;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const QUERIES = ["ceasefire", "give up land for peace", "security guarantees", "sanctions on banks", "NATO membership", "referendum", "peacekeepers", "Putin playing Trump", "Russia's demands", "Zelensky"];
const TOPICS = ["security guarantees", "ceasefire", "sanctions", "NATO membership", "peacekeepers", "territory"];
const AUTHOR_PREFIXES = ["", "v", "ver", "bin", "get", "a", "mi"];
/** The mix, by weight: what members do most (quote, autocomplete keystrokes) most. */
const MIX: [Kind, number][] = [
  ["quote", 30],
  ["search", 15],
  ["autocomplete author", 15],
  ["autocomplete topic", 10],
  ["button ▶", 15],
  ["button context", 10],
  ["contrast", 5],
];
type Kind = "quote" | "search" | "autocomplete author" | "autocomplete topic" | "button ▶" | "button context" | "contrast";
const DISCORD_WINDOW_MS = 3000;

/** A quote answer whose buttons a member can click: who asked, where, and the message. */
interface Clickable {
  user: FakeUser;
  guildId: string;
  channelId: string;
  message: APIMessage;
  next: string | undefined;
  context: string | undefined;
}

function withP99(samples: readonly number[]): LoadStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { ...stats(sorted), p99: round(percentile(sorted, 99)) };
}

function outcomeOf(body: MessageBody | undefined): keyof LoadResult["outcomes"] {
  const content = body?.content ?? "";
  if (content.includes("something went wrong")) return "fault";
  if (content.includes("queue of long requests")) return "busy";
  if (content.includes("going a little fast")) return "rateLimited";
  return "ok";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: "200" },
      seconds: { type: "string", default: "60" },
      /** Seconds at a quarter of the rate (at most 50/s) before the measured run: connections, JIT, the analysis thread's start-up work. */
      warmup: { type: "string", default: "10" },
      shards: { type: "string", default: "4" },
      "per-process": { type: "string", default: "2" },
      corpus: { type: "string", default: "corpus" },
      seed: { type: "string", default: "20250601" },
      /** Also write every measured interaction (ms from the start, kind, ms to the callback, generator lag) to this file, one JSON line each. */
      samples: { type: "string" },
    },
    strict: true,
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const warmupSeconds = Number(values.warmup);
  const shardCount = Number(values.shards);
  const perProcess = Number(values["per-process"]);
  const rng = new Rng(Number(values.seed));

  const botUser: FakeUser = { id: DEFAULT_IDS.bot, username: "Agora", bot: true };
  const guilds = shardedGuilds(botUser, { shards: shardCount, perShard: 4 });
  const shardsCovered = new Set(guilds.map((g) => shardOf(g.id, shardCount))).size;
  if (shardsCovered !== shardCount) throw new Error(`the servers cover ${shardsCovered} of ${shardCount} shards`);
  // One interaction a member every 20 s at 200/s: far under the bot's 5 commands per 10 s.
  const members: FakeUser[] = Array.from({ length: Math.max(100, rate * 20) }, (_, i) => ({ id: (900_000_000_000_000_000n + BigInt(i)).toString(), username: `member${i}`, globalName: `Member ${i}` }));
  const fake = await startFakeDiscord({ shards: shardCount, maxConcurrency: shardCount, guilds, callbackTimeoutMs: 15_000 });
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, apiUrl: fake.apiUrl });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "agora-bench-load-"));

  // The bot as `npm run dev` runs it: the shard manager, which spawns the shard processes.
  const bot = spawn(process.execPath, ["--import", "tsx", "src/start.ts"], {
    cwd: ROOT,
    env: {
      // eslint-disable-next-line no-restricted-properties
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      DISCORD_TOKEN: fake.botToken,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      CORPUS_DIR: path.resolve(values.corpus),
      DATABASE_PATH: path.join(dataDir, "agora.sqlite"),
      INDEX_SNAPSHOT_DIR: path.join(dataDir, "index-snapshots"),
      SHARDS_PER_PROCESS: String(perProcess),
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let ready: () => void = () => undefined;
  const allReady = new Promise<void>((resolve, reject) => {
    ready = resolve;
    bot.once("exit", (code) => reject(new Error(`the bot exited (${code}) before its shards were ready`)));
  });
  let processes = 0;
  let botErrors = 0;
  let pending = "";
  bot.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { level?: number; msg?: string; processes?: number };
      if ((entry.level ?? 0) >= 50) botErrors += 1;
      if (entry.msg === "all shards ready") {
        processes = entry.processes ?? 0;
        ready();
      }
    }
  });
  await allReady;

  const weights = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const pickKind = (): Kind => {
    let roll = rng.next() * weights;
    for (const [kind, weight] of MIX) if ((roll -= weight) < 0) return kind;
    return "quote";
  };
  const clickable: Clickable[] = [];
  let memberTurn = 0;
  const p = fake.payloads;

  interface Sample {
    kind: Kind;
    measured: boolean;
    scheduled: number;
    dispatched: number;
    reply?: FakeReply;
    failed?: boolean;
    answeredAt?: number;
    outcome?: keyof LoadResult["outcomes"];
  }
  const samples: Sample[] = [];
  const inFlight: Promise<void>[] = [];
  const deferred: number[] = [];

  const build = (kind: Kind): { payload: APIInteraction; kind: Kind; owner?: Clickable } => {
    const guild = guilds[memberTurn % guilds.length] ?? guilds[0];
    const user = members[memberTurn % members.length] ?? members[0];
    memberTurn += 1;
    if (!guild || !user) throw new Error("no server or member");
    const where = { guildId: guild.id, user };
    const query = rng.pick(QUERIES);
    if (kind === "button ▶" || kind === "button context") {
      // A member clicks on an answer they got: the oldest unclicked one (each is clicked once).
      const target = clickable.shift();
      const customId = target && (kind === "button ▶" ? target.next : target.context);
      if (target && customId) return { kind, payload: p.button({ customId, message: target.message, guildId: target.guildId, channelId: target.channelId, user: target.user }) };
      kind = "quote"; // nothing to click yet
    }
    switch (kind) {
      case "search":
        return { kind, payload: p.chatInput({ name: "search", options: { query }, ...where }) };
      case "autocomplete author":
        return { kind, payload: p.autocomplete({ name: "quote", options: { query, author: rng.pick(AUTHOR_PREFIXES) }, focused: "author", ...where }) };
      case "autocomplete topic":
        return { kind, payload: p.autocomplete({ name: "contrast", options: { topic: rng.pick(TOPICS).slice(0, rng.int(1, 5)) }, focused: "topic", ...where }) };
      case "contrast":
        return { kind, payload: p.chatInput({ name: "contrast", options: { topic: rng.pick(TOPICS) }, ...where }) };
      default:
        return { kind: "quote", payload: p.chatInput({ name: "quote", options: { query }, ...where }) };
    }
  };

  const fire = (scheduled: number, measured: boolean): void => {
    const { kind, payload } = build(pickKind());
    const sample: Sample = { kind, measured, scheduled, dispatched: performance.now() };
    samples.push(sample);
    const work = fake.interact(payload, { timeoutMs: 15_000 }).then(
      async (reply) => {
        sample.reply = reply;
        sample.answeredAt = sample.dispatched + reply.latencyMs;
        sample.outcome = outcomeOf(reply.callback.data);
        if (kind === "quote" && reply.callback.type === 4 && payload.guild_id && payload.channel_id) {
          const ids = (reply.callback.data?.components ?? []).flatMap((row) => ((row as { components?: { custom_id?: string; disabled?: boolean }[] }).components ?? []));
          const message = reply.original();
          const user = payload.member?.user ?? payload.user;
          if (message && user) {
            clickable.push({
              user: { id: user.id, username: user.username },
              guildId: payload.guild_id,
              channelId: payload.channel_id,
              message,
              next: ids.find((c) => c.custom_id?.startsWith("quote:page:") && !c.disabled && c.custom_id.endsWith(":1"))?.custom_id,
              context: ids.find((c) => c.custom_id?.startsWith("quote:context:"))?.custom_id,
            });
            if (clickable.length > 2000) clickable.splice(0, clickable.length - 2000);
          }
        }
        if (reply.callback.type === 5) {
          const edit = await reply.waitForEdit(60_000).catch(() => undefined);
          if (edit) {
            if (measured) deferred.push(performance.now() - sample.dispatched);
            sample.outcome = outcomeOf(edit);
          }
        }
      },
      () => {
        sample.failed = true;
      },
    );
    inFlight.push(work);
  };

  /** Open loop: every `1000 / rate` ms an interaction is due; a late timer sends every one it owes at once. */
  const run = (perSecond: number, durationS: number, measured: boolean): Promise<void> =>
    new Promise((resolve) => {
      const start = performance.now();
      const total = Math.round(perSecond * durationS);
      let sent = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        while (sent < total && start + (sent * 1000) / perSecond <= now) {
          fire(start + (sent * 1000) / perSecond, measured);
          sent += 1;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });

  const loadBefore = os.loadavg().map((x) => round(x, 2));
  await run(Math.min(rate / 4, 50), warmupSeconds, false);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  await run(rate, seconds, true);
  loop.disable();
  await Promise.allSettled(inFlight);
  const loadAfter = os.loadavg().map((x) => round(x, 2));

  const stopped = new Promise<number | null>((resolve) => bot.once("exit", (code) => resolve(code)));
  bot.kill("SIGTERM");
  const exitCode = await stopped;
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
  if (exitCode !== 0) throw new Error(`the bot exited with ${exitCode} after SIGTERM`);

  const measured = samples.filter((s) => s.measured);
  const answeredIn = (s: Sample): number | undefined => (s.reply ? s.reply.latencyMs : undefined);
  const latencies = (list: Sample[]) => list.flatMap((s) => (answeredIn(s) === undefined ? [] : [answeredIn(s) ?? 0]));
  const isLate = (s: Sample) => (answeredIn(s) ?? 0) > DISCORD_WINDOW_MS;
  const kinds = [...new Set(measured.map((s) => s.kind))];
  const outcomes = { ok: 0, busy: 0, rateLimited: 0, fault: 0 };
  for (const s of measured) if (s.outcome) outcomes[s.outcome] += 1;
  const sendLags = measured.map((s) => s.dispatched - s.scheduled).sort((a, b) => a - b);
  const firstScheduled = measured[0]?.scheduled ?? 0;
  // The tail spread over the run, or a few stalls: seconds in which some interaction waited over 100 ms.
  const slowSeconds = new Set(measured.filter((s) => (answeredIn(s) ?? Infinity) > 100).map((s) => Math.floor((s.scheduled - firstScheduled) / 1000))).size;
  if (values.samples) {
    const lines = measured.map((s) => JSON.stringify({ at: round(s.scheduled - firstScheduled, 1), kind: s.kind, callbackMs: answeredIn(s) === undefined ? null : round(answeredIn(s) ?? 0, 2), lagMs: round(s.dispatched - s.scheduled, 2) }));
    await writeFile(values.samples, `${lines.join("\n")}\n`);
  }
  const result: LoadResult = {
    name: `load-${shardCount}-shards`,
    entry: "src/start.ts (tsx): shard manager + shard processes",
    shards: shardCount,
    processes,
    servers: guilds.length,
    members: members.length,
    ratePerSecond: rate,
    seconds,
    sent: measured.length,
    answered: measured.filter((s) => s.reply && !isLate(s)).length,
    late: measured.filter((s) => s.reply && isLate(s)).length,
    lost: measured.filter((s) => s.failed).length,
    callback: withP99(latencies(measured)),
    byKind: Object.fromEntries(
      kinds.map((kind) => {
        const list = measured.filter((s) => s.kind === kind);
        return [kind, { ...withP99(latencies(list)), sent: list.length, late: list.filter((s) => s.reply && isLate(s)).length, lost: list.filter((s) => s.failed).length }];
      }),
    ),
    fromSchedule: withP99(measured.flatMap((s) => (s.answeredAt === undefined ? [] : [s.answeredAt - s.scheduled]))),
    sendLagMs: { p99: round(percentile(sendLags, 99)), max: round(sendLags.at(-1) ?? 0) },
    slowSeconds,
    deferredAnswer: withP99(deferred),
    outcomes,
    harnessEventLoopMs: { p99: round(loop.percentile(99) / 1e6, 1), max: round(loop.max / 1e6, 1) },
    loadAverage: { before: loadBefore, after: loadAfter },
    botErrors,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

await main();
