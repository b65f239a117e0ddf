import pino, { type Logger } from "pino";
import type { LogLevel } from "./config.js";

export type { Logger } from "pino";

/** Paths pino blanks out wherever they appear in a log line: the bot token must never be logged. */
export const REDACTED_PATHS = ["token", "*.token", "config.token", "headers.authorization", "*.headers.authorization", "req.headers.authorization"];

/**
 * The one logger: JSON lines (pretty when a person watches a terminal), the token redacted.
 * `destination` lets tests capture the output.
 */
export function createLogger(options: { level: LogLevel; pretty?: boolean; destination?: pino.DestinationStream; secrets?: readonly string[] }): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    // Paths cannot catch a token inside a message or an error's text; this catches it anywhere.
    hooks: { streamWrite: (line) => secrets.reduce((text, secret) => text.replaceAll(secret, "[redacted]"), line) },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) return pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true } } });
  return pino(base);
}
