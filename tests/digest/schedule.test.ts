import { describe, expect, it } from "vitest";
import { canonicalTimezone, digestNonce, localDate, nextRun, ownsGuild, parseTime, scheduledAt } from "../../src/digest/schedule.js";
import { timezoneChoices } from "../../src/discord/digest-views.js";

const utc = (iso: string) => Date.parse(iso);

describe("parseTime", () => {
  it("reads HH:MM and H:MM, and names the wrong part", () => {
    expect(parseTime("08:30").label).toBe("08:30");
    expect(parseTime("8:05").label).toBe("08:05");
    expect(parseTime("23:59")).toMatchObject({ hour: 23, minute: 59 });
    expect(() => parseTime("24:00")).toThrow(/hour must be 00–23/);
    expect(() => parseTime("12:60")).toThrow(/minutes must be 00–59/);
    expect(() => parseTime("noon")).toThrow(/HH:MM/);
    expect(() => parseTime("1230")).toThrow(/HH:MM/);
  });
});

describe("time zones", () => {
  it("knows IANA zones by today's names, in any case", () => {
    expect(canonicalTimezone("europe/kyiv")).toBe("Europe/Kyiv");
    expect(canonicalTimezone("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(canonicalTimezone("America/New_York")).toBe("America/New_York");
    expect(canonicalTimezone("utc")).toBe("UTC");
    expect(canonicalTimezone("Mars/Olympus_Mons")).toBeNull();
    expect(canonicalTimezone("")).toBeNull();
  });

  it("autocompletes from Intl.supportedValuesOf: “kyiv” offers Europe/Kyiv", () => {
    const choices = timezoneChoices("kyiv", utc("2025-06-01T00:00:00Z"));
    expect(choices[0]).toEqual({ name: "Europe/Kyiv (UTC+03:00)", value: "Europe/Kyiv" });
    expect(timezoneChoices("new york")[0]?.value).toBe("America/New_York");
    expect(timezoneChoices("").length).toBe(25);
  });
});

describe("scheduledAt (croner, fixed-time DST rules)", () => {
  it("an ordinary day", () => {
    expect(scheduledAt("2025-06-02", "09:00", "Europe/Kyiv")).toBe(utc("2025-06-02T06:00:00Z"));
    expect(scheduledAt("2025-06-02", "09:00", "America/New_York")).toBe(utc("2025-06-02T13:00:00Z"));
    expect(scheduledAt("2025-06-02", "00:00", "Pacific/Kiritimati")).toBe(utc("2025-06-01T10:00:00Z"));
  });

  it("America/New_York spring forward: 02:30 does not exist, so it posts at 03:00 EDT", () => {
    expect(scheduledAt("2025-03-09", "02:30", "America/New_York")).toBe(utc("2025-03-09T07:00:00Z"));
    expect(scheduledAt("2025-03-10", "02:30", "America/New_York")).toBe(utc("2025-03-10T06:30:00Z"));
  });

  it("America/New_York fall back: 01:30 happens twice, it posts at the first", () => {
    expect(scheduledAt("2025-11-02", "01:30", "America/New_York")).toBe(utc("2025-11-02T05:30:00Z"));
  });

  it("Europe/Kyiv spring forward (03:00 → 04:00) and fall back (04:00 → 03:00)", () => {
    expect(scheduledAt("2025-03-30", "03:30", "Europe/Kyiv")).toBe(utc("2025-03-30T01:00:00Z"));
    expect(scheduledAt("2025-10-26", "03:30", "Europe/Kyiv")).toBe(utc("2025-10-26T00:30:00Z"));
    expect(localDate(utc("2025-10-26T01:30:00Z"), "Europe/Kyiv")).toBe("2025-10-26");
  });

  it("nextRun skips past times and excluded dates", () => {
    const at = utc("2025-06-02T06:00:00Z");
    expect(nextRun(at - 1, "09:00", "Europe/Kyiv")).toEqual({ date: "2025-06-02", at });
    expect(nextRun(at, "09:00", "Europe/Kyiv").date).toBe("2025-06-03");
    expect(nextRun(at - 1, "09:00", "Europe/Kyiv", (d) => d === "2025-06-02").date).toBe("2025-06-03");
  });
});

describe("nonce and shards", () => {
  it("derives a stable nonce of at most 25 characters from server and date", () => {
    const nonce = digestNonce("1100000000000000010", "2025-06-02");
    expect(nonce).toBe(digestNonce("1100000000000000010", "2025-06-02"));
    expect(nonce.length).toBeLessThanOrEqual(25);
    expect(nonce).not.toBe(digestNonce("1100000000000000010", "2025-06-03"));
    expect(nonce).not.toBe(digestNonce("1100000000000000011", "2025-06-02"));
  });

  it("owns a guild by (guild_id >> 22) % shard_count, in BigInt", () => {
    const guild = ((12345n << 22n) | 77n).toString(); // 12345 % 4 = 1
    expect(ownsGuild(guild, [1], 4)).toBe(true);
    expect(ownsGuild(guild, [0, 2, 3], 4)).toBe(false);
    expect(ownsGuild(guild, [0], 1)).toBe(true);
    const big = "1284516213187121234"; // beyond 2^53: Number would round it
    expect(ownsGuild(big, [Number((BigInt(big) >> 22n) % 16n)], 16)).toBe(true);
  });
});
