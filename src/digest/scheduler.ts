import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { buildDigest, digestMarker, type BuiltDigest, type DigestInput, type DigestPayload } from "./content.js";
import { digestNonce, localDate, nextRun, scheduledAt } from "./schedule.js";
import { DigestSendError, NONCE_WINDOW_MS, systemClock, type Clock, type DigestSender, type PostedCheck } from "./sender.js";
import type { DigestRun, DigestSettings, DigestStore, NewRun, SettingsInput } from "./store.js";

/** A server's own library, when servers may add articles (src/library/). */
export interface DigestLibrary {
  /** The engine of a server's library and how its digest is built; undefined: the shared corpus. */
  forGuild(guildId: string): Promise<{ engine: Engine; compose: (input: DigestInput) => Promise<BuiltDigest> } | undefined>;
  /** Ids of the articles the server added after `from`, up to and including `until`. */
  addedBetween(guildId: string, from: number, until: number): Promise<string[]>;
}

export interface SchedulerOptions {
  /** The digest's state: SQLite or PostgreSQL (src/storage/storage.ts). */
  store: DigestStore;
  engine: Engine;
  sender: DigestSender;
  logger: Logger;
  /**
   * Builds a day's digest; default: on this thread with `engine`. The bot passes its analysis
   * worker, so a large library's digest never blocks interactions.
   */
  compose?: (input: DigestInput) => Promise<BuiltDigest>;
  clock?: Clock;
  /** Servers' own libraries: their digests quote them and list what they added as new. */
  library?: DigestLibrary;
  /** Whether this process schedules a server (its shard owns it). Default: every server. */
  owns?: (guildId: string) => boolean;
  /** Told of every post and every failed attempt (the bot's metrics). */
  onPost?: (outcome: "sent" | "failed") => void;
  /** How late a missed digest may still be posted on its local day. Default 6 h. */
  graceMs?: number;
  /** How long a process holds a run it works on before another may take it over. Default 60 s. */
  leaseMs?: number;
  /** Attempts per day on 429/5xx before giving up. Default 6. */
  maxAttempts?: number;
  /** Wait before retry n (1-based). Default 30 s × 2^(n−1), at most 30 min. */
  backoffMs?: (attempt: number) => number;
  /** How long after a claim a resend may rely on the nonce alone. Default NONCE_WINDOW_MS (2 min). */
  nonceWindowMs?: number;
}

export type PostOutcome =
  | { kind: "sent" | "already" | "busy"; run: DigestRun }
  | { kind: "failed"; run: DigestRun; error: string; paused: boolean; retrying: boolean };

export interface DigestStatus {
  settings: DigestSettings;
  next: { date: string; at: number } | null;
  lastPost: DigestRun | null;
  today: DigestRun | null;
}

export class DigestStateError extends Error {
  override name = "DigestStateError";
}

/**
 * Exactly one digest per server per local date. A run is claimed (a row keyed by server and
 * date, inserted in a write transaction) before anything is sent; it is sent with a nonce
 * derived from server and date and `enforce_nonce`; the message id is recorded after. A run
 * left claimed by a crash is resumed once its lease expires: the channel is searched for the
 * digest first, and only if it is not there is it sent again: same nonce, same stored content,
 * which the sender renders to the same bytes. Discord honours the nonce for minutes only: after
 * that, "not there" must be proved by a history read that reaches back past the claim, or the
 * run is closed unsent rather than risk a second post.
 */
export class DigestScheduler {
  readonly store: DigestStore;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly owns: (guildId: string) => boolean;
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly nonceWindowMs: number;
  private ticking: Promise<void> | null = null;

  /** The engine digests are built from; replaced when the corpus reloads (useEngine). */
  private engine: Engine;
  /** Libraries not yet noted as seen (in order): the one at start, then each reload's. */
  private readonly librarySyncs: { ids: string[]; at: number }[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger.child({ component: "digest" });
    this.owns = options.owns ?? (() => true);
    this.graceMs = options.graceMs ?? 6 * 3_600_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoffMs = options.backoffMs ?? ((n) => Math.min(30_000 * 2 ** (n - 1), 30 * 60_000));
    this.nonceWindowMs = options.nonceWindowMs ?? NONCE_WINDOW_MS;
    this.engine = options.engine;
    this.librarySyncs.push({ ids: this.engine.articles().map((a) => a.id), at: this.clock.now() });
  }

