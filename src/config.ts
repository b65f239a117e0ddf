import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads the environment. Everything else receives a parsed config object,
 * so tests can pass their own and nothing reads `process.env` behind their back.
 */
const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).optional());
const snowflake = z.string({ error: "is missing" }).regex(/^\d{17,20}$/, "must be a Discord id (17–20 digits)");
const shardNumber = z.number({ error: "must be a whole number of at least 1" }).int("must be a whole number of at least 1").min(1, "must be a whole number of at least 1").max(100_000);
const toNumber = (value: unknown): unknown => (value === "" || value === undefined ? undefined : Number(value));

/** The token goes with every REST request: only over TLS, or in plain HTTP to this machine (a local proxy or test server). */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // A URL without a host is allowed: `postgres:///agora?host=/var/run/postgresql` is a Unix socket.
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}

function safeApiUrl(value: string): boolean {
  const url = new URL(value);
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

const cliEnvSchema = z.object({
  CORPUS_DIR: optionalText,
  LOG_LEVEL: logLevel,
});

const botEnvSchema = cliEnvSchema.extend({
  DISCORD_TOKEN: z.string({ error: "is missing" }).trim().min(1, "is empty"),
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_DEV_GUILD_ID: z.preprocess((value) => (value === "" ? undefined : value), snowflake.optional()),
  /** A REST base such as a proxy (…/api); discord.js takes it as the client option `rest.api`. */
  DISCORD_API_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .url()
      .refine(safeApiUrl, {
        error: "must start with https:// (the bot token is sent with every request); http:// is allowed only on this machine (localhost, 127.0.0.1, ::1)",
      })
      .optional(),
  ),
  DATABASE_PATH: optionalText,
  /** PostgreSQL instead of the SQLite file, for state several processes or hosts share; when set, DATABASE_PATH is unused. */
  DATABASE_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .trim()
      .refine(isPostgresUrl, { error: "must be a PostgreSQL URL: postgres://user:password@host:5432/database" })
      .optional(),
  ),
  /** Where index snapshots are kept, so a restart on an unchanged corpus skips counting its terms. */
  INDEX_SNAPSHOT_DIR: optionalText,
  /** How late a missed daily digest may still be posted on the same local day, in minutes. */
  /** Serves /healthz and /metrics on this port when set (off by default). */
  HEALTH_PORT: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number({ error: "must be a port number" }).int("must be a port number").min(0).max(65_535).optional(),
  ),
  /** The address the health server listens on; 0.0.0.0 lets a container orchestrator reach it. */
  HEALTH_HOST: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).default("127.0.0.1")),
  /** How many articles one server may add with /library add. */
  LIBRARY_MAX_ARTICLES: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number({ error: "must be a whole number of articles" }).int("must be a whole number of articles").min(1).max(1_000_000).default(500),
  ),
  /** How much text one server's added articles may hold, in MB (10^6 bytes of UTF-8). */
  LIBRARY_MAX_MB: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number({ error: "must be a number of megabytes" }).positive("must be a number of megabytes").max(100_000).default(20),
  ),
  DIGEST_GRACE_MINUTES: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number({ error: "must be a whole number of minutes" }).int("must be a whole number of minutes").min(0).max(1440).default(360),
  ),
  /** Total shards across every host; unset: Discord's recommendation (GET /gateway/bot). */
  SHARD_COUNT: z.preprocess(toNumber, shardNumber.optional()),
  /** Shards one process runs (one discord.js Client with several shards); default 1, as ShardingManager. */
  SHARDS_PER_PROCESS: z.preprocess(toNumber, shardNumber.default(1)),
  /** The shards this host runs, e.g. "0-3" or "0,2" (with SHARD_COUNT); unset: all of them. */
  SHARD_IDS: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().transform(parseShardIds).optional()),
  // Set by discord.js's ShardingManager in the processes it spawns (src/shards/): the shards of
  // this process, a number or a JSON array, and the total.
  SHARDING_MANAGER: optionalText,
  SHARDS: optionalText,
});

