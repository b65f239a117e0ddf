import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { describe, expect, it } from "vitest";
import { classifySendError, digestBody } from "../../src/discord/digest-sender.js";

const apiError = (status: number, code: number, message: string) =>
  new DiscordAPIError({ message, code }, code, status, "POST", "https://discord.com/api/v10/channels/1/messages", { body: {} });

describe("classifySendError", () => {
  it("403 and 404 are permanent (the digest pauses), with the reason in words", () => {
    expect(classifySendError(apiError(403, 50013, "Missing Permissions"))).toMatchObject({ kind: "permanent", status: 403, message: expect.stringMatching(/Missing Permissions.*Embed Links/) as unknown });
    expect(classifySendError(apiError(403, 50001, "Missing Access"))).toMatchObject({ kind: "permanent", message: expect.stringMatching(/can't see the channel/) as unknown });
    expect(classifySendError(apiError(404, 10003, "Unknown Channel"))).toMatchObject({ kind: "permanent", status: 404, message: expect.stringMatching(/no longer exists/) as unknown });
  });

  it("429, 5xx and network errors are transient; a 429 keeps its retry-after", () => {
    const limited = new RateLimitError({
      timeToReset: 2000,
      limit: 5,
      method: "POST",
      hash: "h",
      url: "u",
      route: "/channels/:id/messages",
      majorParameter: "1",
      global: false,
      retryAfter: 2000,
      sublimitTimeout: 0,
      scope: "user",
    });
    expect(classifySendError(limited)).toMatchObject({ kind: "transient", retryAfterMs: 2000, status: 429 });
    expect(classifySendError(new HTTPError(502, "Bad Gateway", "POST", "u", { body: {} }))).toMatchObject({ kind: "transient", status: 502 });
    expect(classifySendError(new TypeError("fetch failed"))).toMatchObject({ kind: "transient" });
  });

  it("any other 4xx is not retried", () => {
    expect(classifySendError(apiError(400, 50035, "Invalid Form Body"))).toMatchObject({ kind: "invalid", status: 400 });
  });
});

describe("digestBody", () => {
  it("carries the nonce with enforce_nonce, and mentions only the configured role", () => {
    const body = digestBody({ content: "<@&42> <@7> @everyone digest", embeds: [{ title: "t" }], mentionRoleId: "42" }, "dabc");
    expect(body).toMatchObject({ nonce: "dabc", enforce_nonce: true, allowed_mentions: { parse: [], roles: ["42"], users: [], replied_user: false } });
    expect(digestBody({ content: "x" }, "n").allowed_mentions).toEqual({ parse: [], roles: [], users: [], replied_user: false });
  });
});
