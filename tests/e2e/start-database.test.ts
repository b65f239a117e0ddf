import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` with a database file that is not SQLite: it stops with a clear message and keeps the file.
const dir = mkdtempSync(path.join(os.tmpdir(), "agora-start-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start with a corrupt database", () => {
  it("exits 1 naming the file and the problem, and leaves the file as it was", async () => {
    const file = path.join(dir, "agora.sqlite");
    writeFileSync(file, "definitely not SQLite\n");
    const child = spawn(process.execPath, ["--import", "tsx", "src/bot.ts"], {
      env: { DISCORD_TOKEN: "fake-token-for-a-test", DISCORD_APPLICATION_ID: "1100000000000000001", DATABASE_PATH: file, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain(`agora: ${file} is not a SQLite database`);
    expect(output).toContain("never replaces it");
    expect(readFileSync(file, "utf8")).toBe("definitely not SQLite\n");
  });
});
