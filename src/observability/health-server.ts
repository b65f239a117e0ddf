import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** One check of /healthz: whether it holds, and a word on it. */
export interface HealthCheck {
  ok: boolean;
  detail: string;
}

export interface HealthSources {
  /** Per gateway shard: connected or not. */
  gateway: () => HealthCheck;
  database: () => HealthCheck;
  corpus: () => HealthCheck;
}

/**
 * `/healthz` (200 when the gateway, the database and the corpus are all fine, 503 otherwise, with
 * each check in JSON) and `/metrics` (Prometheus text format) for an operator or an orchestrator.
 * Started only when HEALTH_PORT is set.
 */
export async function startHealthServer(options: { port: number; host: string; registry: Registry; checks: HealthSources }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET") return void response.writeHead(405, { allow: "GET" }).end();
    if (path === "/healthz") {
      const checks = { gateway: safely(options.checks.gateway), database: safely(options.checks.database), corpus: safely(options.checks.corpus) };
      const ok = Object.values(checks).every((check) => check.ok);
      return void response.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, checks }));
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": options.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404).end();
  });
  server.listen(options.port, options.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A check that throws is a failed check, not a crashed endpoint. */
function safely(check: () => HealthCheck): HealthCheck {
  try {
    return check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
