/**
 * A sliding-window limit per user: at most `limit` commands in any `windowMs`. Autocomplete is
 * not counted (it fires on every keystroke).
 */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

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
