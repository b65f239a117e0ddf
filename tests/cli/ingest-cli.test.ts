import { cp, mkdir, mkdtemp, readdir, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: process.cwd() });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("ingest from the CLI", () => {
  it("ingests into a folder that holds a directory named x.md and a dangling symlink y.md", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
    await cp("tests/fixtures/ranking-corpus", dir, { recursive: true });
    await mkdir(path.join(dir, "x.md"));
    await symlink(path.join(dir, "missing.md"), path.join(dir, "y.md"));
    const ingest = await cli(["ingest", "tests/fixtures/raw/broken-lines.txt", "--corpus", dir, "--title", "Beside odd entries", "--author", "First Writer", "--json"]);
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    expect(await readdir(dir)).toContain("beside-odd-entries.md");
  });

  it("adds a raw text to a corpus folder that then checks clean and answers quotes from it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
    await cp("tests/fixtures/ranking-corpus", dir, { recursive: true });
    const ingest = await cli([
      "ingest", "tests/fixtures/raw/broken-lines.txt", "--corpus", dir,
      "--title", "Broken lines fixture", "--author", "First Writer", "--author", "Second Writer",
      "--outlet", "Fixture Weekly", "--published", "2024-06-01", "--json",
    ]);
    expect(ingest.code).toBe(0);
    const written = JSON.parse(ingest.stdout) as { file: string; id: string; shape: string; suspectedGaps: unknown[] };
    expect(written.id).toBe("broken-lines-fixture");
    expect(written.shape).toBe("broken-lines");
    expect(written.suspectedGaps.length).toBeGreaterThan(0);
    expect(await readdir(dir)).toContain("broken-lines-fixture.md");

    expect((await cli(["check", "--corpus", dir])).code).toBe(0);
    const article = JSON.parse((await cli(["article", "broken-lines-fixture", "--corpus", dir, "--json"])).stdout) as Record<string, unknown>;
    expect(article).toMatchObject({ authors: ["First Writer", "Second Writer"], outlet: "Fixture Weekly", published: "2024-06-01" });
    const authors = JSON.parse((await cli(["authors", "--corpus", dir, "--json"])).stdout) as { name: string; articleIds: string[] }[];
    expect(authors.find((a) => a.name === "Second Writer")?.articleIds).toEqual(["broken-lines-fixture"]);

    // The same text again is refused rather than overwriting the first.
    const again = await cli(["ingest", "tests/fixtures/raw/broken-lines.txt", "--corpus", dir, "--title", "Broken lines fixture"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*broken-lines-fixture/);
  });

  it("asks for a title when the raw text has no headline, and a valid date", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
    const badDate = await cli(["ingest", "tests/fixtures/raw/hard-wrapped.txt", "--corpus", dir, "--published", "May 2025"]);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/^error: published must be a date as YYYY-MM-DD/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("ingests a saved HTML page with the page's own title, authors, outlet and date", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
    const ingest = await cli(["ingest", "tests/fixtures/pages/reposted.html", "--corpus", dir]);
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/check: the page names Vern Evans as author, but the closing bios name Hanna Rudenko/);
    expect(ingest.stdout).toMatch(/authors from the page: Hanna Rudenko/);
    expect((await cli(["check", "--corpus", dir])).code).toBe(0);
    const [file] = await readdir(dir);
    const article = JSON.parse((await cli(["article", path.basename(file ?? "", ".md"), "--corpus", dir, "--json"])).stdout) as Record<string, unknown>;
    expect(article).toMatchObject({ title: "A ceasefire without guarantees is a pause", authors: ["Hanna Rudenko"], outlet: "World News Hub", published: "2025-02-20" });
  });

  it("refuses a URL to a private address with the reason", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-ingest-"));
    const refused = await cli(["ingest", "http://192.168.1.1/op-ed", "--corpus", dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/192\.168\.1\.1 is a private or local address/);
    expect(await readdir(dir)).toEqual([]);
  });
});
