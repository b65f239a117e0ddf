/** Where a CLI run writes and what it reads of its surroundings, passed in so tests can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A command line the CLI cannot take: one line on stderr, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError";
}
