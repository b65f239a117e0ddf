// Messages between a shard process (src/bot.ts) and the shard manager (src/shards/manager.ts), over
// the IPC channel discord.js's ShardingManager opens (ShardClientUtil#send → Shard "message" event).

/**
 * Every shard of the process is ready and its digest scheduled. discord.js itself reports `_ready`
 * at the first shard's ready, which says nothing of a process running several.
 */
export const PROCESS_READY = { agora: "process-ready" } as const;

export function isProcessReady(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { agora?: unknown }).agora === PROCESS_READY.agora;
}

/**
 * A shard process's exit code when Discord closed its gateway for good (4004 token reset, 4010–4014):
 * starting it again would be refused the same way, so the manager stops the host instead.
 */
export const EXIT_GATEWAY_CLOSED = 3;