/** "0-3", "0,2", "0-1,6": shard ids, each once, in order. */
function parseShardIds(value: string, ctx: z.RefinementCtx): number[] {
  const ids = new Set<number>();
  for (const part of value.split(",").map((p) => p.trim())) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (!match || last < first || last > 100_000) {
      ctx.addIssue({ code: "custom", message: `must list shard ids like 0-3 or 0,2 (not "${part}")` });
      return z.NEVER;
    }
    for (let id = first; id <= last; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const playgroundEnvSchema = cliEnvSchema.extend({
  /** Unset: warnings only, so the terminal shows the one line with the page's address. */
  LOG_LEVEL: z.preprocess((value) => (value === "" ? undefined : value), logLevel.unwrap().optional()),
  /** The playground's web page port on 127.0.0.1; 0 picks a free one. */
  PLAYGROUND_PORT: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number({ error: "must be a port number" }).int("must be a port number").min(0).max(65_535).default(3000),
  ),
  /** The playground's own SQLite file, so it never writes its pretend server into the bot's DATABASE_PATH. */
  PLAYGROUND_DATABASE_PATH: optionalText,
});

export type LogLevel = z.infer<typeof logLevel>;

export interface CliConfig {
  /** Absolute path of the corpus folder. */
  corpusDir: string;
  logLevel: LogLevel;
}

export interface BotConfig extends CliConfig {
  token: string;
  applicationId: string;
  devGuildId: string | undefined;
  apiUrl: string | undefined;
  /** Absolute path of the SQLite file (DATABASE_PATH, default ./data/agora.sqlite); unused when databaseUrl is set. */
  databaseFile: string;
  /** DATABASE_URL: the state in PostgreSQL instead of the SQLite file. */
  databaseUrl: string | undefined;
  /** Minutes after a server's digest time within which a missed digest is still posted that day. */
  digestGraceMinutes: number;
  /** Absolute path of the index snapshot folder (INDEX_SNAPSHOT_DIR, default ./data/index-snapshots). */
  snapshotDir: string;
  /** Where /healthz and /metrics are served (HEALTH_PORT, HEALTH_HOST); undefined when off. */
  health: { port: number; host: string } | undefined;
  /** What one server may add to its library (LIBRARY_MAX_ARTICLES, LIBRARY_MAX_MB). */
  library: { maxArticles: number; maxBytes: number };
  /** How `npm start` shards (src/shards/): SHARD_COUNT, SHARD_IDS, SHARDS_PER_PROCESS. */
  sharding: ShardingConfig;
  /** Set in a process the shard manager spawned: the shards its discord.js client runs, of `count`. */
  shardProcess: { ids: number[]; count: number } | undefined;
}

export interface ShardingConfig {
  /** Total shards across every host; undefined: Discord's recommendation. */
  count: number | undefined;
  /** The shards this host runs; undefined: every shard of the count. */
  ids: number[] | undefined;
  /** Shards per process (one discord.js Client each). */
  perProcess: number;
}

export interface PlaygroundConfig extends CliConfig {
  /** Port of the web page on 127.0.0.1 (PLAYGROUND_PORT, default 3000). */
  port: number;
  /** Absolute path of the playground's SQLite file (PLAYGROUND_DATABASE_PATH, default ./data/playground.sqlite). */
  databaseFile: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Reads the CLI's settings from an environment (default: this process's). */
export function loadCliConfig(env: Env = process.env, cwd = process.cwd()): CliConfig {
  const data = parse(cliEnvSchema, env);
  return { corpusDir: path.resolve(cwd, data.CORPUS_DIR ?? "corpus"), logLevel: data.LOG_LEVEL };
}

/** Where the bot's state is, for the CLI's `library` commands: DATABASE_URL, else DATABASE_PATH (as the bot reads them). */
export function loadStorageConfig(env: Env = process.env, cwd = process.cwd()): { databaseUrl: string | undefined; databaseFile: string } {
  const data = parse(botEnvSchema.pick({ DATABASE_PATH: true, DATABASE_URL: true }), env);
  return { databaseUrl: data.DATABASE_URL, databaseFile: path.resolve(cwd, data.DATABASE_PATH ?? "./data/agora.sqlite") };
}

/** Reads the bot's settings; a missing or malformed variable is named in the error. */
export function loadBotConfig(env: Env = process.env, cwd = process.cwd()): BotConfig {
  const data = parse(botEnvSchema, env);
  return {
    corpusDir: path.resolve(cwd, data.CORPUS_DIR ?? "corpus"),
    logLevel: data.LOG_LEVEL,
    token: data.DISCORD_TOKEN,
    applicationId: data.DISCORD_APPLICATION_ID,
    devGuildId: data.DISCORD_DEV_GUILD_ID,
    apiUrl: data.DISCORD_API_URL?.replace(/\/+$/, ""),
    databaseFile: path.resolve(cwd, data.DATABASE_PATH ?? "./data/agora.sqlite"),
    databaseUrl: data.DATABASE_URL,
    digestGraceMinutes: data.DIGEST_GRACE_MINUTES,
    snapshotDir: path.resolve(cwd, data.INDEX_SNAPSHOT_DIR ?? "./data/index-snapshots"),
    health: data.HEALTH_PORT === undefined ? undefined : { port: data.HEALTH_PORT, host: data.HEALTH_HOST },
    library: { maxArticles: data.LIBRARY_MAX_ARTICLES, maxBytes: Math.round(data.LIBRARY_MAX_MB * 1_000_000) },
    sharding: shardingConfig(data),
    shardProcess: shardProcess(data),
  };
}

function shardingConfig(data: z.output<typeof botEnvSchema>): ShardingConfig {
  const ids = data.SHARD_IDS;
  const count = data.SHARD_COUNT;
  if (ids !== undefined) {
    // Hosts that split the shards must agree on the count; Discord's recommendation changes as the bot grows.
    if (count === undefined) throw new ConfigError("invalid configuration: SHARD_IDS needs SHARD_COUNT (the total across every host), so all hosts route servers to shards alike");
    const outside = ids.filter((id) => id >= count);
    if (outside.length > 0) throw new ConfigError(`invalid configuration: SHARD_IDS has ${outside.join(", ")}, but shard ids go from 0 to ${count - 1} with SHARD_COUNT=${count}`);
  }
  return { count, ids, perProcess: data.SHARDS_PER_PROCESS };
}

function shardProcess(data: z.output<typeof botEnvSchema>): BotConfig["shardProcess"] {
  if (data.SHARDING_MANAGER === undefined || data.SHARDS === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.SHARDS);
  } catch {
    parsed = null;
  }
  const ids = Array.isArray(parsed) ? parsed : [parsed];
  if (ids.length === 0 || !ids.every((id): id is number => Number.isInteger(id) && (id as number) >= 0)) {
    throw new ConfigError(`invalid configuration: SHARDS (set by the shard manager) must be a shard id or a JSON array of them, not ${data.SHARDS}`);
  }
  return { ids, count: data.SHARD_COUNT ?? ids.length };
}

