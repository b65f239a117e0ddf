import { describe, expect, it } from "vitest";
import type { APIApplicationCommand } from "discord.js";
import { commandPayloads } from "../../commands/index.js";
import { checkCommandLine, readCommandLine, type Mentionables } from "../../src/playground/command-line.js";

const commands = commandPayloads().map((c, i) => ({ ...c, id: String(i), application_id: "1", version: "1", type: c.type ?? 1, default_member_permissions: c.default_member_permissions ?? null })) as APIApplicationCommand[];
const find: Mentionables = {
  user: (t) => (t === "@bob" ? "1100000000000000041" : null),
  channel: (t) => (t === "#general" ? { id: "1100000000000000020", type: 0 } : null),
  role: (t) => (t === "@Moderators" ? "1100000000000000030" : null),
};
function check(line: string) {
  const read = readCommandLine(line, commands);
  if (read.kind !== "command") throw new Error(`not a command line: ${read.kind}`);
  return checkCommandLine(read.line, find);
}

describe("a slash command typed out in full", () => {
  it("reads option values up to the next option name, spaces and colons included", () => {
    expect(check("/quote query: peace: at what price? author: vershbow hide: true").options).toEqual([
      { name: "query", type: 3, value: "peace: at what price?" },
      { name: "author", type: 3, value: "vershbow" },
      { name: "hide", type: 5, value: true },
    ]);
  });

  it("puts text before any option into the first required one, as Discord's composer does", () => {
    expect(check("/quote peacekeepers author: vershbow").options[0]).toEqual({ name: "query", type: 3, value: "peacekeepers" });
  });

  it("reads subcommands and resolves channels, roles and users", () => {
    const digest = check("/digest setup channel: #general time: 09:00 timezone: Europe/Kyiv role: @Moderators");
    expect(digest.subcommand).toBe("setup");
    expect(digest.refers).toEqual({ users: [], channels: ["1100000000000000020"], roles: ["1100000000000000030"] });
    expect(check("/quote query: tanks mention: @bob").refers.users).toEqual(["1100000000000000041"]);
  });

  it("names what is wrong: a missing required option, a bad choice, an unknown member, a twice-given option", () => {
    expect(() => check("/contrast authors: vershbow")).toThrow("`topic` is required");
    expect(() => check("/summarize topic: war length: huge")).toThrow("`length` must be one of: short (3), medium (5), long (8).");
    expect(() => check("/quote query: tanks mention: @zed")).toThrow("`mention`: no member “@zed” in this server.");
    expect(() => check("/quote query: a query: b")).toThrow("`query` is given twice.");
    expect(() => check("/digest setup channel: #nowhere time: 09:00 timezone: UTC")).toThrow("no channel “#nowhere”");
  });

  it("treats a line that names no command of this server as a plain message, and asks for a missing subcommand", () => {
    expect(readCommandLine("/shrug me", commands).kind).toBe("text");
    expect(readCommandLine("hello /quote", commands).kind).toBe("text");
    const read = readCommandLine("/digest se", commands);
    expect(read.kind).toBe("needs-subcommand");
  });
});
