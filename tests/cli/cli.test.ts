import { execFile } from "node:child_process";
import { writeFile, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";

const exec = promisify(execFile);

/** Runs the real CLI as a user would (`npm run --silent cli -- …` runs exactly this). */
async function cli(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // With `env` given, the child sees only it: node is started by absolute path and needs no PATH.
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], env ? { env } : {});
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs the CLI in-process, for the many small error cases. */
async function cliInProcess(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: process.cwd() });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const RESULT_KEYS = ["articleId", "title", "authors", "outlet", "published", "date", "text", "start", "end", "citation", "score"];

describe("CLI contract on the shipped corpus", () => {
  it("quote --json prints exactly the promised shape, with exact offsets", async () => {
    const { code, stdout } = await cli(["quote", "boots on the ground", "--json"]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { query: string; results: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(["query", "results"]);
    expect(parsed.query).toBe("boots on the ground");
    expect(parsed.results.length).toBeGreaterThan(0);
    const { stdout: articleOut } = await cli(["article", String(parsed.results[0]?.articleId), "--json"]);
    const article = JSON.parse(articleOut) as { body: string };
    for (const result of parsed.results) {
      expect(Object.keys(result)).toEqual(RESULT_KEYS);
      if (result.articleId === parsed.results[0]?.articleId) {
        expect(article.body.slice(result.start as number, result.end as number)).toBe(result.text);
      }
    }
    expect(String(parsed.results[0]?.text)).toContain("boots on the ground");
  });

  it("article --json gives the front matter fields and the body", async () => {
    const { stdout } = await cliInProcess(["article", "make-putin-an-offer-he-cant-refuse", "--json"]);
    const article = JSON.parse(stdout) as Record<string, unknown>;
    expect(article).toMatchObject({ id: "make-putin-an-offer-he-cant-refuse", authors: ["Alexander Vershbow", "Hans Binnendijk"] });
    expect(Object.keys(article)).toEqual(expect.arrayContaining(["id", "title", "authors", "outlet", "published", "source", "notes", "body"]));
    expect(String(article.body)).toMatch(/^President-elect Donald Trump/);
  });

  it("articles --json lists front matter without bodies; authors --json lists names with article ids", async () => {
    const articles = JSON.parse((await cliInProcess(["articles", "--json"])).stdout) as Record<string, unknown>[];
    expect(articles).toHaveLength(5);
    for (const article of articles) expect(article).not.toHaveProperty("body");
    const authors = JSON.parse((await cliInProcess(["authors", "--json"])).stdout) as { name: string; articleIds: string[] }[];
    expect(authors.find((a) => a.name === "Hans Binnendijk")).toEqual({ name: "Hans Binnendijk", articleIds: ["make-putin-an-offer-he-cant-refuse"] });
    for (const author of authors) expect(Object.keys(author)).toEqual(["name", "articleIds"]);
  });

  it("--author matches a surname case-insensitively and filters the results", async () => {
    const { stdout } = await cliInProcess(["search", "security guarantees", "--author", "VERSHBOW", "--json"]);
    const results = (JSON.parse(stdout) as { results: { articleId: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.articleId))).toEqual(new Set(["make-putin-an-offer-he-cant-refuse"]));
  });

  it("--batch answers one JSON line per query line, with its id", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-batch-"));
    const file = path.join(dir, "queries.jsonl");
    await writeFile(file, `${JSON.stringify({ id: "a", q: "referendum" })}\n${JSON.stringify({ id: "b", q: "sanctions on banks" })}\n`);
    const { code, stdout } = await cliInProcess(["quote", "--batch", file, "--limit", "2"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n").map((l) => JSON.parse(l) as { id: string; query: string; results: unknown[] });
    expect(lines.map((l) => [l.id, l.query, Object.keys(l)])).toEqual([
      ["a", "referendum", ["id", "query", "results"]],
      ["b", "sanctions on banks", ["id", "query", "results"]],
    ]);
    expect(lines[0]?.results.length).toBeLessThanOrEqual(2);
  });

  it("prints readable text by default", async () => {
    const { code, stdout } = await cliInProcess(["quote", "referendum", "--limit", "1"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. “.*referendum.*”\n {3}author unknown, Unknown, 2022-04-01 — .+\n {3}\[more-russia-loses-better-chances-for-diplomacy:\d+\.\d+(-\d+)?\] score/);
  });
});

describe("CLI on another folder of articles", () => {
  it("serves --corpus DIR and CORPUS_DIR alike", async () => {
    const viaFlag = await cliInProcess(["quote", "toll", "--corpus", "tests/fixtures/ranking-corpus", "--json"]);
    const viaEnv = await cli(["quote", "toll", "--json"], { CORPUS_DIR: "tests/fixtures/ranking-corpus" });
    expect(viaFlag.code).toBe(0);
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toEqual(JSON.parse(viaFlag.stdout));
    expect((JSON.parse(viaFlag.stdout) as { results: { articleId: string }[] }).results[0]?.articleId).toBe("bridge-toll");
  });

  it("check names each broken file and field, and exits non-zero", async () => {
    const { code, stderr } = await cliInProcess(["check", "--corpus", "tests/fixtures/broken-corpus"]);
    expect(code).toBe(1);
    expect(stderr).toContain("bad-date.md: published:");
    expect(stderr).toContain("gap-count.md: gaps:");
    expect(stderr).toMatch(/6 problem\(s\); 1 article\(s\) valid/);
  });

  it("still serves the valid articles of a folder with broken files, warning on stderr", async () => {
    const { code, stdout, stderr } = await cliInProcess(["articles", "--corpus", "tests/fixtures/broken-corpus", "--json"]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { id: string }[]).map((a) => a.id)).toEqual(["good-article"]);
    expect(stderr).toContain("warning: skipped bad-date.md: published:");
  });
});

describe("CLI bad input: non-zero exit and a one-line reason", () => {
  it.each([
    [["article", "make-putin"], /^error: unknown article "make-putin"; did you mean "make-putin-an-offer-he-cant-refuse"\?$/],
    [["quote", "nato", "--author", "Vershbo"], /^error: unknown author "Vershbo"; did you mean "Alexander Vershbow"\?$/],
    [["quote", ""], /^error: quote needs a query: quote "<query>"$/],
    [["quote", "   "], /^error: quote needs a query/],
    [["search", "the of"], /^error: the query "the of" has no searchable words$/],
    [["articles", "--corpus", "no/such/dir"], /^error: corpus folder not found: .*no\/such\/dir$/],
    [["quote", "nato", "--limit", "zero"], /^error: --limit must be a whole number/],
    [["frobnicate"], /^error: unknown command "frobnicate"/],
    [["quote", "nato", "--bogus"], /^error: Unknown option '--bogus'/],
  ])("%j", async (args, message) => {
    const { code, stderr, stdout } = await cliInProcess(args);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
