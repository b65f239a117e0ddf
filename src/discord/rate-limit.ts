import { LRUCache } from "lru-cache";

/** Users whose recent uses are remembered; a user forgotten early only gets a fresh window. */
export const MAX_TRACKED_USERS = 20_000;

/**
 * A sliding-window limit per user: at most `limit` uses in any `windowMs`. Commands and
 * autocomplete keystrokes each have their own limiter.
 */
export class RateLimiter {
  readonly #hits: LRUCache<string, number[]>;

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
    maxUsers = MAX_TRACKED_USERS,
  ) {
    this.#hits = new LRUCache({ max: maxUsers });
  }

  /** Users currently remembered. */
  get size(): number {
    return this.#hits.size;
  }

  /** Records a use; returns 0 when allowed, else the milliseconds until the next one is. */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.#hits.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.#hits.set(userId, recent);
      return this.windowMs - (now - (recent[0] ?? now));
    }
    recent.push(now);
    this.#hits.set(userId, recent);
    return 0;
  }
}
