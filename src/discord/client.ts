import { Client, Events, GatewayCloseCodes, GatewayIntentBits, type Interaction } from "discord.js";
import { createDigestLoop, type DigestWiring } from "./digest-loop.js";
import type { DigestScheduler } from "../digest/scheduler.js";
import type { HybridSearch } from "../embeddings/hybrid.js";
import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import type { BotMetrics } from "../observability/metrics.js";
import type { FetchLimits } from "../corpus/fetch-page.js";
import { ServerLibraries, type LibraryLimits } from "../library/server-libraries.js";
import type { Storage } from "../storage/storage.js";
import { startAnalysisPool, type Analysis } from "../workers/analysis-pool.js";
import { systemClock } from "../digest/sender.js";
import { LibraryScopes } from "./library-scope.js";
import type { BotCommands, BotContext } from "./command.js";
import { quoteButtons } from "./components/quote-buttons.js";
import { warmUp } from "./warm-up.js";
import { createInteractionHandler } from "./interaction-create.js";
import { RateLimiter } from "./rate-limit.js";
import { ComponentState } from "./state.js";

export interface BotOptions {
  token: string;
  /** The slash commands and message menus to serve (commands/index.ts `botCommands`). */
  commands: BotCommands;
  engine: Engine;
  logger: Logger;
  /** REST base (…/api) for a proxy or a test server; Discord's own when undefined. */
  apiUrl?: string | undefined;
  rateLimit?: { limit: number; windowMs: number };
  /** Autocomplete answers per user per window; past it, an empty list. Default 20 per 5 s. */
  autocompleteRateLimit?: { limit: number; windowMs: number };
  /** The bot's state (src/storage/storage.ts: SQLite or PostgreSQL); without it the daily digest and server libraries are unavailable. */
  storage?: Pick<Storage, "digest" | "library"> | undefined;
  /** Digest knobs: an injected clock, the catch-up window, and (for tests) no timer or another sender. */
  digest?: Pick<DigestWiring, "clock" | "graceMinutes" | "autoTick" | "sender"> | undefined;
  /**
   * Called when the gateway closes with a code discord.js never reconnects from (4004 token
   * reset, 4010–4014): the bot is then deaf, so the caller should stop and let a supervisor restart it.
   */
  onGatewayLost?: ((code: number) => void) | undefined;
  /** The analysis worker; started here from the engine when not given. */
  analysis?: Analysis | undefined;
  /** Hybrid search (src/embeddings/) when a provider is configured; the bot starts its background embedding once ready. */
  hybrid?: HybridSearch | undefined;
  /** Prometheus metrics (src/observability/metrics.ts), when the health server is on. */
  metrics?: BotMetrics | undefined;
  /** Server libraries (with a database): how much a server may add, and how many servers' engines stay in memory. */
  library?: { limits?: Partial<LibraryLimits>; cacheSize?: number; fetch?: FetchLimits; snapshotDir?: string } | undefined;
  /** Hybrid search over another engine (a server's library), when embeddings are configured. */
  hybridFor?: ((engine: Engine) => HybridSearch | undefined) | undefined;
}

export interface Bot {
  client: Client;
  /** The daily digest scheduler, when storage was given. */
  digest: DigestScheduler | null;
  /** The analysis thread the commands and the digest use. */
  analysis: Analysis;
  /** The engine served now (it changes when the corpus reloads). */
  readonly engine: Engine;
  /** Logs in and resolves once the gateway is ready. */
  start(): Promise<void>;
  /** Stops taking interactions, waits for those in flight, then disconnects. */
  stop(): Promise<void>;
  /**
   * Serves a reloaded corpus from now on: interactions that already started finish with the
   * engine they had (searches are synchronous, so none is cut in half); the analysis thread is
   * replaced by one built on the new engine once the old one has answered what it was asked.
   */
  swapEngine(next: Engine, hybrid?: HybridSearch): Promise<void>;
}

