import "dotenv/config";
import { fileURLToPath } from "node:url";
import { DiscordAPIError, REST, Routes, type RESTGetAPIGatewayBotResult } from "discord.js";
import { loadBotStartConfig } from "../config.js";
import { createLogger } from "../logging.js";
import { startShardProcesses } from "./manager.js";
import { planShards } from "./plan.js";

// `npm start` with a token: the bot's shards in processes (src/shards/manager.ts), each process
// running src/bot.ts with its group of shards. SHARD_COUNT (else Discord's recommendation),
// SHARDS_PER_PROCESS and SHARD_IDS (this host's part) decide which; see README "Sharding".

// The embeddings settings are checked here too, so a mistake stops the host once rather than every shard process.
const { config } = loadBotStartConfig();
const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY, secrets: [config.token] });

/**
 * Discord's recommended shard count and identify concurrency (GET /gateway/bot), through
 * DISCORD_API_URL when set: ShardingManager's own "auto" asks discord.com whatever the REST base.
 */
async function fetchGateway(): Promise<{ recommended: number; maxConcurrency: number }> {
  const rest = new REST({ version: "10", ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    return { recommended: gateway.shards, maxConcurrency: gateway.session_start_limit.max_concurrency };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

let gateway;
try {
  gateway = await fetchGateway();
} catch (error) {
  const refused = error instanceof DiscordAPIError && error.status === 401;
  const message = refused ? "Discord refused DISCORD_TOKEN (401 Unauthorized)" : "could not ask Discord for the shard count (GET /gateway/bot)";
  logger.fatal({ err: error }, message);
  process.stderr.write(`agora: ${message}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const plan = planShards(config.sharding, gateway);
logger.info(
  { shardCount: plan.count, recommended: gateway.recommended, shards: plan.ids, processes: plan.processes, spawnDelayMs: plan.spawnDelayMs },
  "starting shards",
);

// The compiled entry beside this file, or the TypeScript one through tsx (as src/workers/analysis-pool.ts picks its worker).
const typescript = import.meta.url.endsWith(".ts");
const file = fileURLToPath(new URL(typescript ? "../bot.ts" : "../bot.js", import.meta.url));
const execArgv = [...process.execArgv];
if (typescript && !execArgv.some((arg) => arg.includes("tsx"))) execArgv.push("--import", "tsx");

const health = config.health;
const shards = startShardProcesses({
  file,
  execArgv,
  token: config.token,
  plan,
  logger,
  // One port per process: process i serves /healthz and /metrics on HEALTH_PORT + i.
  ...(health && health.port !== 0 && plan.processes.length > 1 ? { env: (index: number) => ({ HEALTH_PORT: String(health.port + index) }) } : {}),
});

const exit = (code: number): never => process.exit(code);
const stop = (reason: string): void => void shards.stop(reason).then(exit);
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
void shards.failed.then(exit);
