import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

/**
 * A client for the OpenAI-compatible embeddings API (`POST …/v1/embeddings`), which OpenAI,
 * Ollama, LM Studio, vLLM and llama.cpp's server all speak: `{input: string[], model}` →
 * `{data: [{embedding: number[], index}], model}`.
 */
export interface ProviderOptions {
  url: string;
  model: string;
  apiKey?: string | undefined;
  /** Most inputs in one request (servers cap a request's size; 64 short passages suit them all). */
  batchSize?: number;
  /** Attempts of a background batch before giving up on it (429, 5xx, network errors). */
  attempts?: number;
  /** First backoff; it doubles per attempt. */
  backoffMs?: number;
  /** Longest wait for one background request (a cold local model can take a while to load). */
  requestTimeoutMs?: number;
}

/** Why a request failed; `retryable` when trying again later may succeed (429, 5xx, network, timeout). */
export class EmbeddingsError extends Error {
  override name = "EmbeddingsError";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** A server's Retry-After, in ms, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const responseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()).min(1), index: z.number().int().nonnegative() })),
});

/** Longest Retry-After honoured: a longer one is the server asking us to stop, which the caller decides. */
const MAX_RETRY_AFTER_MS = 30_000;

export class EmbeddingsProvider {
  readonly url: string;
  readonly model: string;
  readonly batchSize: number;
  readonly #apiKey: string | undefined;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #requestTimeoutMs: number;

  constructor(options: ProviderOptions) {
    this.url = options.url;
    this.model = options.model;
    this.#apiKey = options.apiKey;
    this.batchSize = options.batchSize ?? 64;
    this.#attempts = options.attempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 500;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  }

  /** One query's vector, one attempt, within `timeoutMs`: a query cannot wait for retries. */
  async embedQuery(text: string, timeoutMs: number): Promise<Float32Array> {
    const [vector] = await this.#request([text], AbortSignal.timeout(timeoutMs));
    if (!vector) throw new EmbeddingsError("the provider returned no vector", false);
    return vector;
  }

  /**
   * The vectors of up to `batchSize` texts, in order, retried with exponential backoff on
   * 429, 5xx and network errors (honouring Retry-After). No jitter: one bot is one client,
   * there is no herd to spread out.
   */
  async embedBatch(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length > this.batchSize) throw new RangeError(`at most ${this.batchSize} texts per batch, not ${texts.length}`);
    for (let attempt = 1; ; attempt++) {
      try {
        const timeout = AbortSignal.timeout(this.#requestTimeoutMs);
        return await this.#request(texts, signal ? AbortSignal.any([signal, timeout]) : timeout);
      } catch (error) {
        if (signal?.aborted || !(error instanceof EmbeddingsError) || !error.retryable || attempt >= this.#attempts) throw error;
        const wait = Math.max(error.retryAfterMs ?? 0, this.#backoffMs * 2 ** (attempt - 1));
        await sleep(wait, undefined, signal ? { signal } : {});
      }
    }
  }

  async #request(texts: readonly string[], signal: AbortSignal): Promise<Float32Array[]> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}) },
        body: JSON.stringify({ input: texts, model: this.model }),
        signal,
      });
    } catch (error) {
      const reason = signal.aborted ? "timed out" : `unreachable (${describe(error)})`;
      throw new EmbeddingsError(`embeddings provider ${this.url} ${reason}`, true);
    }
    if (!response.ok) {
      // The body says why (unknown model, bad key); it is the provider's text, kept short for the log.
      const detail = (await response.text().catch(() => "")).slice(0, 200);
      const retryable = response.status === 429 || response.status >= 500;
      throw new EmbeddingsError(`embeddings provider answered ${response.status}${detail ? `: ${detail}` : ""}`, retryable, retryAfter(response));
    }
    let parsed;
    try {
      parsed = responseSchema.parse(await response.json());
    } catch (error) {
      if (signal.aborted) throw new EmbeddingsError(`embeddings provider ${this.url} timed out`, true);
      throw new EmbeddingsError(`embeddings provider sent an unexpected answer: ${describe(error)}`, false);
    }
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const item of parsed.data) if (item.index < texts.length) vectors[item.index] = normalized(item.embedding);
    const dims = vectors[0]?.length;
    for (let i = 0; i < texts.length; i++) {
      if (vectors[i] === undefined) throw new EmbeddingsError(`embeddings provider sent no vector for input ${i}`, false);
      if (vectors[i]?.length !== dims) throw new EmbeddingsError("embeddings provider sent vectors of different lengths", false);
    }
    return vectors;
  }
}

/** Unit length, so cosine similarity is a dot product. */
export function normalized(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return undefined;
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
}
