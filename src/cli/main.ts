import { runCli } from "./run.js";

// The entry point: real streams and environment in, an exit code out.
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  // eslint-disable-next-line no-restricted-properties -- handed to src/config.ts, which parses it
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
