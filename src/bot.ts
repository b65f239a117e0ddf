import "dotenv/config";
import { botCommands } from "../commands/index.js";
import { ConfigError, loadBotConfig, loadEmbeddingsConfig } from "./config.js";
import { createBot } from "./discord/client.js";
import { openHybridSearch } from "./embeddings/index.js";
import { startCorpusReload } from "./discord/corpus-reload.js";
import { loadEngine } from "./engine.js";
import { botHealthChecks } from "./observability/bot-health.js";
import { startHealthServer } from "./observability/health-server.js";
import { createMetrics } from "./observability/metrics.js";
import { createLogger } from "./logging.js";
import { DatabaseError, openDatabase, type Database } from "./storage/db.js";

// `npm start`: load the corpus once, connect, and shut down cleanly on SIGINT/SIGTERM.
let config;
let embeddingsConfig;
try {
  config = loadBotConfig();
  embeddingsConfig = loadEmbeddingsConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `agora: ${error.message}\n` +
      "Set it in .env (see .env.example). Without a Discord token, `npm start` (or `npm run playground`) opens the local playground, and the offline CLI works: npm run --silent cli -- help\n",
  );
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY, secrets: [config.token, ...(embeddingsConfig?.apiKey ? [embeddingsConfig.apiKey] : [])] });
// The database first: a corrupt or unreadable file stops start-up at once, and is never replaced.
let database: Database;
try {
  database = openDatabase(config.databaseFile);
} catch (error) {
  if (!(error instanceof DatabaseError)) throw error;
  logger.fatal({ databaseFile: config.databaseFile }, error.message);
  process.stderr.write(`agora: ${error.message}\n(DATABASE_PATH chooses the file.)\n`);
  process.exit(1);
}
logger.info({ databaseFile: config.databaseFile }, "database open");

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
  database,
  digest: { graceMinutes: config.digestGraceMinutes },
  hybrid: embeddings?.hybrid,
  metrics,
  // Exit non-zero so a supervisor restarts the bot (or an operator sees why it stopped).
  onGatewayLost: (code) => shutdown(`gateway close ${code}`, 1),
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
    .then(
      () => {
        database.close();
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));

try {
  await bot.start();
} catch (error) {
  logger.fatal({ err: error }, "could not connect to Discord");
  process.exit(1);
}
if (config.health && metrics) {
  const health = await startHealthServer({ ...config.health, registry: metrics.registry, checks: botHealthChecks(bot, database) });
  logger.info({ url: health.url }, "health and metrics served");
}
// Edits to the corpus folder are served without a restart.
const corpusReload = startCorpusReload({ corpusDir: config.corpusDir, bot, engine, logger, ...(embeddings ? { hybridFor: embeddings.forEngine } : {}) });
stopWatchingCorpus = () => corpusReload.close();
