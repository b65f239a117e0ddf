/**
 * One bot process of tests/digest/two-processes.test.ts: the real scheduler on the real
 * PostgreSQL store, a clock the parent sets, and a sender that "posts" into a table of the same
 * database (honouring the nonce for NONCE_WINDOW_MS, as Discord does). Told to crash at a point,
 * it kills itself there with SIGKILL: no cleanup, no shutdown, as a machine losing power.
 *
 * argv[2]: JSON { url, name, shards, shardCount, corpusDir }. Messages from the parent:
 * { type: "tick", now, crash? } → the tick runs, then { type: "done" }.
 */
import { digestMarker } from "../../src/digest/content.js";
import { ownsGuild } from "../../src/digest/schedule.js";
import { DigestScheduler } from "../../src/digest/scheduler.js";
import { NONCE_WINDOW_MS, type DigestSender } from "../../src/digest/sender.js";
import { loadEngine } from "../../src/engine.js";
import { createLogger } from "../../src/logging.js";
import { inTransaction, openPostgres } from "../../src/storage/postgres/pool.js";
import { postgresStorage } from "../../src/storage/storage.js";

type CrashPoint = "before-send" | "after-send" | "in-recovery";
interface Options {
  url: string;
  name: string;
  shards: number[];
  shardCount: number;
  corpusDir: string;
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
let now = 0;
let crashAt: CrashPoint | null = null;
const die = (): never => {
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable");
};

const pool = await openPostgres(options.url, { max: 3 });
const storage = postgresStorage(pool, options.name);

/** Discord as the scheduler sees it, kept in `test_posts`: one row per message the "channel" shows. */
const sender: DigestSender = {
  async send({ channelId, nonce, payload }) {
    if (crashAt === "before-send") die();
    // The footer the rendered message would carry (rendering itself needs discord.js: slow to start).
    const marker = payload.kind === "content" ? digestMarker(payload.content.localDate) : "";
    const id = await inTransaction(pool, async (client) => {
      // Discord answers a repeated nonce (within its window) with the message it already made.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [channelId]);
      const { rows } = await client.query<{ id: string }>("SELECT id FROM test_posts WHERE channel_id = $1 AND nonce = $2 AND at >= $3", [channelId, nonce, now - NONCE_WINDOW_MS]);
      if (rows[0]) return rows[0].id;
      const inserted = await client.query<{ id: string }>("INSERT INTO test_posts (channel_id, nonce, marker, at, by) VALUES ($1, $2, $3, $4, $5) RETURNING id", [channelId, nonce, marker, now, options.name]);
      return String(inserted.rows[0]?.id);
    });
    if (crashAt === "after-send") die();
    return { messageId: String(id) };
  },
  async findPosted({ channelId, marker }) {
    if (crashAt === "in-recovery") die();
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM test_posts WHERE channel_id = $1 AND marker = $2 ORDER BY id LIMIT 1", [channelId, marker]);
    return { messageId: rows[0] ? String(rows[0].id) : null, complete: true };
  },
};

const engine = await loadEngine({ corpusDir: options.corpusDir });
const scheduler = new DigestScheduler({
  store: storage.digest,
  engine,
  sender,
  clock: { now: () => now },
  logger: createLogger({ level: "silent" }),
  owns: (guildId) => ownsGuild(guildId, options.shards, options.shardCount),
});

process.on("message", (message: { type: "tick"; now: number; crash?: CrashPoint }) => {
  now = message.now;
  crashAt = message.crash ?? null;
  scheduler.tick().then(
    () => {
      crashAt = null;
      process.send?.({ type: "done" });
    },
    (error: unknown) => process.send?.({ type: "error", message: error instanceof Error ? error.stack : String(error) }),
  );
});
process.send?.({ type: "ready" });
