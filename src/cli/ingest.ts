import type { CliIo } from "./run.js";

/** Placeholder until the ingest library lands: says so instead of pretending. */
export function runIngest(_file: string, _corpusDir: string, _values: unknown, io: CliIo): Promise<number> {
  io.stderr("error: ingest is not available yet");
  return Promise.resolve(1);
}
