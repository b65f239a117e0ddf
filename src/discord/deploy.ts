import "dotenv/config";
import { ConfigError, loadBotConfig } from "../config.js";
import { registerCommands } from "./register.js";
import { commandPayloads } from "../../commands/index.js";

// `npm run register`: to DISCORD_DEV_GUILD_ID when set (instant), globally otherwise.
try {
  const config = loadBotConfig();
  const report = await registerCommands({ payloads: commandPayloads(), token: config.token, applicationId: config.applicationId, guildId: config.devGuildId, apiUrl: config.apiUrl });
  const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "none");
  process.stdout.write(
    `registered commands (${report.scope}, bulk overwrite)\n` +
      `  added:     ${list(report.added)}\n  changed:   ${list(report.changed)}\n  removed:   ${list(report.removed)}\n  unchanged: ${list(report.unchanged)}\n`,
  );
  for (const warning of report.warnings) process.stderr.write(`agora register: warning: ${warning}\n`);
} catch (error) {
  const message = error instanceof ConfigError ? `${error.message}\nSet it in .env (see .env.example).` : (error as Error).message;
  process.stderr.write(`agora register: ${message}\n`);
  process.exitCode = 1;
}
