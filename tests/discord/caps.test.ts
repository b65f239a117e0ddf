import { describe, expect, it } from "vitest";
import { cachedTopics, eligiblePassages, MAX_CACHED_TOPICS } from "../../src/digest/content.js";
import { RateLimiter } from "../../src/discord/rate-limit.js";
import { ComponentState } from "../../src/discord/state.js";
import { loadEngine } from "../../src/engine.js";

// Memory a long-running bot must not grow without bound: button state, per-user rate windows and
// the digest's per-topic material each have a cap.
describe("bounded in-memory state", () => {
  it("keeps at most `max` button states, dropping the oldest first", () => {
    const state = new ComponentState({ max: 3 });
    const ids = ["a", "b", "c", "d"].map((owner) => state.put(owner, { owner }));
    expect(state.size).toBe(3);
    expect(state.get(ids[0] ?? "")).toBeUndefined();
    expect(state.get(ids[3] ?? "")).toEqual({ value: { owner: "d" }, ownerId: "d" });
  });

  it("sweeps expired button states when a new one is stored", () => {
    let now = 0;
    const state = new ComponentState({ now: () => now, ttlMs: 1000 });
    for (let i = 0; i < 50; i++) state.put("alice", { i });
    now = 2000;
    state.put("bob", {});
    expect(state.size).toBe(1);
  });

  it("remembers at most `maxUsers` users in the rate limiter, and still limits the recent ones", () => {
    let now = 0;
    const limiter = new RateLimiter(1, 10_000, () => now, 100);
    for (let i = 0; i < 200_000; i++) limiter.take(`user-${i}`);
    expect(limiter.size).toBe(100);
    now = 1;
    expect(limiter.take("user-199999")).toBeGreaterThan(0);
  });

  it("remembers the digest material of at most MAX_CACHED_TOPICS topics per corpus", async () => {
    const engine = await loadEngine({ corpusDir: "corpus" });
    const library = eligiblePassages(engine, null);
    for (let i = 0; i < MAX_CACHED_TOPICS + 50; i++) eligiblePassages(engine, `ceasefire ${i}`);
    expect(cachedTopics(engine).passages).toBe(MAX_CACHED_TOPICS);
    // The whole library's pool is computed once per corpus: topic churn never evicts it.
    expect(eligiblePassages(engine, null)).toBe(library);
  });
});
