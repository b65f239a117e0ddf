import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads the environment. Everything else receives a parsed config object,
 * so tests can pass their own and nothing reads `process.env` behind their back.
 */
const envSchema = z.object({
  CORPUS_DIR: z.string().trim().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface CliConfig {
  /** Absolute path of the corpus folder. */
  corpusDir: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
}

/** Reads the CLI's settings from an environment (default: this process's). */
export function loadCliConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): CliConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid environment: ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`);
  }
  return { corpusDir: path.resolve(cwd, parsed.data.CORPUS_DIR ?? "corpus"), logLevel: parsed.data.LOG_LEVEL };
}
