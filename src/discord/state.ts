import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

/** How long buttons on an answer keep working. */
export const COMPONENT_TTL_MS = 15 * 60 * 1000;
/**
 * Most answers whose buttons work at once (a quote's paging state is about 5 KB, so about
 * 50 MB at most); past it the least recently used answer's buttons expire early.
 */
export const MAX_COMPONENT_STATES = 10_000;

interface Entry<T> {
  value: T;
  ownerId: string;
  expiresAt: number;
}

/**
 * Short-lived state behind buttons (result lists to page through), keyed by a random id that
 * goes into the custom id. Kept in memory: after a restart or expiry the button says so.
 */
export class ComponentState {
  readonly #entries: LRUCache<string, Entry<unknown>>;
  readonly #now: () => number;
  readonly #ttl: number;

  constructor(options: { now?: () => number; ttlMs?: number; max?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#ttl = options.ttlMs ?? COMPONENT_TTL_MS;
    this.#entries = new LRUCache({ max: options.max ?? MAX_COMPONENT_STATES });
  }

  /** Stores a value owned by one user and returns its id (8 url-safe characters). */
  put<T>(ownerId: string, value: T): string {
    this.#sweep();
    const id = randomBytes(6).toString("base64url");
    this.#entries.set(id, { value, ownerId, expiresAt: this.#now() + this.#ttl });
    return id;
  }

  /** The stored value and its owner, or undefined when unknown or expired. */
  get<T>(id: string): { value: T; ownerId: string } | undefined {
    // peek, not get: entries stay in the order they were stored, which is the order they expire in.
    const entry = this.#entries.peek(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return { value: entry.value as T, ownerId: entry.ownerId };
  }

  /** Replaces a live value (an edited draft), keeping its owner and expiry; false when it is gone. */
  replace<T>(id: string, value: T): boolean {
    const entry = this.#entries.peek(id);
    if (!entry || entry.expiresAt <= this.#now()) return false;
    entry.value = value;
    return true;
  }

  /** Forgets a value whose buttons are done (an added or cancelled draft). */
  delete(id: string): void {
    this.#entries.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.#now();
    // Oldest first: stop at the first entry still alive.
    const expired: string[] = [];
    for (const id of this.#entries.rkeys()) {
      const entry = this.#entries.peek(id);
      if (entry && entry.expiresAt > now) break;
      expired.push(id);
    }
    for (const id of expired) this.#entries.delete(id);
  }
}