/**
 * The bot's settings and its optional embeddings settings, for the entry points that run the bot
 * (src/bot.ts, src/shards/main.ts): a bad variable is said on stderr, with where to set it, and the
 * process exits 1 before anything starts.
 */
export function loadBotStartConfig(env: Env = process.env): { config: BotConfig; embeddings: EmbeddingsConfig | null } {
  try {
    return { config: loadBotConfig(env), embeddings: loadEmbeddingsConfig(env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `agora: ${error.message}\n` +
        "Set it in .env (see .env.example). Without a Discord token, `npm start` (or `npm run playground`) opens the local playground, and the offline CLI works: npm run --silent cli -- help\n",
    );
    process.exit(1);
  }
}

/** Reads the playground's settings; it never needs a token. */
export function loadPlaygroundConfig(env: Env = process.env, cwd = process.cwd()): PlaygroundConfig {
  const data = parse(playgroundEnvSchema, env);
  return {
    corpusDir: path.resolve(cwd, data.CORPUS_DIR ?? "corpus"),
    logLevel: data.LOG_LEVEL ?? "warn",
    port: data.PLAYGROUND_PORT,
    databaseFile: path.resolve(cwd, data.PLAYGROUND_DATABASE_PATH ?? "./data/playground.sqlite"),
  };
}

/** What `npm start` runs: the bot when a Discord token is set, else the local playground. */
export function startMode(env: Env = process.env): "bot" | "playground" {
  return (env["DISCORD_TOKEN"] ?? "").trim() === "" ? "playground" : "bot";
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}

const embeddingsEnvSchema = z
  .object({
    /** An OpenAI-compatible endpoint: the full …/v1/embeddings URL, or its base ending in /v1. */
    EMBEDDINGS_URL: z.preprocess((value) => (value === "" ? undefined : value), z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
    EMBEDDINGS_MODEL: optionalText,
    EMBEDDINGS_API_KEY: optionalText,
    EMBEDDINGS_CACHE_PATH: optionalText,
  })
  .superRefine((data, ctx) => {
    if ((data.EMBEDDINGS_URL === undefined) !== (data.EMBEDDINGS_MODEL === undefined)) {
      const missing = data.EMBEDDINGS_URL === undefined ? "EMBEDDINGS_URL" : "EMBEDDINGS_MODEL";
      ctx.addIssue({ code: "custom", path: [missing], message: `is missing (set both EMBEDDINGS_URL and EMBEDDINGS_MODEL, or neither)` });
    }
    // The key goes with every request, like the bot token: not in clear text to another machine.
    if (data.EMBEDDINGS_API_KEY !== undefined && data.EMBEDDINGS_URL !== undefined && !safeApiUrl(data.EMBEDDINGS_URL)) {
      ctx.addIssue({ code: "custom", path: ["EMBEDDINGS_URL"], message: "must start with https:// when EMBEDDINGS_API_KEY is set; http:// is allowed only on this machine" });
    }
  });

/** The optional embeddings provider: absent unless EMBEDDINGS_URL and EMBEDDINGS_MODEL are both set. */
export interface EmbeddingsConfig {
  /** The endpoint requests are POSTed to (ends in /embeddings). */
  url: string;
  model: string;
  apiKey: string | undefined;
  /** Absolute path of the vector cache (EMBEDDINGS_CACHE_PATH, default ./data/embeddings.sqlite). */
  cacheFile: string;
}

/** Reads the embeddings settings; null when none are set (lexical search only). */
export function loadEmbeddingsConfig(env: Env = process.env, cwd = process.cwd()): EmbeddingsConfig | null {
  const data = parse(embeddingsEnvSchema, env);
  if (data.EMBEDDINGS_URL === undefined || data.EMBEDDINGS_MODEL === undefined) return null;
  const base = data.EMBEDDINGS_URL.replace(/\/+$/, "");
  return {
    url: base.endsWith("/embeddings") ? base : `${base}/embeddings`,
    model: data.EMBEDDINGS_MODEL,
    apiKey: data.EMBEDDINGS_API_KEY,
    // ":memory:" keeps the vectors for this run only (SQLite's own name for it).
    cacheFile: data.EMBEDDINGS_CACHE_PATH === ":memory:" ? ":memory:" : path.resolve(cwd, data.EMBEDDINGS_CACHE_PATH ?? "./data/embeddings.sqlite"),
  };
}
