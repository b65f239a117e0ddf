import type { EmbeddingsConfig } from "../config.js";
import type { Engine } from "../engine.js";
import type { Logger } from "../logging.js";
import { VectorCache } from "./cache.js";
import { HybridSearch, type HybridOptions } from "./hybrid.js";
import { EmbeddingsProvider, type ProviderOptions } from "./provider.js";

export { HybridSearch, type HybridOptions, type HybridState } from "./hybrid.js";

/**
 * Hybrid search from the embeddings settings: the provider client, the vector cache file and
 * the wrapper around the engine. Nothing is sent until `hybrid.start()`; `close()` stops the
 * background work, then closes the cache.
 */
export function openHybridSearch(
  config: EmbeddingsConfig,
  engine: Engine,
  logger: Logger,
  options: HybridOptions & Pick<ProviderOptions, "batchSize" | "attempts" | "backoffMs"> = {},
): { hybrid: HybridSearch; forEngine: (engine: Engine) => HybridSearch; close(): Promise<void> } {
  const { batchSize, attempts, backoffMs, ...hybridOptions } = options;
  const provider = new EmbeddingsProvider({
    url: config.url,
    model: config.model,
    apiKey: config.apiKey,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(attempts === undefined ? {} : { attempts }),
    ...(backoffMs === undefined ? {} : { backoffMs }),
  });
  const cache = VectorCache.open(config.cacheFile);
  const hybrid = new HybridSearch(engine, provider, cache, logger, hybridOptions);
  return {
    hybrid,
    // A reloaded corpus: the same provider and cache, so only changed passage texts are embedded.
    forEngine: (next) => new HybridSearch(next, provider, cache, logger, hybridOptions),
    async close() {
      await hybrid.stop();
      cache.close();
    },
  };
}
