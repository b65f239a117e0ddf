import { Writable } from "node:stream";
import { createBot, type Bot, type BotOptions } from "../../src/discord/client.js";
import { registerCommands } from "../../src/discord/register.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { createLogger } from "../../src/logging.js";
import type { Database } from "../../src/storage/db.js";
import { sqliteStorage } from "../../src/storage/storage.js";
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "../../src/fake-discord/index.js";
import { botCommands, commandPayloads } from "../../commands/index.js";

export interface Harness {
  fake: FakeDiscord;
  bot: Bot;
  engine: Engine;
  /** Parsed JSON log lines the bot wrote. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real bot (client, router, commands, engine on a real corpus folder) against the fake
 * Discord, with its commands registered the way `npm run register` does it.
 */
export async function startBot(
  options: {
    corpusDir?: string;
    engine?: Engine;
    rateLimit?: { limit: number; windowMs: number };
    autocompleteRateLimit?: { limit: number; windowMs: number };
    /** A SQLite database (enables the daily digest) and digest knobs (clock, no timer…). */
    database?: Database;
    digest?: BotOptions["digest"];
    fake?: FakeDiscordOptions;
    /** Hybrid search (src/embeddings/); the bot starts its background embedding once ready. */
    hybrid?: BotOptions["hybrid"];
    /** Prometheus metrics (src/observability/metrics.ts). */
    metrics?: BotOptions["metrics"];
    /** Server libraries' limits and fetch bounds (a test lets a loopback port through). */
    library?: BotOptions["library"];
  } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination, secrets: [fake.botToken] });
  const engine = options.engine ?? (await loadEngine({ corpusDir: options.corpusDir ?? "corpus" }));
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
  const bot = createBot({
    commands: botCommands,
    token: fake.botToken,
    engine,
    logger,
    apiUrl: fake.apiUrl,
    rateLimit: options.rateLimit ?? { limit: 1000, windowMs: 10_000 },
    autocompleteRateLimit: options.autocompleteRateLimit ?? { limit: 1000, windowMs: 10_000 },
    ...(options.database ? { storage: sqliteStorage(options.database), digest: options.digest } : {}),
    ...(options.hybrid ? { hybrid: options.hybrid } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    // Attachments come from the fake's own port: the bot may fetch from it when a test lets loopback through.
    ...(options.library ? { library: { ...options.library, ...(options.library.fetch ? { fetch: { ...options.library.fetch, allowLoopbackPorts: [...(options.library.fetch.allowLoopbackPorts ?? []), Number(new URL(fake.apiUrl).port)] } } : {}) } } : {}),
  });
  await bot.start();
  // The analysis thread starts with the bot; tests wait for its first answer rather than race it.
  await bot.analysis.topics();
  return {
    fake,
    bot,
    engine,
    logs,
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}

/** The embeds and content of a callback or edit body, with defaults, for assertions. */
export function bodyOf(body: { content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number; allowed_mentions?: unknown } | undefined) {
  return {
    content: body?.content ?? "",
    embeds: (body?.embeds ?? []) as { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string }; author?: { name: string } }[],
    components: (body?.components ?? []) as { components: { custom_id?: string; label?: string; disabled?: boolean }[] }[],
    flags: body?.flags ?? 0,
    allowedMentions: body?.allowed_mentions,
  };
}

/** Undoes the renderer's Markdown escaping, to compare shown text with the corpus. */
export function unescape(text: string): string {
  return text.replace(/\\([\\*_~`|>#\-[\]().])/g, "$1");
}
