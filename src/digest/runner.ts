import type { Logger } from "../logging.js";
import type { DigestScheduler } from "./scheduler.js";
import { systemClock, type Clock } from "./sender.js";

/**
 * Runs the scheduler's ticks on a timer: at the next scheduled time or retry, at least once a
 * minute. The Discord side (src/discord/digest-loop.ts) builds the scheduler with its sender.
 */
export class DigestLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The tick and wake-up reading in progress, which stop() waits for (it reads the database). */
  private running: Promise<void> | null = null;

  constructor(
    readonly scheduler: DigestScheduler,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    private readonly autoTick = true,
  ) {}

  /**
   * Starts ticking (unless autoTick is off): the first tick, at once, resolves runs a previous
   * process left claimed and catches up on today's digests; it runs in the background.
   */
  start(): Promise<void> {
    this.stopped = !this.autoTick;
    if (this.autoTick) this.running = this.run();
    return Promise.resolve();
  }

  private async run(): Promise<void> {
    try {
      await this.scheduler.tick();
    } catch (error) {
      this.logger.error({ err: error, component: "digest" }, "digest tick failed");
    }
    if (this.stopped) return;
    let wake: number;
    try {
      wake = await this.scheduler.nextWake();
    } catch (error) {
      // The database did not answer: look again in a minute.
      this.logger.error({ err: error, component: "digest" }, "digest could not read its schedule");
      wake = this.clock.now() + 60_000;
    }
    if (this.stopped) return;
    const wait = Math.min(Math.max(wake - this.clock.now(), 1_000), 60_000);
    this.timer = setTimeout(() => {
      this.running = this.run();
    }, wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.scheduler.idle();
  }
}
