import { spawn } from "node:child_process";

export type LogLine = Record<string, unknown> & { msg?: string; pid?: number };

/**
 * One host running `npm start`'s entry (src/start.ts through tsx, as `npm run dev`) with a token:
 * its JSON log lines, and a wait for one of them.
 */
export function startAgoraHost(name: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/start.ts"], {
    env: {
      // eslint-disable-next-line no-restricted-properties
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      CORPUS_DIR: "corpus",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve((code = c))));
  const logs = (): LogLine[] =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LogLine);
  const until = async (msg: string, timeoutMs = 30_000): Promise<LogLine> => {
    const started = Date.now();
    for (;;) {
      const line = logs().find((l) => l.msg === msg);
      if (line) return line;
      if (code !== undefined) throw new Error(`${name} exited with ${code} before "${msg}":\n${stdout}\n${stderr}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${name}: no "${msg}" after ${timeoutMs} ms:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, logs, until, stderr: () => stderr };
}
