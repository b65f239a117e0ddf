import { setTimeout as sleep } from "node:timers/promises";
import type { VectorCache } from "./cache.js";
import type { PassageVectors } from "./passage-vectors.js";
import { EmbeddingsError, type EmbeddingsProvider } from "./provider.js";

export interface EmbedLibraryOptions {
  signal: AbortSignal;
  /** After a batch has used all its attempts, how long to wait before trying it again. */
  pauseMs: number;
  /** Told once per failed batch (the caller rate-limits what it logs). */
  onFailure: (error: EmbeddingsError) => void;
  /** After each stored batch: how many distinct texts are still missing. */
  onProgress?: (missing: number) => void;
}

/**
 * Embeds every passage text that has no vector yet, one batch at a time, storing each batch in
 * the cache as soon as it arrives (an interrupted run keeps what it paid for). A provider that
 * stays down pauses the work, never ends it; one that refuses for good (a bad key, an unknown
 * model: 4xx) ends it with that error, as trying again would only repeat the refusal.
 */
export async function embedLibrary(vectors: PassageVectors, provider: EmbeddingsProvider, cache: VectorCache, options: EmbedLibraryOptions): Promise<void> {
  const todo = vectors.unembedded();
  for (let i = 0; i < todo.length; i += provider.batchSize) {
    const batch = todo.slice(i, i + provider.batchSize);
    const embedded = await embedWithPauses(
      batch.map((item) => item.text),
      provider,
      options,
    );
    options.signal.throwIfAborted();
    cache.put(
      provider.model,
      batch.map((item, j) => [item.hash, embedded[j] ?? new Float32Array()] as const),
    );
    batch.forEach((item, j) => {
      const vector = embedded[j];
      if (vector) vectors.set(item.index, vector);
    });
    options.onProgress?.(vectors.missing);
  }
}

async function embedWithPauses(texts: string[], provider: EmbeddingsProvider, options: EmbedLibraryOptions): Promise<Float32Array[]> {
  for (;;) {
    try {
      return await provider.embedBatch(texts, options.signal);
    } catch (error) {
      options.signal.throwIfAborted();
      if (!(error instanceof EmbeddingsError) || !error.retryable) throw error;
      options.onFailure(error);
      await sleep(options.pauseMs, undefined, { signal: options.signal });
    }
  }
}
