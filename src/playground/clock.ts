import type { Clock } from "../digest/sender.js";

/**
 * The digest's clock in the playground: the real time, moved forward on request, so a day's
 * digest can be seen without waiting for it. Only the digest reads it; messages keep real times.
 */
export class PlaygroundClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock to `instant` (never backwards: a digest day that has run stays run). */
  jumpTo(instant: number): void {
    this.offsetMs = Math.max(this.offsetMs, instant - Date.now());
  }
}
