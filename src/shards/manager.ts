import type { ChildProcess } from "node:child_process";
import type { Worker } from "node:worker_threads";
import { ShardingManager, type Shard } from "discord.js";
import type { Logger } from "../logging.js";
import type { ShardPlan } from "./plan.js";
import { EXIT_GATEWAY_CLOSED, isProcessReady } from "./protocol.js";

export interface ShardProcessesOptions {
  /** The bot's entry (src/bot.ts, or dist/src/bot.js compiled): one discord.js Client per process. */
  file: string;
  /** Node's flags for each process (`--import tsx` for the TypeScript entry). */
  execArgv: string[];
  token: string;
  plan: ShardPlan;
  logger: Logger;
  /** Environment of its own for the process of this index (e.g. its health port). */
  env?: (index: number) => Record<string, string>;
  /** A process that was ready and exits is started again, unless this many did within restartWindowMs. Default 5 in 10 min. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Wait after the first restart (doubling up to 30 s while they keep exiting). Default 1 s. */
  restartDelayMs?: number;
  /** After SIGTERM, how long a process may take to finish its interactions before SIGKILL. Default 30 s. */
  stopTimeoutMs?: number;
}

export interface ShardProcesses {
  /** discord.js's manager: `fetchClientValues` and `broadcastEval` reach every process of this host. */
  manager: ShardingManager;
  /** Resolves once every process has said all of its shards are ready. */
  ready: Promise<void>;
  /** Resolves with an exit code once the processes were stopped for a failure (one exited before it was ready, or they keep crashing). */
  failed: Promise<number>;
  /** SIGTERM to every process, then waits for them: 0 when all exited cleanly, else 1 (or `exitCode`). */
  stop(reason: string, exitCode?: number): Promise<number>;
}

interface ProcessState {
  index: number;
  shards: number[];
  child: ChildProcess | null;
  /** Ready since its last start. */
  ready: boolean;
}

/**
 * This host's shards in processes of `plan.processes`, through discord.js's ShardingManager.
 *
 * ShardingManager spawns one process per shard id of its `shardList`, telling each child its
 * shard through the SHARDS variable, which the child's Client parses as JSON. To run a group of
 * shards in one process, the manager's list holds each group's first shard id and, as the shard is
 * created (`shardCreate`, before it spawns), its SHARDS becomes the JSON array of the group:
 * the child's Client then runs `shards: [ids]` of SHARD_COUNT, and the manager's IPC
 * (`fetchClientValues`, `broadcastEval`, respawns) works per process unchanged. So no cluster
 * manager of our own is needed; the one difference is that `broadcastEval(…, { shard })` takes a
 * group's first shard id.
 *
 * Starting and restarting are done here rather than by `manager.spawn()`: discord.js waits for
 * each process's first shard before forking the next (`_ready`), where its other shards may not be
 * ready yet; and a process that exits before it was ever ready (a refused token, a corrupt
 * database, a wrong shard count) should stop the host rather than be restarted forever.
 */