  /**
   * The corpus was reloaded: later digests are built from `engine`, and the articles it adds
   * count as new in the library from now on (digests already claimed keep what they were given).
   */
  useEngine(engine: Engine): void {
    this.engine = engine;
    this.librarySyncs.push({ ids: engine.articles().map((a) => a.id), at: this.clock.now() });
  }

  /**
   * Notes the libraries seen so far in the store (when each article was first seen), in order,
   * before anything reads them; one that fails to save is tried again by the next caller.
   */
  private async syncLibrary(): Promise<void> {
    for (let next = this.librarySyncs[0]; next; next = this.librarySyncs[0]) {
      await this.store.syncLibrary(next.ids, next.at);
      if (this.librarySyncs[0] === next) this.librarySyncs.shift();
    }
  }

  /** Posts every digest that is due and resumes open runs. Ticks never overlap. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** Resolves once the tick in progress (if any) is over. */
  async idle(): Promise<void> {
    await this.ticking?.catch(() => undefined);
  }

  private async runTick(): Promise<void> {
    await this.syncLibrary();
    for (const settings of await this.store.allSettings()) {
      if (!this.owns(settings.guildId) || !settings.enabled || settings.pausedReason !== null) continue;
      const now = this.clock.now();
      const date = localDate(now, settings.timezone);
      if (await this.store.run(settings.guildId, date)) continue;
      const at = scheduledAt(date, settings.time, settings.timezone);
      if (now < at || now >= at + this.graceMs || at < settings.scheduleSince) continue;
      const run = await this.claim(settings, date, false);
      if (run) await this.deliver(run);
    }
    for (const run of await this.store.openRuns()) {
      const now = this.clock.now();
      if (!this.owns(run.guildId) || run.leaseUntil > now || (run.nextAttemptAt ?? 0) > now) continue;
      if (await this.store.acquire(run.guildId, run.localDate, now, this.leaseMs)) await this.resume(run);
    }
  }

  /** When the next tick has work: a scheduled time, a retry, or a lease running out. */
  async nextWake(): Promise<number> {
    const now = this.clock.now();
    let wake = now + 3_600_000;
    for (const s of await this.store.allSettings()) {
      if (!this.owns(s.guildId) || !s.enabled || s.pausedReason !== null) continue;
      wake = Math.min(wake, (await this.nextFor(s))?.at ?? wake);
    }
    for (const run of await this.store.openRuns()) {
      if (this.owns(run.guildId)) wake = Math.min(wake, Math.max(run.leaseUntil, run.nextAttemptAt ?? 0, now));
    }
    return wake;
  }

  /** Builds a day's digest from the store's state (nothing is written). */
  private async build(settings: DigestSettings, date: string, now: number): Promise<NewRun> {
    const { guildId } = settings;
    const at = scheduledAt(date, settings.time, settings.timezone);
    const libraryUntil = Math.min(at, now);
    const from = (await this.store.lastSent(guildId, date))?.libraryUntil ?? settings.createdAt;
    const library = await this.options.library?.forGuild(guildId);
    const engine = library?.engine ?? this.engine;
    const added = (await this.options.library?.addedBetween(guildId, from, libraryUntil)) ?? [];
    await this.syncLibrary();
    const seen = new Set([...(await this.store.articlesSeen(from, libraryUntil)), ...added]);
    const input: DigestInput = {
      guildId,
      localDate: date,
      topic: settings.topic,
      roleId: settings.roleId,
      used: await this.store.usedPassages(guildId, date),
      rotation: await this.store.sentCount(guildId, date),
      newArticles: engine.articles().filter((a) => seen.has(a.id)),
    };
    const built = library ? await library.compose(input) : this.options.compose ? await this.options.compose(input) : buildDigest(this.engine, input);
    return {
      guildId,
      localDate: date,
      channelId: settings.channelId,
      nonce: digestNonce(guildId, date),
      content: built.content,
      citation: built.content.passage?.citation ?? null,
      cycle: built.cycle,
      libraryUntil,
      leaseUntil: now + this.leaseMs,
      claimedAt: now,
    };
  }

