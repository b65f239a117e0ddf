import "dotenv/config";
import { startMode } from "./config.js";

// `npm start`: the bot on Discord when a token is configured, its shards in processes through
// discord.js's ShardingManager (src/shards/), otherwise the local playground, so a fresh clone
// shows Agora answering before anyone creates a Discord application.
if (startMode() === "bot") await import("./shards/main.js");
else await import("./playground/main.js");
