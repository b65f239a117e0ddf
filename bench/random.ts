/** Small deterministic random helpers for the benchmark: same seed, same corpus, same queries. */

/** mulberry32: a tiny 32-bit PRNG, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with a stream number (e.g. an article index) into an independent seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }
}

/**
 * Samples ranks 0..n-1 with a Zipf–Mandelbrot law, p(r) ∝ scale(r) / (r + 1 + shift)^exponent,
 * by binary search over the cumulative weights. `scale` defaults to 1 for every rank.
 */
export class ZipfSampler {
  readonly #cumulative: Float64Array;

  constructor(size: number, exponent = 1, shift = 2.7, scale: (rank: number) => number = () => 1) {
    if (size < 1) throw new RangeError("a Zipf sampler needs at least one rank");
    this.#cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += scale(rank) / Math.pow(rank + 1 + shift, exponent);
      this.#cumulative[rank] = total;
    }
  }

  get size(): number {
    return this.#cumulative.length;
  }

  /** Probability mass of ranks `from` (inclusive) to `to` (exclusive). */
  mass(from: number, to: number): number {
    const c = this.#cumulative;
    const total = c[c.length - 1] ?? 0;
    const upTo = (rank: number): number => (rank <= 0 ? 0 : (c[Math.min(rank, c.length) - 1] ?? 0));
    return total > 0 ? (upTo(to) - upTo(from)) / total : 0;
  }

  sample(rng: Rng): number {
    const cumulative = this.#cumulative;
    const target = rng.next() * (cumulative[cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