/** The bot: one discord.js client, one interaction handler, the engine passed in once. */
export function createBot(options: BotOptions): Bot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Mentions are opted into per message by the renderer, never by default.
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  const ownsAnalysis = options.analysis === undefined;
  const analysis = options.analysis ?? startAnalysisPool(options.engine);
  const clock = options.digest?.clock ?? systemClock;
  // Servers' own articles live in the database beside the digest's state.
  const scopes: { current?: LibraryScopes } = {};
  const libraries = options.storage
    ? new ServerLibraries({
        store: options.storage.library,
        shared: options.engine,
        logger: options.logger,
        now: () => clock.now(),
        onDrop: (view) => scopes.current?.drop(view),
        ...(options.library?.limits ? { limits: options.library.limits } : {}),
        ...(options.library?.cacheSize ? { cacheSize: options.library.cacheSize } : {}),
        ...(options.library?.fetch ? { fetch: options.library.fetch } : {}),
        ...(options.library?.snapshotDir ? { snapshotDir: options.library.snapshotDir } : {}),
      })
    : undefined;
  if (libraries) scopes.current = new LibraryScopes(libraries, options.hybridFor);
  const libraryScopes = scopes.current;
  const digest = options.storage
    ? createDigestLoop(
        // Through ctx: after a corpus reload the digest is built by the new analysis thread.
        { compose: (input) => ctx.analysis.digest(input), ...(libraryScopes ? { library: libraryScopes.digestLibrary(() => ctx.analysis) } : {}), ...(options.metrics ? { onPost: options.metrics.digestPost } : {}), ...options.digest, store: options.storage.digest, engine: options.engine, logger: options.logger, token: options.token, apiUrl: options.apiUrl },
        client,
      )
    : null;
  const ctx: BotContext = { engine: options.engine, analysis, logger: options.logger, state: new ComponentState(), ...(digest ? { digest: digest.scheduler } : {}), ...(options.hybrid ? { hybrid: options.hybrid } : {}), ...(options.metrics ? { metrics: options.metrics } : {}), ...(libraries ? { libraries } : {}) };
  const handle = createInteractionHandler(
    {
      chat: new Map(options.commands.chat.map((command) => [command.data.name, command])),
      messageMenus: new Map(options.commands.messageMenus.map((command) => [command.data.name, command])),
      buttons: new Map([quoteButtons, ...(options.commands.buttons ?? [])].map((handler) => [handler.prefix, handler])),
      modals: new Map((options.commands.modals ?? []).map((handler) => [handler.prefix, handler])),
    },
    ctx,
    new RateLimiter(options.rateLimit?.limit ?? 5, options.rateLimit?.windowMs ?? 10_000),
    // Autocomplete fires on keystrokes: a generous budget, but one member cannot keep the bot busy.
    new RateLimiter(options.autocompleteRateLimit?.limit ?? 20, options.autocompleteRateLimit?.windowMs ?? 5_000),
    libraryScopes ? (base, guildId) => libraryScopes.scope(base, guildId) : undefined,
  );
  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  const onInteraction = (interaction: Interaction): void => {
    if (!accepting) return;
    const work = handle(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  };
  client.on(Events.InteractionCreate, onInteraction);
  client.on(Events.Error, (error) => options.logger.error({ err: error }, "discord client error"));
  client.on(Events.ShardReconnecting, () => options.metrics?.gatewayReconnect());
  options.metrics?.corpusArticles(options.engine.articles().length);
  // discord.js emits ShardDisconnect only for close codes it will not reconnect from; staying up
  // would leave a process that answers nothing while its digest keeps posting.
  client.on(Events.ShardDisconnect, (event, shard) => {
    options.logger.fatal({ code: event.code, shard, reason: GatewayCloseCodes[event.code] ?? "unknown" }, "gateway closed for good; discord.js will not reconnect");
    options.onGatewayLost?.(event.code);
  });

  let hybrid = options.hybrid;
  return {
    client,
    digest: digest?.scheduler ?? null,
    get analysis() {
      return ctx.analysis;
    },
    get engine() {
      return ctx.engine;
    },
    async swapEngine(next, nextHybrid) {
      warmUp(next);
      const previous = { analysis: ctx.analysis, hybrid };
      ctx.engine = next;
      libraries?.useShared(next);
      if (ownsAnalysis) ctx.analysis = startAnalysisPool(next);
      hybrid = nextHybrid;
      if (nextHybrid) ctx.hybrid = nextHybrid;
      else delete ctx.hybrid;
      digest?.scheduler.useEngine(next);
      options.metrics?.corpusArticles(next.articles().length);
      nextHybrid?.start();
      options.logger.info({ articles: next.articles().length }, "corpus reloaded");
      await previous.hybrid?.stop();
      if (ownsAnalysis) await previous.analysis.close();
    },
    async start() {
      // Before the gateway connects: the first keystroke and the first search after a restart
      // would otherwise pay for building the choice lists and compiling the search path.
      warmUp(options.engine);
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      // Only after ready: the shards this client runs decide which servers' digests it posts.
      await digest?.start();
      // Servers with articles of their own: their engines are built now, not on their first interaction.
      libraries
        ?.warm(client.guilds.cache.keys())
        .then((servers) => servers > 0 && options.logger.info({ servers }, "server libraries built"))
        .catch((error: unknown) => options.logger.error({ err: error }, "could not build the server libraries ahead"));
      // Embedding the library can take minutes on a cold provider: in the background, once the
      // bot already answers (lexically until the vectors are ready).
      hybrid?.start();
      options.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, articles: options.engine.articles().length }, "bot ready");
    },
    async stop() {
      accepting = false;
      client.off(Events.InteractionCreate, onInteraction);
      await Promise.allSettled([...inFlight]);
      await digest?.stop();
      await hybrid?.stop();
      if (ownsAnalysis) await ctx.analysis.close();
      await client.destroy();
      options.logger.info("bot stopped");
    },
  };
}
