import "dotenv/config";
import { botCommands } from "../commands/index.js";
import { loadBotStartConfig } from "./config.js";
import { createBot } from "./discord/client.js";
import { openHybridSearch } from "./embeddings/index.js";
import { startCorpusReload } from "./discord/corpus-reload.js";
import { loadEngine } from "./engine.js";
import { botHealthChecks } from "./observability/bot-health.js";
import { startHealthServer } from "./observability/health-server.js";
import { createMetrics } from "./observability/metrics.js";
import { createLogger } from "./logging.js";
import { EXIT_GATEWAY_CLOSED, PROCESS_READY } from "./shards/protocol.js";
import { DatabaseError } from "./storage/db.js";
import { postgresPassword } from "./storage/postgres/pool.js";
import { openStorage, type Storage } from "./storage/storage.js";

// `npm start`: load the corpus once, connect, and shut down cleanly on SIGINT/SIGTERM.
const { config, embeddings: embeddingsConfig } = loadBotStartConfig();
const databasePassword = config.databaseUrl === undefined ? undefined : postgresPassword(config.databaseUrl);
const logger = createLogger({
  level: config.logLevel,
  pretty: process.stdout.isTTY,
  secrets: [config.token, ...(embeddingsConfig?.apiKey ? [embeddingsConfig.apiKey] : []), ...(databasePassword ? [databasePassword] : [])],
});
// The state first: a corrupt or unreadable file, or a database server that cannot be used, stops
// start-up at once; neither is ever replaced.
let storage: Storage;
try {
  storage = await openStorage(config, { onIdleError: (error) => logger.warn({ err: error }, "a PostgreSQL connection dropped; the pool opens another") });
} catch (error) {
  if (!(error instanceof DatabaseError)) throw error;
  logger.fatal({ database: config.databaseUrl === undefined ? config.databaseFile : "DATABASE_URL" }, error.message);
  process.stderr.write(`agora: ${error.message}\n(${config.databaseUrl === undefined ? "DATABASE_PATH chooses the file" : "DATABASE_URL chooses the PostgreSQL database"}.)\n`);
  process.exit(1);
}
logger.info({ backend: storage.backend, database: storage.location }, "database open");

// A process the shard manager spawned (src/shards/): its Client runs the shards in SHARDS of
// SHARD_COUNT (discord.js reads both), and every log line says which.
if (config.shardProcess) logger.setBindings({ shards: config.shardProcess.ids });
else if (config.sharding.ids) {
  // Alone, discord.js would run every shard of SHARD_COUNT here, and another host's twice.
  logger.fatal({ shardIds: config.sharding.ids }, "SHARD_IDS needs the shard manager");
  process.stderr.write("agora: SHARD_IDS is set: start the bot with `npm start` (or `npm run dev`), which runs this host's shards only\n");
  process.exit(1);
}

const engine = await loadEngine({ corpusDir: config.corpusDir, snapshotDir: config.snapshotDir });
for (const problem of engine.problems) logger.warn(problem, "corpus file skipped");
logger.info({ articles: engine.articles().length, corpusDir: config.corpusDir }, "corpus loaded");

// Optional: with an embeddings provider, /quote, /search and Find passages rank by meaning too.
let embeddings: ReturnType<typeof openHybridSearch> | undefined;
if (embeddingsConfig) {
  try {
    embeddings = openHybridSearch(embeddingsConfig, engine, logger);
    logger.info({ url: embeddingsConfig.url, model: embeddingsConfig.model, cacheFile: embeddingsConfig.cacheFile }, "embeddings configured");
  } catch (error) {
    // A cache file that cannot be opened costs the bot its hybrid ranking, not its answers.
    logger.error({ err: error, cacheFile: embeddingsConfig.cacheFile }, "embeddings cache unusable; search stays lexical");
  }
}

// Off unless HEALTH_PORT is set: /healthz and /metrics for an operator.
const metrics = config.health ? createMetrics() : undefined;

const bot = createBot({
  token: config.token,
  commands: botCommands,
  engine,
  logger,
  apiUrl: config.apiUrl,
  storage,
  digest: { graceMinutes: config.digestGraceMinutes },
  // Each server's own articles: its limits, and snapshots of its index beside the shared one's.
  library: { limits: config.library, snapshotDir: config.snapshotDir },
  hybrid: embeddings?.hybrid,
  metrics,
  // Exit non-zero so a supervisor restarts the bot (or an operator sees why it stopped).
  onGatewayLost: (code) => shutdown(`gateway close ${code}`, config.shardProcess ? EXIT_GATEWAY_CLOSED : 1),
});
let stopping = false;
// Set once the bot is up and watching the corpus folder.
let stopWatchingCorpus = (): void => undefined;
function shutdown(reason: string, exitCode = 0): void {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, "shutting down");
  // No corpus swap while the bot stops.
  stopWatchingCorpus();
  bot
    .stop()
    .then(() => embeddings?.close())
    .then(() => storage.close())
    .then(
      () => process.exit(exitCode),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
// Without its shard manager nobody would stop this process, and a restarted manager would run these shards twice.
if (config.shardProcess) process.on("disconnect", () => shutdown("shard manager gone"));
process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));

try {
  await bot.start();
} catch (error) {
  logger.fatal({ err: error }, "could not connect to Discord");
  process.exit(1);
}
// discord.js tells the manager when the first shard is ready; it waits for all of this process's.
if (config.shardProcess) await bot.client.shard?.send(PROCESS_READY);
if (config.health && metrics) {
  const health = await startHealthServer({ ...config.health, registry: metrics.registry, checks: botHealthChecks(bot, storage) });
  logger.info({ url: health.url }, "health and metrics served");
}
// Edits to the corpus folder are served without a restart.
const corpusReload = startCorpusReload({ corpusDir: config.corpusDir, bot, engine, logger, ...(embeddings ? { hybridFor: embeddings.forEngine } : {}) });
stopWatchingCorpus = () => corpusReload.close();
