import "dotenv/config";
import { startMode } from "./config.js";

// `npm start`: the bot on Discord when a token is configured, otherwise the local playground,
// so a fresh clone shows Agora answering before anyone creates a Discord application.
if (startMode() === "bot") await import("./bot.js");
else await import("./playground/main.js");
