import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig, loadCliConfig } from "../../src/config.js";
import { createLogger } from "../../src/logging.js";

describe("config", () => {
  it("defaults the corpus folder and resolves it against the working directory", () => {
    expect(loadCliConfig({}, "/srv/agora")).toEqual({ corpusDir: "/srv/agora/corpus", logLevel: "info" });
    expect(loadCliConfig({ CORPUS_DIR: "other", LOG_LEVEL: "debug" }, "/srv/agora")).toEqual({ corpusDir: "/srv/agora/other", logLevel: "debug" });
  });

  it("names a missing token", () => {
    expect(() => loadBotConfig({ DISCORD_APPLICATION_ID: "123456789012345678" })).toThrow(ConfigError);
    expect(() => loadBotConfig({ DISCORD_APPLICATION_ID: "123456789012345678" })).toThrow(/DISCORD_TOKEN is missing/);
  });

  it("rejects a malformed id and log level, naming each", () => {
    expect(() => loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "abc", LOG_LEVEL: "loud" })).toThrow(
      /LOG_LEVEL .*DISCORD_APPLICATION_ID must be a Discord id/,
    );
  });

  it("reads the bot settings, treating empty optional values as unset", () => {
    const config = loadBotConfig(
      { DISCORD_TOKEN: "secret-token", DISCORD_APPLICATION_ID: "123456789012345678", DISCORD_DEV_GUILD_ID: "", DISCORD_API_URL: "http://127.0.0.1:9/api/" },
      "/srv/agora",
    );
    expect(config).toMatchObject({ token: "secret-token", devGuildId: undefined, apiUrl: "http://127.0.0.1:9/api", databaseFile: "/srv/agora/data/agora.sqlite", digestGraceMinutes: 360 });
  });

  it("takes DISCORD_API_URL only over https://, or http:// on a loopback host (the token goes with every request)", () => {
    const base = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012345678" };
    for (const url of ["https://proxy.example.com/api", "http://127.0.0.1:9/api", "http://127.0.0.53/api", "http://localhost:8080/api", "http://[::1]:8080/api"]) {
      expect(loadBotConfig({ ...base, DISCORD_API_URL: url }).apiUrl).toBe(url);
    }
    for (const url of ["http://proxy.example.com/api", "http://10.0.0.5/api", "http://localhost.example.com/api", "http://127.0.0.1.nip.io/api", "ftp://127.0.0.1/api", "ws://localhost/api"]) {
      expect(() => loadBotConfig({ ...base, DISCORD_API_URL: url })).toThrow(ConfigError);
      expect(() => loadBotConfig({ ...base, DISCORD_API_URL: url })).toThrow(
        "invalid configuration: DISCORD_API_URL must start with https:// (the bot token is sent with every request); http:// is allowed only on this machine (localhost, 127.0.0.1, ::1)",
      );
    }
  });

  it("reads DATABASE_PATH against the working directory, and the digest grace window", () => {
    const base = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012345678" };
    expect(loadBotConfig({ ...base, DATABASE_PATH: "state/bot.db", DIGEST_GRACE_MINUTES: "90" }, "/srv/agora")).toMatchObject({
      databaseFile: "/srv/agora/state/bot.db",
      digestGraceMinutes: 90,
    });
    expect(() => loadBotConfig({ ...base, DIGEST_GRACE_MINUTES: "soon" })).toThrow(/DIGEST_GRACE_MINUTES/);
  });
});

describe("logger", () => {
  it("never writes the token, in a field or inside a message", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const token = "MTIzNDU2Nzg5.secret.token-value";
    const logger = createLogger({ level: "info", destination, secrets: [token] });
    logger.info({ token, config: { token } }, "starting");
    logger.error(new Error(`login failed for ${token}`), `could not log in with ${token}`);
    const output = lines.join("");
    expect(output).not.toContain(token);
    expect(output).toContain("[redacted]");
    expect(output).toContain("could not log in with [redacted]");
  });
});
