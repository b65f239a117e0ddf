import { randomBytes } from "node:crypto";

/** How long buttons on an answer keep working. */
export const COMPONENT_TTL_MS = 15 * 60 * 1000;

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
  readonly #entries = new Map<string, Entry<unknown>>();
  readonly #now: () => number;
  readonly #ttl: number;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#ttl = options.ttlMs ?? COMPONENT_TTL_MS;
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
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return { value: entry.value as T, ownerId: entry.ownerId };
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
  }
}
