/**
 * Interaction → callback latency through the fake Discord: the real bot (client, router,
 * commands, engine on the shipped corpus) answering INTERACTION_CREATE over a loopback
 * gateway, timed from dispatch until the callback request arrives.
 */
import { Writable } from "node:stream";
import { DEFAULT_IDS, startFakeDiscord } from "../src/fake-discord/index.js";
import { createBot } from "../src/discord/client.js";
import { registerCommands } from "../src/discord/register.js";
import { loadEngine } from "../src/engine.js";
import { createLogger } from "../src/logging.js";
import { stats, type LatencyStats } from "./measure.js";
import { botCommands, commandPayloads } from "../commands/index.js";

export interface DiscordLatency {
  interactions: number;
  byCommand: Record<string, LatencyStats>;
  all: LatencyStats;
  goal: { metric: "p95"; limitMs: number; pass: boolean };
}

const QUERIES = ["ceasefire", "give up land for peace", "security guarantees", "sanctions on banks", "NATO membership", "referendum", "peacekeepers", "Putin playing Trump"];

export async function measureDiscordLatency(options: { corpusDir: string; rounds?: number }): Promise<DiscordLatency> {
  const fake = await startFakeDiscord();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: "warn", destination: sink });
  const engine = await loadEngine({ corpusDir: options.corpusDir });
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
  const bot = createBot({
    commands: botCommands, token: fake.botToken, engine, logger, apiUrl: fake.apiUrl, rateLimit: { limit: Number.MAX_SAFE_INTEGER, windowMs: 1 } });
  await bot.start();
  const samples: Record<string, number[]> = { quote: [], search: [], autocomplete: [] };
  try {
    const rounds = options.rounds ?? 25;
    for (let round = -2; round < rounds; round++) {
      for (const query of QUERIES) {
        const quote = await fake.interact(fake.payloads.chatInput({ name: "quote", options: { query } }));
        const search = await fake.interact(fake.payloads.chatInput({ name: "search", options: { query } }));
        const complete = await fake.interact(fake.payloads.autocomplete({ name: "quote", options: { query, author: query.slice(0, 3) }, focused: "author" }));
        if (round < 0) continue; // warm-up
        samples.quote?.push(quote.latencyMs);
        samples.search?.push(search.latencyMs);
        samples.autocomplete?.push(complete.latencyMs);
      }
    }
  } finally {
    await bot.stop();
    await fake.close();
  }
  const all = stats(Object.values(samples).flat());
  return {
    interactions: Object.values(samples).flat().length,
    byCommand: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, stats(values)])),
    all,
    goal: { metric: "p95", limitMs: 25, pass: all.p95 <= 25 },
  };
}
