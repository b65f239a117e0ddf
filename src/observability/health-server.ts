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
  /** May wait on a round trip to the database server (at most CHECK_TIMEOUT_MS). */
  database: () => HealthCheck | Promise<HealthCheck>;
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
      void Promise.all([safely(options.checks.gateway), safely(options.checks.database), safely(options.checks.corpus)]).then(([gateway, database, corpus]) => {
        const checks = { gateway, database, corpus };
        const ok = Object.values(checks).every((check) => check.ok);
        response.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, checks }));
      });
      return;
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

/** How long /healthz waits for a check (a database round trip) before calling it failed. */
const CHECK_TIMEOUT_MS = 2_000;

/** A check that throws, rejects or hangs is a failed check, not a crashed or stuck endpoint. */
async function safely(check: () => HealthCheck | Promise<HealthCheck>): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
    });
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
