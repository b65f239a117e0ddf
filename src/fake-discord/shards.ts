// Servers spread over shards, for a fake that advertises several (startFakeDiscord({ shards, guilds })).
import { ADMIN_PERMISSIONS, DEFAULT_USERS, MEMBER_PERMISSIONS, snowflake } from "./payloads.js";
import type { FakeGuild, FakeUser } from "./types.js";

/** The shard that receives a server's events, by Discord's formula `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** About 2024 in milliseconds since Discord's epoch: server ids that look like real ones (19 digits). */
const BASE_MS = 300_000_000_000n;

/**
 * `perShard` servers on each of `shards` shards, shard 0's first, each like the default server
 * (#general and #quotes, Alice a member, Bob a moderator, the bot) with ids of its own.
 */
export function shardedGuilds(botUser: FakeUser, options: { shards: number; perShard?: number }): FakeGuild[] {
  const shards = BigInt(options.shards);
  const guilds: FakeGuild[] = [];
  for (let n = 0; n < (options.perShard ?? 1); n++) {
    for (let shard = 0n; shard < shards; shard++) {
      // The timestamp part of the id picks the shard: (id >> 22) % shards === shard.
      const id = (((BASE_MS + BigInt(n) * shards + shard) << 22n) | 1n).toString();
      const moderatorRole = snowflake();
      const botRole = snowflake();
      guilds.push({
        id,
        name: `Shard ${shard} server ${n + 1}`,
        ownerId: DEFAULT_USERS.bob.id,
        roles: [
          { id, name: "@everyone", permissions: MEMBER_PERMISSIONS, position: 0 },
          { id: moderatorRole, name: "Moderators", permissions: ADMIN_PERMISSIONS, position: 2, color: 0x3498db },
          { id: botRole, name: botUser.username, permissions: MEMBER_PERMISSIONS, position: 1, managed: true },
        ],
        channels: [
          { id: snowflake(), name: "general", topic: "Op-ed talk" },
          { id: snowflake(), name: "quotes", topic: null },
        ],
        members: [
          { user: DEFAULT_USERS.alice, roles: [] },
          { user: DEFAULT_USERS.bob, roles: [moderatorRole] },
          { user: botUser, roles: [botRole] },
        ],
      });
    }
  }
  return guilds.sort((a, b) => shardOf(a.id, options.shards) - shardOf(b.id, options.shards));
}
