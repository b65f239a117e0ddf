import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { loadEngine } from "../../src/engine.js";
import { ServerLibraries } from "../../src/library/server-libraries.js";
import { openDatabase } from "../../src/storage/db.js";
import { ServerLibraryStore } from "../../src/storage/server-library-store.js";
import { CORPUS, GUILD, pageDraft, silentLogger } from "../library/fixtures.js";

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: process.cwd() });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** A bot database in which a server added two articles (one then removed) with /library add. */
async function databaseWithLibrary(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agora-library-cli-"));
  const file = path.join(dir, "agora.sqlite");
  const db = openDatabase(file);
  const libraries = new ServerLibraries({ store: new ServerLibraryStore(db), shared: await loadEngine({ corpusDir: CORPUS }), logger: silentLogger });
  for (const page of ["news-jsonld.html", "two-authors-graph.html", "reposted.html"]) await libraries.add(GUILD, pageDraft(page), "42");
  await libraries.remove(GUILD, "sanctions-are-a-marathon");
  db.close();
  return file;
}

describe("the CLI's library commands", () => {
  it("list a server's articles and export them as corpus files that check clean", async () => {
    const env = { DATABASE_PATH: await databaseWithLibrary() };
    const list = await cli(["library", "list", "--guild", GUILD], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n").map((line) => line.split("  ")[0])).toEqual(["the-grain-corridor-needs-a-navy", "a-ceasefire-without-guarantees-is-a-pause"]);
    const out = await mkdtemp(path.join(os.tmpdir(), "agora-export-"));
    const exported = await cli(["library", "export", "--guild", GUILD, "--out", out], env);
    expect(exported).toMatchObject({ code: 0, stdout: `wrote 2 articles of server ${GUILD} to ${out}` });
    expect((await readdir(out)).sort()).toEqual(["a-ceasefire-without-guarantees-is-a-pause.md", "the-grain-corridor-needs-a-navy.md"]);
    expect(await cli(["check", "--corpus", out], {})).toMatchObject({ code: 0 });
    const engine = await loadEngine({ corpusDir: out });
    expect(engine.article("the-grain-corridor-needs-a-navy").authors).toEqual(["Mira Kovalenko"]);
    expect(await readFile(path.join(out, "the-grain-corridor-needs-a-navy.md"), "utf8")).toMatch(/^---\nid: the-grain-corridor-needs-a-navy\n/);
    // Never over a file already there.
    const again = await cli(["library", "export", "--guild", GUILD, "--out", out], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; export into an empty folder/);
  });

  it("need a server id, and say which", async () => {
    const env = { DATABASE_PATH: await databaseWithLibrary() };
    expect((await cli(["library", "export"], env)).stderr).toMatch(/needs the server's id: --guild/);
    expect((await cli(["library", "show", "--guild", GUILD], env)).stderr).toMatch(/library needs "list" or "export"/);
    expect((await cli(["library", "list", "--guild", "200000000000000002"], env)).stdout).toMatch(/has added no articles/);
  });
});
