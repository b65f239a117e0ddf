import { describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig, loadStorageConfig } from "../../src/config.js";

const base = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012345678" };

describe("server library settings", () => {
  it("default to 500 articles and 20 MB of text a server, and read both from the environment", () => {
    expect(loadBotConfig(base).library).toEqual({ maxArticles: 500, maxBytes: 20_000_000 });
    expect(loadBotConfig({ ...base, LIBRARY_MAX_ARTICLES: "50", LIBRARY_MAX_MB: "2.5" }).library).toEqual({ maxArticles: 50, maxBytes: 2_500_000 });
  });

  it("name the variable that is wrong", () => {
    expect(() => loadBotConfig({ ...base, LIBRARY_MAX_ARTICLES: "many" })).toThrow(ConfigError);
    expect(() => loadBotConfig({ ...base, LIBRARY_MAX_ARTICLES: "0" })).toThrow(/LIBRARY_MAX_ARTICLES/);
    expect(() => loadBotConfig({ ...base, LIBRARY_MAX_MB: "-1" })).toThrow(/LIBRARY_MAX_MB must be a number of megabytes/);
  });

  it("let the CLI find the bot's database as the bot does", () => {
    expect(loadStorageConfig({}, "/srv/agora")).toEqual({ databaseUrl: undefined, databaseFile: "/srv/agora/data/agora.sqlite" });
    expect(loadStorageConfig({ DATABASE_URL: "postgres://agora@db/agora" }, "/srv/agora").databaseUrl).toBe("postgres://agora@db/agora");
  });
});
