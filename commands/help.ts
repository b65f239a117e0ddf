import type { Client, RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { ChatCommand } from "../src/discord/command.js";
import { respond } from "../src/discord/respond.js";
import { COLOUR } from "../src/discord/render.js";
import { serverCommand } from "./options.js";

const data = {
  name: "help",
  ...serverCommand,
  description: "What Agora can do",
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const LINES = [
  "**/quote** `query` — the passage that best matches, with author, outlet, date and citation. ◀ ▶ for more, **Context** for the paragraph; `hide` to see it alone first, then **Post in channel**; `mention` to suggest it to someone.",
  "**/search** `query` — up to 5 ranked passages, matched words in bold.",
  "**/summarize** `article` | `author` | `topic` — a summary in the authors' own sentences.",
  "**/contrast** `topic` — each author's position side by side, same space for each.",
  "**/timeline** `topic` — how the articles treat a topic over time.",
  "**/authors**, **/article** — who wrote what.",
  "**/digest** `setup` | `status` | `preview` | `now` | `off` — a daily digest in a channel at your server's time (needs Manage Server).",
  "Right-click a message → **Apps → Find passages** to find what the articles say about it.",
  "",
  "Every quote is an exact passage of the article; `[…]` marks words the source lost. Citation ids look like `article-id:3.2` (paragraph 3, sentence 2).",
];

/** How long /help waits for the other shard processes' counts before it shows its own. */
const REACH_TIMEOUT_MS = 1_000;

export interface Reach {
  servers: number;
  /** Shards counted (every shard this host runs, unless some process did not answer). */
  shards: number;
  /** Shards across every host (SHARD_COUNT). */
  totalShards: number;
  /** Only this process answered: another one is restarting or slow. */
  partial: boolean;
}

const sum = (values: unknown[]): number => values.reduce<number>((total, value) => total + (typeof value === "number" ? value : 0), 0);

/**
 * Servers and shards of every shard process on this host, through the ShardingManager
 * (`fetchClientValues`); without one (src/bot.ts run alone, tests), this client's own.
 */
export async function reach(client: Client): Promise<Reach> {
  const own = { servers: client.guilds.cache.size, shards: Math.max(1, client.ws.shards.size), totalShards: client.options.shardCount ?? 1 };
  const shard = client.shard;
  if (!shard) return { ...own, partial: false };
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("shard processes did not answer")), REACH_TIMEOUT_MS)));
    const [servers, shards] = await Promise.race([Promise.all([shard.fetchClientValues("guilds.cache.size"), shard.fetchClientValues("ws.shards.size")]), timeout]);
    return { servers: sum(servers), shards: sum(shards), totalShards: shard.count, partial: false };
  } catch {
    return { ...own, partial: true };
  } finally {
    clearTimeout(timer);
  }
}

export function reachLine(r: Reach): string {
  const servers = `${r.servers} ${r.servers === 1 ? "server" : "servers"}`;
  const shards = (n: number) => `${n} ${n === 1 ? "shard" : "shards"}`;
  if (r.partial) return `${servers} · this process's ${r.shards} of ${shards(r.totalShards)} (other shard processes did not answer)`;
  if (r.shards < r.totalShards) return `${servers} · this host's ${r.shards} of ${shards(r.totalShards)}`;
  return `${servers} · ${shards(r.totalShards)}`;
}

export const helpCommand: ChatCommand<typeof data> = {
  data,
  async execute(interaction) {
    const footer = reachLine(await reach(interaction.client));
    await respond(interaction, { embeds: [{ color: COLOUR, title: "Agora", description: LINES.join("\n"), footer: { text: footer } }], ephemeral: true });
  },
};
