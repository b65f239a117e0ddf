import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPayloads } from "../../commands/index.js";
import { registerCommands } from "../../src/discord/register.js";
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord } from "../../src/fake-discord/index.js";
import { bodyOf } from "../e2e/bot-harness.js";

// The production build as a fresh clone gets it: `npm start` compiles to dist/ and runs JavaScript.
// It runs in a copy of the project (its sources, corpus and configs) so it never races anyone's
// dist/, and that copy's node_modules holds every package but tsx: compiled code, the analysis
// thread included, must not need it.
const root = process.cwd();
const project = mkdtempSync(path.join(os.tmpdir(), "agora-build-"));
const dist = (...parts: string[]) => path.join(project, "dist", ...parts);
// npm, and the `npm run build` that prestart runs, find npm, sh and node on the PATH.
// eslint-disable-next-line no-restricted-properties
const PATH = process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin";

beforeAll(() => {
  for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "src", "commands", "corpus"]) {
    cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
  }
  mkdirSync(path.join(project, "node_modules"));
  for (const name of readdirSync(path.join(root, "node_modules"))) {
    if (name !== "tsx") symlinkSync(path.join(root, "node_modules", name), path.join(project, "node_modules", name));
  }
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string>) {
  // Its own process group: `npm start` is npm → sh → node, and a terminal's Ctrl-C reaches all three.
  const child = spawn(command, args, { cwd: project, env: { HOME: project, npm_config_update_notifier: "false", ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve((exitCode = code))));
  /** Throws, with the output, once the process has ended: what it was awaited for will not come. */
  const alive = () => {
    if (exitCode !== undefined) throw new Error(`${command} ${args.join(" ")} exited with ${exitCode}:\n${stdout}\n${stderr}`);
  };
  const stopGroup = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // The group has already gone.
    }
  };
  return { child, exited, alive, stdout: () => stdout, stderr: () => stderr, stopGroup };
}

async function until<T>(get: () => T | null | undefined | Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await get();
    if (value !== null && value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the production build", () => {
  it("`npm start` on a fresh clone builds dist/, then serves the playground from JavaScript, summaries from the compiled analysis thread", async () => {
    expect(existsSync(dist())).toBe(false);
    const started = run("npm", ["start"], { PATH, PLAYGROUND_PORT: "0", PLAYGROUND_DATABASE_PATH: path.join(project, "playground.sqlite") });
    try {
      const url = await until(() => {
        started.alive();
        return /Agora playground: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(started.stdout())?.[1];
      }, 45_000);
      expect(started.stdout()).toContain("node dist/src/start.js");
      expect(existsSync(dist("src", "playground", "web", "index.html"))).toBe(true);
      // The worker's tsx shim is for the TypeScript sources only.
      expect(existsSync(dist("src", "workers", "analysis-worker.mjs"))).toBe(false);

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('src="/app.mjs"');
      expect((await fetch(new URL("/app.mjs", url))).status).toBe(200);

      const send = async (line: string) => {
        const response = await fetch(new URL("/api/send", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: DEFAULT_IDS.alice, line }) });
        expect(await response.json()).toEqual({ ok: true });
      };
      type Message = { loading: boolean; embeds: { titleHtml: string | null; descriptionHtml: string | null }[] };
      const last = async () => ((await (await fetch(new URL("/api/messages", url))).json()) as Message[]).at(-1);
      await send("/quote query: referendum");
      expect((await last())?.embeds).toHaveLength(1);
      await send("/summarize article: putin-is-playing-trump-for-a-fool length: short");
      const summary = await until(async () => {
        const message = await last();
        return message && !message.loading && message.embeds[0]?.titleHtml?.startsWith("Summary") ? message : null;
      }, 10_000);
      expect(summary.embeds[0]?.titleHtml).toContain("Summary of article");
      expect(summary.embeds[0]?.descriptionHtml).toContain("putin-is-playing-trump-for-a-fool:1.1");
    } finally {
      started.stopGroup();
      await started.exited;
    }
  }, 60_000);

  it("the compiled bot (the Docker image's command) answers on Discord, its analysis thread too, and stops cleanly on SIGTERM", async () => {
    const fake: FakeDiscord = await startFakeDiscord();
    try {
      await registerCommands({ payloads: commandPayloads(), token: fake.botToken, applicationId: fake.applicationId, guildId: DEFAULT_IDS.guild, apiUrl: fake.apiUrl });
      const bot = run(process.execPath, ["dist/src/start.js"], {
        DISCORD_TOKEN: fake.botToken,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DATABASE_PATH: path.join(project, "data", "agora.sqlite"),
        INDEX_SNAPSHOT_DIR: path.join(project, "data", "index-snapshots"),
        LOG_LEVEL: "info",
      });
      await until(() => {
        bot.alive();
        return bot.stdout().includes('"msg":"bot ready"') ? true : null;
      }, 20_000);
      const quote = await fake.interact(fake.payloads.chatInput({ name: "quote", options: { query: "referendum" } }));
      expect(quote.callback.type).toBe(4);
      const summary = await fake.interact(fake.payloads.chatInput({ name: "summarize", options: { author: "Getmanchuk", length: "short" } }));
      const edit = bodyOf(await summary.waitForEdit(10_000));
      expect(edit.content).not.toContain("something went wrong");
      expect(edit.embeds[0]?.title).toBeTruthy();
      bot.child.kill("SIGTERM");
      expect(await bot.exited).toBe(0);
      expect(bot.stdout()).toContain('"msg":"bot stopped"');
      expect(bot.stdout()).not.toContain('"msg":"interaction failed"');
      expect(bot.stderr()).toBe("");
    } finally {
      await fake.close();
    }
  }, 40_000);

  it("`npm start` rebuilds nothing when nothing changed, and a changed source file before it starts", async () => {
    const startJs = dist("src", "start.js");
    const before = statSync(startJs).mtimeMs;
    const unchanged = run("npm", ["run", "--silent", "prestart"], { PATH });
    expect(await unchanged.exited, unchanged.stdout() + unchanged.stderr()).toBe(0);
    expect(statSync(startJs).mtimeMs).toBe(before);

    writeFileSync(path.join(project, "src", "start.ts"), `${readFileSync(path.join(project, "src", "start.ts"), "utf8")}// changed after the build\n`);
    const changed = run("npm", ["run", "--silent", "prestart"], { PATH });
    expect(await changed.exited, changed.stdout() + changed.stderr()).toBe(0);
    expect(readFileSync(startJs, "utf8")).toContain("// changed after the build");
  }, 60_000);
});
