import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { loadCorpus } from "../../src/corpus/load.js";

const GOOD = path.join(import.meta.dirname, "..", "fixtures", "broken-corpus", "good.md");

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-load-entries-"));
  await copyFile(GOOD, path.join(dir, "good.md"));
  await mkdir(path.join(dir, "x.md"));
  await symlink(path.join(dir, "no-such-target.md"), path.join(dir, "y.md"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadCorpus on a folder with entries that are not readable files", () => {
  it("loads the valid article and reports a directory named x.md and a dangling symlink y.md as problems", async () => {
    const { articles, problems } = await loadCorpus(dir);
    expect(articles.map((article) => article.id)).toEqual(["good-article"]);
    expect(problems).toHaveLength(2);
    const byFile = Object.fromEntries(problems.map((problem) => [problem.file, problem]));
    expect(byFile["x.md"]).toMatchObject({ field: "file" });
    expect(byFile["x.md"]?.reason).toMatch(/directory/);
    expect(byFile["y.md"]).toMatchObject({ field: "file" });
    expect(byFile["y.md"]?.reason).toMatch(/symbolic link/);
  });

  it("follows a symlink to a regular .md file and loads it under the link's name", async () => {
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), "agora-load-target-"));
    try {
      const target = path.join(elsewhere, "target.md");
      await copyFile(GOOD, target);
      await rm(path.join(dir, "good.md"));
      await symlink(target, path.join(dir, "linked.md"));
      const { articles, problems } = await loadCorpus(dir);
      expect(articles.map((article) => [article.id, article.file])).toEqual([["good-article", "linked.md"]]);
      expect(problems.map((problem) => problem.file).sort()).toEqual(["x.md", "y.md"]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("CLI check reports both entries and exits non-zero instead of crashing", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["check", "--corpus", dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: process.cwd() });
    const stderr = err.join("\n");
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/^error:/m);
    expect(stderr).toMatch(/^x\.md: file: .*directory/m);
    expect(stderr).toMatch(/^y\.md: file: .*symbolic link/m);
    expect(stderr).toMatch(/2 problem\(s\); 1 article\(s\) valid/);
  });
});