export function startShardProcesses(options: ShardProcessesOptions): ShardProcesses {
  const { plan, logger } = options;
  const maxRestarts = options.maxRestarts ?? 5;
  const restartWindowMs = options.restartWindowMs ?? 600_000;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const states = new Map<number, ProcessState>();
  for (const [index, shards] of plan.processes.entries()) states.set(shards[0] ?? index, { index, shards, child: null, ready: false });

  const manager = new ShardingManager(options.file, {
    totalShards: plan.count,
    shardList: [...states.keys()],
    mode: "process",
    respawn: false,
    execArgv: options.execArgv,
    token: options.token,
  });

  let stopping: Promise<number> | null = null;
  let resolveFailed: (code: number) => void = () => undefined;
  const failed = new Promise<number>((resolve) => (resolveFailed = resolve));
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let allReady = false;
  const restarts: number[] = [];

  const fail = (reason: string): void => {
    void stop(reason, 1).then(resolveFailed);
  };

  const onDeath = (shard: Shard, state: ProcessState, child: ChildProcess): void => {
    const exit = { process: state.index, shards: state.shards, pid: child.pid, code: child.exitCode, signal: child.signalCode };
    if (stopping) return;
    if (!state.ready) {
      logger.fatal(exit, "shard process exited before it was ready; stopping this host's shards");
      fail("a shard process could not start");
      return;
    }
    if (child.exitCode === EXIT_GATEWAY_CLOSED) {
      logger.fatal(exit, "Discord closed a shard's gateway for good; stopping this host's shards");
      fail("gateway closed for good");
      return;
    }
    state.ready = false;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] ?? now) < now - restartWindowMs) restarts.shift();
    if (restarts.length > maxRestarts) {
      logger.fatal({ ...exit, restarts: restarts.length, windowMs: restartWindowMs }, "shard processes keep exiting; stopping this host's shards");
      fail("shard processes keep exiting");
      return;
    }
    const delayMs = Math.min(30_000, restartDelayMs * 2 ** (restarts.length - 1));
    logger.error({ ...exit, delayMs }, "shard process exited; starting it again");
    setTimeout(() => {
      if (!stopping) void shard.spawn(-1).catch((error: unknown) => logger.error({ err: error, process: state.index }, "could not start the shard process again"));
    }, delayMs).unref();
  };

  manager.on("shardCreate", (shard) => {
    const state = states.get(shard.id);
    if (!state) throw new Error(`shard manager: no process starts with shard ${shard.id}`);
    // Read by the child's Client (JSON): this process runs the whole group, of SHARD_COUNT.
    Object.assign(shard.env as Record<string, unknown>, { SHARDS: JSON.stringify(state.shards), ...options.env?.(state.index) });
    shard.on("spawn", (child: ChildProcess | Worker) => {
      state.child = child as ChildProcess;
      state.ready = false;
      logger.info({ process: state.index, shards: state.shards, pid: state.child.pid }, "shard process started");
    });
    shard.on("message", (message: unknown) => {
      if (!isProcessReady(message)) return;
      state.ready = true;
      logger.info({ process: state.index, shards: state.shards, pid: state.child?.pid }, "shard process ready");
      if (!allReady && [...states.values()].every((s) => s.ready)) {
        allReady = true;
        logger.info({ shardCount: plan.count, shards: plan.ids, processes: plan.processes.length }, "all shards ready");
        resolveReady();
      }
    });
    shard.on("death", (child: ChildProcess | Worker) => onDeath(shard, state, child as ChildProcess));
    shard.on("error", (error: Error) => logger.error({ err: error, process: state.index }, "shard process error"));
  });

  async function stop(reason: string, exitCode = 0): Promise<number> {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping shard processes");
      const live = [...states.values()].flatMap((s) => (s.child && s.child.exitCode === null && s.child.signalCode === null ? [{ state: s, child: s.child }] : []));
      const exits = live.map(({ child }) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once("exit", (code, signal) => resolve({ code, signal }));
      }));
      // Each process finishes the interactions it has in flight (src/bot.ts shutdown), then exits.
      for (const { child } of live) child.kill("SIGTERM");
      const killer = setTimeout(() => {
        for (const { child } of live) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, options.stopTimeoutMs ?? 30_000);
      const results = await Promise.all(exits);
      clearTimeout(killer);
      const clean = results.every((r) => r.code === 0);
      logger.info({ processes: live.map(({ state }, i) => ({ process: state.index, shards: state.shards, ...results[i] })) }, "shard processes stopped");
      return exitCode !== 0 ? exitCode : clean ? 0 : 1;
    })();
    return stopping;
  }

  void (async () => {
    // From the next turn, so the caller can listen to the manager's events first.
    await new Promise((resolve) => setImmediate(resolve));
    for (const first of states.keys()) {
      if (stopping) return;
      // Forks at once (-1: no wait for discord.js's first-shard ready).
      await manager.createShard(first).spawn(-1);
      const last = first === plan.processes.at(-1)?.[0];
      if (plan.spawnDelayMs > 0 && !last) await new Promise((resolve) => setTimeout(resolve, plan.spawnDelayMs));
    }
  })().catch((error: unknown) => {
    logger.fatal({ err: error }, "could not start the shard processes");
    fail("could not start the shard processes");
  });

  return { manager, ready, failed, stop };
}
