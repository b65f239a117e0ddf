import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** How an interaction ended, as the error boundary (src/discord/interaction-create.ts) sees it. */
export type InteractionOutcome = "ok" | "user_error" | "busy" | "rate_limited" | "expired" | "fault";

/** What the bot reports as it runs; every part optional, so a bot without metrics pays nothing. */
export interface BotMetrics {
  interaction: (command: string, outcome: InteractionOutcome, seconds: number) => void;
  digestPost: (outcome: "sent" | "failed") => void;
  gatewayReconnect: () => void;
  corpusArticles: (count: number) => void;
}

/**
 * The bot's Prometheus metrics (prom-client), in a registry of their own so tests and several
 * bots in one process never share counters. Default Node metrics (memory, event-loop lag) too.
 */
export function createMetrics(): BotMetrics & { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "agora_" });
  const interactions = new Counter({ name: "agora_interactions_total", help: "Interactions handled, by command and outcome", labelNames: ["command", "outcome"], registers: [registry] });
  const latency = new Histogram({
    name: "agora_interaction_duration_seconds",
    help: "From receiving an interaction to its handler finishing, by command",
    labelNames: ["command"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const digests = new Counter({ name: "agora_digest_posts_total", help: "Daily digest posts, by outcome", labelNames: ["outcome"], registers: [registry] });
  const reconnects = new Counter({ name: "agora_gateway_reconnects_total", help: "Times a gateway shard started reconnecting", registers: [registry] });
  const articles = new Gauge({ name: "agora_corpus_articles", help: "Articles in the shared corpus being served", registers: [registry] });
  return {
    registry,
    interaction: (command, outcome, seconds) => {
      interactions.inc({ command, outcome });
      latency.observe({ command }, seconds);
    },
    digestPost: (outcome) => digests.inc({ outcome }),
    gatewayReconnect: () => reconnects.inc(),
    corpusArticles: (count) => articles.set(count),
  };
}
