import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every module specifier a TypeScript file imports or re-exports (static and dynamic). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|(?:^|\n)\s*import\s+"([^"]+)"/g)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec) found.push(spec);
  }
  return found;
}

describe("the digest layer depends one way", () => {
  it("nothing in src/digest imports src/discord, src/cli or discord.js: its content is data, rendered by the Discord layer", () => {
    const dir = path.resolve("src/digest");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(0);
    const upward: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(path.join(dir, file), "utf8"))) {
        const target = spec.startsWith(".") ? path.relative(path.resolve("src"), path.resolve(dir, spec)) : spec;
        if (/^(discord|cli)\//.test(target) || spec === "discord.js" || spec.startsWith("@discordjs/")) upward.push(`${file} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("the check sees an upward import when there is one", () => {
    expect(specifiers('import type { Reply } from "../discord/render.js";\nimport {\n  a,\n} from "../cli/format.js";')).toEqual(["../discord/render.js", "../cli/format.js"]);
  });
});
