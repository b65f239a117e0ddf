import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCommands } from "../../src/discord/register.js";
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord } from "../../src/fake-discord/index.js";
import { commandPayloads } from "../../commands/index.js";

// The bot's entry (src/bot.ts, config from the environment) as a process, pointed at the fake. It runs the
// TypeScript through tsx, as `npm run dev` does; tests/build runs the compiled dist/ that `npm start` runs.
let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
  await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
});
afterAll(async () => {
  await fake.close();
});

function startBotProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/bot.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The environment of `npm start` against the fake, with a fresh database file. */
async function connectedEnv(): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "agora-start-"));
  return {
    DISCORD_TOKEN: fake.botToken,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    CORPUS_DIR: "corpus",
    DATABASE_PATH: path.join(dataDir, "agora.sqlite"),
    // Beside the database: the tests never write into the clone's own data folder.
    INDEX_SNAPSHOT_DIR: path.join(dataDir, "index-snapshots"),
    LOG_LEVEL: "info",
  };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("npm start against the fake Discord", () => {
  it("serves commands through DISCORD_API_URL and shuts down cleanly on SIGTERM, never logging the token", async () => {
    const bot = startBotProcess(await connectedEnv());
    await until(() => bot.output().includes('"msg":"bot ready"'));
    const reply = await fake.interact(fake.payloads.chatInput({ name: "quote", options: { query: "referendum" } }));
    expect(reply.callback.type).toBe(4);
    expect(JSON.stringify(reply.callback.data)).toContain("referendum");
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"bot stopped"');
    expect(bot.output()).not.toContain(fake.botToken);
  });

  it("exits 1 with a clear log line when the gateway closes with a code discord.js never reconnects from", async () => {
    const bot = startBotProcess(await connectedEnv());
    await until(() => bot.output().includes('"msg":"bot ready"'));
    // 4011 "sharding required": discord.js gives up on the connection for good.
    fake.disconnectGateway(4011);
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('"msg":"gateway closed for good; discord.js will not reconnect"');
    expect(bot.output()).toContain('"code":4011');
    expect(bot.output()).toContain('"msg":"bot stopped"');
  });

  it("fails at once, naming the missing variable, without a token", async () => {
    const bot = startBotProcess({ DISCORD_APPLICATION_ID: fake.applicationId });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain("DISCORD_TOKEN is missing");
    expect(bot.output()).toContain("npm run --silent cli");
  });
});
