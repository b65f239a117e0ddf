// The fake Discord's sharding, against raw gateway sockets and real discord.js Clients: what it
// advertises, whom it refuses (Discord's 4010 and 4011), and which shard gets which server's events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Events, GatewayIntentBits, GatewayOpcodes, REST, Routes, type Interaction, type RESTGetAPIGatewayBotResult } from "discord.js";
import WebSocket from "ws";
import { ownsGuild } from "../../src/digest/schedule.js";
import { DEFAULT_IDS, shardedGuilds, shardOf, startFakeDiscord, type FakeDiscord } from "../../src/fake-discord/index.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ shards: 4, maxConcurrency: 4, guilds: shardedGuilds({ id: DEFAULT_IDS.bot, username: "Agora", bot: true }, { shards: 4, perShard: 2 }) });
});
afterAll(async () => {
  await fake.close();
});

/** IDENTIFY on a raw socket: the READY's servers, or the close code. */
async function identify(shard: [number, number] | undefined): Promise<{ close: number } | { guilds: string[]; created: string[] }> {
  const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
  try {
    return await new Promise((resolve, reject) => {
      let guilds: string[] = [];
      const created: string[] = [];
      ws.on("close", (code) => resolve({ close: code }));
      ws.on("error", reject);
      ws.on("message", (raw: Buffer) => {
        const frame = JSON.parse(raw.toString()) as { op: GatewayOpcodes; t?: string; d: Record<string, unknown> };
        if (frame.op === GatewayOpcodes.Hello) {
          ws.send(JSON.stringify({ op: GatewayOpcodes.Identify, d: { token: fake.botToken, intents: GatewayIntentBits.Guilds, properties: { os: "linux", browser: "test", device: "test" }, ...(shard ? { shard } : {}) } }));
        }
        if (frame.t === "READY") guilds = (frame.d["guilds"] as { id: string }[]).map((g) => g.id);
        if (frame.t === "GUILD_CREATE") created.push(frame.d["id"] as string);
        if ((frame.t === "READY" || frame.t === "GUILD_CREATE") && created.length === guilds.length) resolve({ guilds, created });
      });
    });
  } finally {
    // 1000: the session ends with the socket (a dropped one would wait for a RESUME, keeping its events).
    if (ws.readyState === WebSocket.OPEN) {
      const closed = new Promise((resolve) => ws.once("close", resolve));
      ws.close(1000);
      await closed;
    }
  }
}

const onShard = (shard: number, count = 4) => fake.guilds.filter((g) => shardOf(g.id, count) === shard).map((g) => g.id);

describe("the fake Discord with 4 shards", () => {
  it("recommends 4 shards and its identify concurrency in GET /gateway/bot", async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.botToken);
    const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    expect(gateway.shards).toBe(4);
    expect(gateway.session_start_limit.max_concurrency).toBe(4);
  });

  it("sends a shard only its own servers, by (guild_id >> 22) % num_shards, and accepts more shards than recommended", async () => {
    for (const shard of [0, 1, 2, 3]) {
      const ready = await identify([shard, 4]);
      expect(ready).toEqual({ guilds: onShard(shard), created: onShard(shard) });
      expect(onShard(shard)).toHaveLength(2);
    }
    // Discord allows more shards than it recommends: num_shards only routes.
    expect(await identify([5, 8])).toEqual({ guilds: onShard(5, 8), created: onShard(5, 8) });
  });

  it("closes like Discord: 4011 with fewer shards than required (or none), 4010 for a shard outside its count", async () => {
    expect(await identify([0, 2])).toEqual({ close: 4011 });
    expect(await identify(undefined)).toEqual({ close: 4011 });
    expect(await identify([4, 4])).toEqual({ close: 4010 });
    expect(await identify([-1, 4])).toEqual({ close: 4010 });
  });

  it("routes each interaction to the client that runs its server's shard; two shards in one client own exactly the servers it was sent (the digest's ownsGuild)", async () => {
    const clients = [
      { name: "a", client: new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, shards: [0, 1], shardCount: 4 }), seen: [] as string[] },
      { name: "b", client: new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, shards: [2, 3], shardCount: 4 }), seen: [] as string[] },
    ];
    try {
      for (const entry of clients) {
        entry.client.on(Events.InteractionCreate, (interaction: Interaction) => {
          if (!interaction.isChatInputCommand()) return;
          entry.seen.push(interaction.guildId ?? "dm");
          void interaction.reply({ content: entry.name });
        });
      }
      await Promise.all(clients.map(({ client }) => new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        client.login(fake.botToken).catch(reject);
      })));
      for (const [i, { client }] of clients.entries()) {
        const ids = [...client.ws.shards.keys()].sort();
        expect(ids).toEqual(i === 0 ? [0, 1] : [2, 3]);
        expect([...client.guilds.cache.keys()].sort()).toEqual([...onShard(ids[0] ?? 0), ...onShard(ids[1] ?? 0)].sort());
        // What src/discord/digest-loop.ts asks: the shards this client runs (ws.shards) of shardCount.
        const owned = fake.guilds.filter((g) => ownsGuild(g.id, [...client.ws.shards.keys()], client.options.shardCount ?? 1)).map((g) => g.id);
        expect(owned.sort()).toEqual([...client.guilds.cache.keys()].sort());
      }
      for (const guild of fake.guilds) {
        const reply = await fake.interact(fake.payloads.chatInput({ name: "anything", guildId: guild.id }));
        expect(reply.callback.data?.content).toBe(shardOf(guild.id, 4) < 2 ? "a" : "b");
      }
      expect(clients[0]?.seen.sort()).toEqual([...onShard(0), ...onShard(1)].sort());
      expect(clients[1]?.seen.sort()).toEqual([...onShard(2), ...onShard(3)].sort());
    } finally {
      await Promise.all(clients.map(({ client }) => client.destroy()));
    }
  });

  it("refuses an interaction at once when no session runs its server's shard", async () => {
    await expect(fake.interact(fake.payloads.chatInput({ name: "anything", guildId: onShard(3)[0] ?? "" }))).rejects.toThrow(/no bot session on the gateway for server \d+'s shard/);
  });
});
