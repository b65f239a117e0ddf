import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "../../src/embeddings/fusion.js";
import { EmbeddingsError, EmbeddingsProvider } from "../../src/embeddings/provider.js";
import { conceptVector, startFakeProvider, type FakeProvider } from "./fake-provider.js";

let fake: FakeProvider;
beforeEach(async () => {
  fake = await startFakeProvider();
});
afterEach(async () => {
  await fake.close();
});

const provider = (options: { apiKey?: string; attempts?: number; backoffMs?: number; batchSize?: number } = {}) =>
  new EmbeddingsProvider({ url: fake.url, model: "fake-model", ...options });

describe("EmbeddingsProvider", () => {
  it("posts {input, model} and returns unit vectors in input order, the key as a Bearer token", async () => {
    const vectors = await provider({ apiKey: "sk-test-key" }).embedBatch(["buying oil", "unoccupied portions"]);
    expect(fake.requests).toEqual([{ input: ["buying oil", "unoccupied portions"], model: "fake-model", authorization: "Bearer sk-test-key", at: expect.any(Number) as number }]);
    const expected = conceptVector("buying oil");
    const norm = Math.hypot(...expected);
    expect([...(vectors[0] ?? [])].map((x) => x.toFixed(5))).toEqual(expected.map((x) => (x / norm).toFixed(5)));
    expect(Math.hypot(...(vectors[1] ?? []))).toBeCloseTo(1, 5);
  });

  it("refuses a batch larger than its batch size", async () => {
    await expect(provider({ batchSize: 2 }).embedBatch(["a", "b", "c"])).rejects.toThrow(RangeError);
    expect(fake.requests).toHaveLength(0);
  });

  it("honours Retry-After on a 429 when it is longer than the backoff", async () => {
    fake.retryAfter = 0.3;
    fake.failNext(429);
    await provider({ backoffMs: 10 }).embedBatch(["oil"]);
    const [first, second] = fake.requests.map((request) => request.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it("stops after its attempts, and never retries a 4xx refusal other than 429", async () => {
    fake.failNext(503, 503);
    await expect(provider({ attempts: 2, backoffMs: 5 }).embedBatch(["oil"])).rejects.toMatchObject({ name: "EmbeddingsError", retryable: true });
    expect(fake.requests).toHaveLength(2);
    fake.failNext(404);
    const error = await provider({ attempts: 5, backoffMs: 5 }).embedBatch(["oil"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingsError);
    expect((error as EmbeddingsError).message).toMatch(/404: .*fake failure 404/);
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up on a query within its timeout when the provider hangs", async () => {
    fake.hang = true;
    const started = performance.now();
    await expect(provider().embedQuery("oil", 200)).rejects.toThrow(/timed out/);
    expect(performance.now() - started).toBeLessThan(600);
  });

  it("reports an unreachable provider as retryable", async () => {
    const url = fake.url;
    await fake.close();
    const error = await new EmbeddingsProvider({ url, model: "m", attempts: 1 }).embedBatch(["oil"]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "EmbeddingsError", retryable: true });
    fake = await startFakeProvider();
  });
});

describe("reciprocal rank fusion", () => {
  it("scores 1/(60 + rank) summed over the rankings", () => {
    const scores = reciprocalRankFusion([
      ["a", "b", "c"],
      ["c", "a"],
    ]);
    expect(scores.get("a")).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(scores.get("b")).toBeCloseTo(1 / 62, 12);
    expect(scores.get("c")).toBeCloseTo(1 / 63 + 1 / 61, 12);
    // Found by both rankings beats first in one only.
    expect([...scores.entries()].sort((x, y) => y[1] - x[1]).map(([key]) => key)).toEqual(["a", "c", "b"]);
  });
});
