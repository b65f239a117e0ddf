import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { registerCommands } from "../../src/discord/register.js";
import { DEFAULT_IDS, startFakeDiscord } from "../../src/fake-discord/index.js";
import { commandPayloads } from "../../commands/index.js";
import { ConfigError, loadPlaygroundConfig, startMode } from "../../src/config.js";

// `npm start` (src/start.ts) as a process: without a token the playground, with one the bot.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "agora-start-playground-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until<T>(get: () => T | null | undefined, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = get();
    if (value !== null && value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("npm start", () => {
  it("without a token starts the playground, prints one line with its URL, and the page answers /quote", async () => {
    const startedAt = Date.now();
    const playground = start({ PLAYGROUND_PORT: "0", PLAYGROUND_DATABASE_PATH: path.join(dataDir, "playground.sqlite"), CORPUS_DIR: "corpus" });
    const url = await until(() => /^Agora playground: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(playground.stdout())?.[1]);
    const post = (pathname: string, body: unknown) => fetch(new URL(pathname, url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(await (await post("/api/send", { userId: DEFAULT_IDS.alice, line: "/quote query: referendum" })).json()).toEqual({ ok: true });
    const messages = (await (await fetch(new URL("/api/messages", url))).json()) as { embeds: unknown[] }[];
    expect(messages.at(-1)?.embeds.length).toBe(1);
    // The promise is under 10 s on an idle machine (README); other test files run beside this one,
    // so the guard here is twice that: it catches a start-up that got slow, not a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(playground.stdout().trim().split("\n")).toHaveLength(1);
    playground.child.kill("SIGTERM");
    expect(await playground.exited).toBe(0);
    expect(playground.stderr()).toBe("");
  });

  it("names the variable to change when the port is taken, and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const port = (blocker.address() as AddressInfo).port;
    const playground = start({ PLAYGROUND_PORT: String(port), PLAYGROUND_DATABASE_PATH: path.join(dataDir, "taken.sqlite"), CORPUS_DIR: "corpus" });
    expect(await playground.exited).toBe(1);
    blocker.close();
    expect(playground.stderr()).toContain(`agora playground: port ${port} is in use: set PLAYGROUND_PORT to another one`);
  });

  it("with a token runs the bot on Discord's API (here the fake one), not the playground", async () => {
    const fake = await startFakeDiscord();
    await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
    const bot = start({ DISCORD_TOKEN: fake.botToken, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: path.join(dataDir, "bot.sqlite"), INDEX_SNAPSHOT_DIR: path.join(dataDir, "index-snapshots"), LOG_LEVEL: "info" });
    await until(() => (bot.stdout().includes('"msg":"bot ready"') ? true : null));
    expect(bot.stdout()).not.toContain("Agora playground");
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    await fake.close();
  });
});

describe("the playground's configuration", () => {
  it("defaults to port 3000, its own database file and quiet logs; PLAYGROUND_PORT must be a port", () => {
    const config = loadPlaygroundConfig({}, "/srv/agora");
    expect(config).toMatchObject({ port: 3000, databaseFile: "/srv/agora/data/playground.sqlite", logLevel: "warn", corpusDir: "/srv/agora/corpus" });
    expect(loadPlaygroundConfig({ PLAYGROUND_PORT: "0", LOG_LEVEL: "debug" }).port).toBe(0);
    expect(() => loadPlaygroundConfig({ PLAYGROUND_PORT: "http" })).toThrow(ConfigError);
    expect(() => loadPlaygroundConfig({ PLAYGROUND_PORT: "70000" })).toThrow(/PLAYGROUND_PORT/);
  });

  it("starts the bot only when a token is set", () => {
    expect(startMode({})).toBe("playground");
    expect(startMode({ DISCORD_TOKEN: "  " })).toBe("playground");
    expect(startMode({ DISCORD_TOKEN: "x.y.z" })).toBe("bot");
  });
});