  /**
   * Claims (server, date) when it has no run yet, or with `again` (/digest now) when its run
   * failed or was missed; null otherwise. The digest is built first (building may wait on the
   * analysis worker); then one statement decides, atomically in either backend and across
   * processes: the insert of the (server, date) row, which loses to any row already there, or
   * the update of a closed run, which matches nothing once another claimer has taken it.
   */
  private async claim(settings: DigestSettings, date: string, again: boolean): Promise<DigestRun | null> {
    const existing = await this.store.run(settings.guildId, date);
    if (existing !== null && !(again && (existing.status === "failed" || existing.status === "missed"))) return null;
    const run = await this.build(settings, date, this.clock.now());
    const claimed = await this.store.claim(run);
    if (claimed || !again) return claimed;
    return this.store.reclaim(run);
  }

  /** A run a crashed or failed attempt left open: found in the channel, sent again, or closed. */
  private async resume(run: DigestRun): Promise<PostOutcome> {
    const settings = await this.store.settings(run.guildId);
    const where = { guildId: run.guildId, date: run.localDate, channelId: run.channelId };
    let check: PostedCheck | null = null;
    let readError: unknown = null;
    try {
      check = await this.options.sender.findPosted({ channelId: run.channelId, marker: digestMarker(run.localDate), since: run.claimedAt });
    } catch (error) {
      readError = error;
    }
    if (check?.messageId) return this.record(run, check.messageId, "found in the channel after a restart or retry");
    const now = this.clock.now();
    const today = localDate(now, settings?.timezone ?? "UTC") === run.localDate;
    const active = settings !== null && settings.enabled && settings.pausedReason === null;
    if (!today || !active) {
      const reason = today ? "the digest was turned off or paused before it was posted" : "the bot was down until the day was over; past days are never posted";
      await this.store.markClosed(run, "missed", reason);
      this.log.warn({ ...where, reason }, "digest not posted");
      return { kind: "failed", run, error: reason, paused: false, retrying: false };
    }
    // Every attempt comes after the claim. Within the nonce window of it, Discord answers a resend
    // with any message an earlier attempt made; after it, only a complete history read is proof.
    if (now - run.claimedAt < this.nonceWindowMs) {
      if (readError) this.log.warn({ ...where, err: readError }, "could not read the channel to resume a digest; resending with its nonce");
      return this.deliver(run);
    }
    if (check?.complete) return this.deliver(run);
    if (readError) return this.fail(run, readError); // 403/404 pause; otherwise read again later
    const reason =
      "couldn't confirm from the channel's history whether today's digest was already posted (I need Read Message History there), " +
      "so it was not sent again: a digest is never posted twice";
    await this.store.markClosed(run, "failed", reason);
    await this.store.noteError(run.guildId, reason, now, false);
    this.log.warn({ ...where, reason }, "digest not resent: its nonce window has passed and the history can't confirm it is missing");
    return { kind: "failed", run: (await this.store.run(run.guildId, run.localDate)) ?? run, error: reason, paused: false, retrying: false };
  }

  private async deliver(run: DigestRun): Promise<PostOutcome> {
    try {
      const { messageId } = await this.options.sender.send({ channelId: run.channelId, nonce: run.nonce, payload: run.payload });
      return this.record(run, messageId, "posted");
    } catch (error) {
      return this.fail(run, error);
    }
  }

  private async record(run: DigestRun, messageId: string, how: string): Promise<PostOutcome> {
    this.options.onPost?.("sent");
    await this.store.markSent(run, messageId, this.clock.now());
    await this.store.clearPause(run.guildId);
    this.log.info({ guildId: run.guildId, date: run.localDate, channelId: run.channelId, messageId, attempts: run.attempts + 1 }, `digest ${how}`);
    return { kind: "sent", run: (await this.store.run(run.guildId, run.localDate)) ?? run };
  }

