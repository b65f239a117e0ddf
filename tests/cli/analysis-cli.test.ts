import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { loadEngine, type Engine } from "../../src/engine.js";

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: process.cwd() });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

const exact = (p: { articleId: string; text: string; start: number; end: number }) =>
  engine.article(p.articleId).body.slice(p.start, p.end) === p.text;

describe("analysis commands: the JSON contract, every sentence an exact slice", () => {
  it("summarize --author gives scope and sentences with the promised fields", async () => {
    const { code, stdout } = await cli(["summarize", "--author", "Getmanchuk", "--length", "medium", "--json"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { scope: Record<string, unknown>; sentences: Record<string, unknown>[] };
    expect(out.scope).toMatchObject({ kind: "author", value: "Alena Getmanchuk", length: "medium" });
    expect(out.sentences).toHaveLength(5);
    for (const s of out.sentences) {
      expect(Object.keys(s)).toEqual(["articleId", "text", "start", "end", "citation", "authors", "title", "elidedBefore"]);
      expect(exact(s as never)).toBe(true);
    }
  });

  it("summarize needs exactly one scope and a known length", async () => {
    expect((await cli(["summarize"])).stderr).toMatch(/^error: summarize needs exactly one of --article/);
    expect((await cli(["summarize", "--topic", "sanctions", "--article", "x"])).code).toBe(1);
    expect((await cli(["summarize", "--topic", "sanctions", "--length", "huge"])).stderr).toMatch(/--length must be short, medium or long/);
    expect((await cli(["summarize", "--author", "Vershbo"])).stderr).toMatch(/did you mean "Alexander Vershbow"/);
  });

  it("contrast gives one column per author, a [] column for an author with nothing on the topic", async () => {
    const { stdout } = await cli(["contrast", "NATO membership", "--json"]);
    const out = JSON.parse(stdout) as { topic: string; columns: { author: string; articleIds: string[]; passages: Record<string, unknown>[]; terms: string[] }[] };
    expect(out.topic).toBe("NATO membership");
    expect(out.columns.length).toBeGreaterThanOrEqual(4);
    expect(out.columns.length).toBeLessThanOrEqual(6);
    for (const column of out.columns) {
      expect(Object.keys(column)).toEqual(["author", "articleIds", "passages", "terms"]);
      for (const p of column.passages) expect(exact(p as never)).toBe(true);
    }
    expect(out.columns.some((c) => c.passages.length === 0)).toBe(true);
  });

  it("contrast --authors limits the columns to those authors", async () => {
    const { stdout } = await cli(["contrast", "sanctions", "--authors", "vershbow,Getmanchuk", "--json"]);
    const out = JSON.parse(stdout) as { columns: { author: string; passages: unknown[] }[] };
    expect(out.columns.map((c) => c.author).sort()).toEqual(["Alena Getmanchuk", "Alexander Vershbow"]);
  });

  it("topics lists name, synonyms, authors and passage count", async () => {
    const topics = JSON.parse((await cli(["topics", "--json"])).stdout) as Record<string, unknown>[];
    expect(topics.find((t) => t.name === "NATO membership")).toMatchObject({ synonyms: expect.arrayContaining(["join NATO"]) as unknown });
    for (const t of topics) expect(Object.keys(t)).toEqual(["name", "synonyms", "authors", "passageCount"]);
  });

  it("timeline orders entries by date, inferred dates by their first possible day, and keeps published a printed day or null", async () => {
    type Entry = { published: string | null; undated: boolean; date: { precision: string; start: string; end: string; inferred: boolean; evidence: string | null } | null; articleId: string; text: string; start: number; end: number };
    const out = JSON.parse((await cli(["timeline", "sanctions", "--json"])).stdout) as { entries: Entry[] };
    expect(out.entries.length).toBeGreaterThan(3);
    expect(out.entries.filter((e) => e.undated).length).toBeLessThanOrEqual(1);
    const firstUndated = out.entries.findIndex((e) => e.undated);
    const dated = firstUndated < 0 ? out.entries : out.entries.slice(0, firstUndated);
    expect(out.entries.slice(dated.length).every((e) => e.undated && e.date === null && e.published === null)).toBe(true);
    const starts = dated.map((e) => e.date?.start ?? "");
    expect(starts).toEqual([...starts].sort());
    for (const e of dated) {
      expect(e.undated).toBe(false);
      // published is what it always was: the printed day, or null (an inferred date is only in `date`).
      if (e.date?.inferred) expect(e.published).toBeNull();
      else expect(e.published).toBe(e.date?.precision === "day" ? e.date.start : null);
      if (e.date?.inferred) expect(e.date.evidence).toMatch(/\S/);
    }
    expect(dated.some((e) => e.date?.inferred)).toBe(true);
    for (const e of out.entries) expect(exact(e)).toBe(true);
  });

  it("timeline text shows inferred dates as such", async () => {
    const { stdout } = await cli(["timeline", "sanctions"]);
    expect(stdout).toContain("\n2022-04-01 — author unknown");
    expect(stdout).toContain("\n≈ 30 Apr – 6 May 2025, from the text — Bloomberg Opinion Editorial Board");
    expect(stdout).not.toMatch(/^undated/m);
  });
});
