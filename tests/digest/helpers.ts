import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DigestScheduler, type SchedulerOptions } from "../../src/digest/scheduler.js";
import type { DigestPayload } from "../../src/digest/content.js";
import type { Clock, DigestSender, DigestSendError, PostedCheck } from "../../src/digest/sender.js";
import { renderDigestPayload } from "../../src/discord/digest-message.js";
import type { Reply } from "../../src/discord/render.js";
import type { Engine } from "../../src/engine.js";
import { createLogger } from "../../src/logging.js";
import type { DigestStore } from "../../src/digest/store.js";
import { openDatabase, type Database } from "../../src/storage/db.js";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A message in the simulated Discord: who sent it (which shard), with what nonce, when. */
export interface SentMessage {
  id: string;
  channelId: string;
  nonce: string;
  /** What the scheduler handed over, and the message it renders to (as the real sender renders it). */
  payload: DigestPayload;
  reply: Reply;
  at: number;
  by: string;
}

export type CrashPoint = "before-send" | "after-send" | "in-recovery";

/**
 * Discord as the scheduler sees it: honours nonce + enforce_nonce for `nonceWindowMs` of the
 * injected clock, fails when told, and can "crash" the process: the call never returns, as if
 * the bot died between claiming the day and recording the message.
 */
export class FakeSender implements DigestSender {
  sendCalls = 0;
  findCalls = 0;
  readonly failures: DigestSendError[] = [];
  crashAt: CrashPoint | null = null;
  onCrash: (() => void) | null = null;
  /** What each send attempt rendered (before any failure or dedup), in order. */
  readonly renders: { nonce: string; reply: Reply }[] = [];
  /** False: the bot lacks Read Message History, so Discord answers the history with an empty list. */
  historyReadable = true;

  constructor(
    private readonly clock: Clock,
    readonly world: SentMessage[] = [],
    readonly tag = "bot",
    private readonly nonceWindowMs = 5 * 60_000,
  ) {}

  send({ channelId, nonce, payload }: { channelId: string; nonce: string; payload: DigestPayload }): Promise<{ messageId: string }> {
    this.sendCalls += 1;
    // Every attempt renders, as the real sender does: a resend's bytes come from the stored data.
    const reply = renderDigestPayload(payload);
    this.renders.push({ nonce, reply });
    if (this.crashAt === "before-send") return this.crash();
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    const now = this.clock.now();
    let message = this.world.find((m) => m.channelId === channelId && m.nonce === nonce && now - m.at <= this.nonceWindowMs);
    if (!message) {
      message = { id: String(this.world.length + 1), channelId, nonce, payload: structuredClone(payload), reply: structuredClone(reply), at: now, by: this.tag };
      this.world.push(message);
    }
    if (this.crashAt === "after-send") return this.crash();
    return Promise.resolve({ messageId: message.id });
  }

  findPosted({ channelId, marker, since }: { channelId: string; marker: string; since: number }): Promise<PostedCheck> {
    this.findCalls += 1;
    if (this.crashAt === "in-recovery") return this.crash();
    if (!this.historyReadable) return Promise.resolve({ messageId: null, complete: false }); // Discord's [] proves nothing
    const all = this.world.filter((m) => m.channelId === channelId);
    const recent = all.slice(-50);
    const found = recent.find((m) => m.reply.embeds?.some((e) => e.footer?.text === marker));
    return Promise.resolve({ messageId: found?.id ?? null, complete: found !== undefined || all.length < 50 || (recent[0]?.at ?? 0) < since });
  }

  private crash(): Promise<never> {
    this.crashAt = null;
    this.onCrash?.();
    return new Promise<never>(() => undefined);
  }
}

export const silentLogger = createLogger({ level: "silent" });

/** A real SQLite file in a fresh temporary folder. */
export function tempDatabase(): { file: string; open(): Database; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "agora-digest-"));
  const file = path.join(dir, "data", "agora.sqlite");
  return { file, open: () => openDatabase(file), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function scheduler(store: DigestStore, engine: Engine, sender: DigestSender, clock: Clock, extra: Partial<SchedulerOptions> = {}): DigestScheduler {
  return new DigestScheduler({ store, engine, sender, clock, logger: silentLogger, ...extra });
}

/** Resolves when the sender "crashes" the process (its call never returns). */
export function crashOf(sender: FakeSender): Promise<void> {
  return new Promise((resolve) => (sender.onCrash = () => resolve()));
}

/** Ticks as the live loop would (at each next wake-up) until `until`. Returns false if the process crashed. */
export async function live(s: DigestScheduler, sender: FakeSender, clock: Clock & { set(t: number): void }, until: number): Promise<boolean> {
  for (;;) {
    const crashed = new Promise<"crash">((resolve) => (sender.onCrash = () => resolve("crash")));
    const outcome = await Promise.race([s.tick().then(() => "ok" as const), crashed]);
    sender.onCrash = null;
    if (outcome === "crash") return false;
    const wake = Math.max(await s.nextWake(), clock.now() + 1_000);
    if (wake >= until) return true;
    clock.set(wake);
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const markerOf = (m: SentMessage) => m.reply.embeds?.at(-1)?.footer?.text ?? "";