  private async fail(run: DigestRun, error: unknown): Promise<PostOutcome> {
    this.options.onPost?.("failed");
    const failure = error instanceof DigestSendError ? error : new DigestSendError(error instanceof Error ? error.message : String(error), "transient");
    const now = this.clock.now();
    const attempts = run.attempts + 1;
    const where = { guildId: run.guildId, date: run.localDate, channelId: run.channelId, attempts, status: failure.status };
    const closed = async (paused: boolean, message: string): Promise<PostOutcome> => {
      await this.store.markClosed(run, "failed", message, attempts);
      await this.store.noteError(run.guildId, message, now, paused);
      return { kind: "failed", run: (await this.store.run(run.guildId, run.localDate)) ?? run, error: message, paused, retrying: false };
    };
    if (failure.kind === "permanent") {
      this.log.warn({ ...where, reason: failure.message }, "digest paused: Discord refused the post");
      return closed(true, failure.message);
    }
    if (failure.kind === "invalid") {
      this.log.error({ ...where, reason: failure.message }, "digest rejected by Discord; not retried");
      return closed(false, failure.message);
    }
    const next = now + Math.max(this.backoffMs(attempts), failure.retryAfterMs);
    const timezone = (await this.store.settings(run.guildId))?.timezone ?? "UTC";
    if (attempts >= this.maxAttempts || localDate(next, timezone) !== run.localDate) {
      this.log.error({ ...where, reason: failure.message }, "digest not posted: gave up retrying for today");
      return closed(false, `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${failure.message}`);
    }
    await this.store.markRetry(run, attempts, next, failure.message);
    await this.store.noteError(run.guildId, failure.message, now, false);
    this.log.warn({ ...where, reason: failure.message, retryAt: new Date(next).toISOString() }, "digest post failed; will retry");
    return { kind: "failed", run: (await this.store.run(run.guildId, run.localDate)) ?? run, error: failure.message, paused: false, retrying: true };
  }

  // ---- what the /digest commands use ----

  setup(input: SettingsInput): Promise<DigestSettings> {
    return this.store.saveSettings(input, this.clock.now());
  }

  off(guildId: string): Promise<boolean> {
    return this.store.disable(guildId, this.clock.now());
  }

  private async requireSettings(guildId: string): Promise<DigestSettings> {
    const settings = await this.store.settings(guildId);
    if (!settings) throw new DigestStateError("There is no daily digest here yet: set one up with /digest setup.");
    return settings;
  }

  private async nextFor(settings: DigestSettings): Promise<{ date: string; at: number } | null> {
    if (!settings.enabled || settings.pausedReason !== null) return null;
    const now = this.clock.now();
    const today = localDate(now, settings.timezone);
    const todays = await this.store.run(settings.guildId, today);
    if (!todays) {
      const at = scheduledAt(today, settings.time, settings.timezone);
      if (now >= at && now < at + this.graceMs && at >= settings.scheduleSince) return { date: today, at: now };
    }
    // The first scheduled time after now whose date has no run yet.
    for (let from = now; ; ) {
      const next = nextRun(from, settings.time, settings.timezone);
      if (!(await this.store.run(settings.guildId, next.date))) return next;
      from = next.at;
    }
  }

  async status(guildId: string): Promise<DigestStatus> {
    const settings = await this.requireSettings(guildId);
    const today = await this.store.run(guildId, localDate(this.clock.now(), settings.timezone));
    return { settings, next: await this.nextFor(settings), lastPost: await this.store.lastSent(guildId), today };
  }

  /** Exactly what today's post is (once claimed) or would be (before), for the Discord layer to render. */
  async preview(guildId: string): Promise<{ payload: DigestPayload; date: string; posted: DigestRun | null }> {
    const settings = await this.requireSettings(guildId);
    const now = this.clock.now();
    const date = localDate(now, settings.timezone);
    const run = await this.store.run(guildId, date);
    if (run && run.status !== "failed" && run.status !== "missed") return { payload: run.payload, date, posted: run };
    return { payload: { kind: "content", content: (await this.build(settings, date, now)).content }, date, posted: null };
  }

  /** Posts today's digest now (it counts as today's); a failed one of today is tried again. */
  async postNow(guildId: string): Promise<PostOutcome> {
    const settings = await this.requireSettings(guildId);
    if (!settings.enabled) throw new DigestStateError("The daily digest is off here: turn it on again with /digest setup.");
    const date = localDate(this.clock.now(), settings.timezone);
    const run = await this.claim(settings, date, true);
    if (run) return this.deliver(run);
    const existing = await this.store.run(guildId, date);
    if (!existing) throw new DigestStateError("Today's digest could not be claimed; try again in a moment.");
    return { kind: existing.status === "sent" ? "already" : "busy", run: existing };
  }
}
