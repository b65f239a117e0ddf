import "dotenv/config";
import { botCommands, commandPayloads } from "../../commands/index.js";
import { ConfigError, loadEmbeddingsConfig, loadPlaygroundConfig, type EmbeddingsConfig, type PlaygroundConfig } from "../config.js";
import { openHybridSearch } from "../embeddings/index.js";
import { loadEngine } from "../engine.js";
import { createLogger } from "../logging.js";
import { DatabaseError, openDatabase, type Database } from "../storage/db.js";
import { servePlayground } from "./http.js";
import { Playground } from "./session.js";

// `npm run playground` (and `npm start` without a Discord token): the real bot on a local fake
// Discord, with a web page that behaves like a Discord channel. It never connects to Discord.
const fail = (message: string): never => {
  process.stderr.write(`agora playground: ${message}\n`);
  process.exit(1);
};

function readConfig(): { config: PlaygroundConfig; embeddings: EmbeddingsConfig | null } {
  try {
    return { config: loadPlaygroundConfig(), embeddings: loadEmbeddingsConfig() };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(error.message);
  }
}
// A corrupt or unreadable file stops start-up at once, and is never replaced.
function openPlaygroundDatabase(file: string): Database {
  try {
    return openDatabase(file);
  } catch (error) {
    if (!(error instanceof DatabaseError)) throw error;
    return fail(`${error.message}\n(PLAYGROUND_DATABASE_PATH chooses the file.)`);
  }
}

const { config, embeddings: embeddingsConfig } = readConfig();
const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY, secrets: embeddingsConfig?.apiKey ? [embeddingsConfig.apiKey] : [] });
const database = openPlaygroundDatabase(config.databaseFile);
const engine = await loadEngine({ corpusDir: config.corpusDir });
for (const problem of engine.problems) logger.warn(problem, "corpus file skipped");
// With an embeddings provider configured, the playground ranks as the bot on Discord would.
let embeddings: ReturnType<typeof openHybridSearch> | undefined;
try {
  embeddings = embeddingsConfig ? openHybridSearch(embeddingsConfig, engine, logger) : undefined;
} catch (error) {
  logger.error({ err: error, cacheFile: embeddingsConfig?.cacheFile }, "embeddings cache unusable; search stays lexical");
}
const playground = await Playground.start({ engine, commands: botCommands, commandPayloads, database, logger, hybrid: embeddings?.hybrid });
const server = await servePlayground(playground, { port: config.port, logger }).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === "EADDRINUSE" ? `port ${config.port} is in use: set PLAYGROUND_PORT to another one (0 picks a free port)` : String(error)),
);
process.stdout.write(`Agora playground: ${server.url} (the real bot on a local pretend Discord; nothing connects to Discord; Ctrl-C stops it)\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  await playground.close();
  await embeddings?.close();
  database.close();
  process.exit(0);
}
const stop = () =>
  void shutdown().catch((error: unknown) => {
    logger.error({ err: error }, "playground shutdown failed");
    process.exit(1);
  });
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
