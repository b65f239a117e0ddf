import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchFolder } from "../../src/corpus/watch.js";
import { loadEngine } from "../../src/engine.js";
import { reloadEngine } from "../../src/engine-reload.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-reload-"));
  await cp("corpus", dir, { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const VERSHBOW = "make-putin-an-offer-he-cant-refuse.md";
const GETMANCHUK = "putin-has-no-legitimate-security-interests.md";
const BLOOMBERG = "us-cant-pretend-putin-is-ready-for-peace.md";

describe("reloading the corpus folder", () => {
  it("picks up added, edited and removed files, and keeps the previous version of a broken one", async () => {
    const before = await loadEngine({ corpusDir: dir });
    // Added: a new article. Edited: a sentence changed. Broken: no title. Removed: one file.
    await writeFile(path.join(dir, "ferry-strike.md"), ['---', 'id: ferry-strike', 'title: "The ferry strike"', "authors: [Ada Byrne]", "outlet: Harbour Review", 'published: "2025-06-01"', "source: { site: test }", "gaps: 0", "bios: []", 'notes: ""', "---", "", "The ferry strike stopped every crossing for a week.", ""].join("\n"));
    const vershbow = await readFile(path.join(dir, VERSHBOW), "utf8");
    await writeFile(path.join(dir, VERSHBOW), vershbow.replace("President-elect Donald Trump appears determined", "President-elect Donald Trump seems resolved"));
    const getmanchuk = await readFile(path.join(dir, GETMANCHUK), "utf8");
    await writeFile(path.join(dir, GETMANCHUK), getmanchuk.replace(/^title: .*$/m, "title:"));
    await rm(path.join(dir, BLOOMBERG));

    const { engine, problems, keptFiles } = await reloadEngine(before, { corpusDir: dir });
    const ids = engine.articles().map((a) => a.id);
    expect(ids).toContain("ferry-strike");
    expect(engine.quote("ferry strike crossing")[0]?.articleId).toBe("ferry-strike");
    expect(engine.article("make-putin-an-offer-he-cant-refuse").body).toMatch(/^President-elect Donald Trump seems resolved/);
    expect(ids).not.toContain("us-cant-pretend-putin-is-ready-for-peace");
    // The broken file: named with its field, and its previous article still served, unchanged.
    expect(problems).toEqual([expect.objectContaining({ file: GETMANCHUK, field: "title" })]);
    expect(keptFiles).toEqual([GETMANCHUK]);
    expect(engine.article("putin-has-no-legitimate-security-interests").body).toBe(before.article("putin-has-no-legitimate-security-interests").body);
    // The engine that was serving is untouched: searches that started on it finish on it.
    expect(before.articles().map((a) => a.id)).toContain("us-cant-pretend-putin-is-ready-for-peace");
    expect(before.article("make-putin-an-offer-he-cant-refuse").body).toMatch(/^President-elect Donald Trump appears determined/);
  });

  it("keeps the previous thesaurus when thesaurus.yml breaks", async () => {
    const before = await loadEngine({ corpusDir: dir });
    await writeFile(path.join(dir, "thesaurus.yml"), "groups: [unclosed");
    const { engine, keptSettings } = await reloadEngine(before, { corpusDir: dir });
    expect(keptSettings).toEqual(["thesaurus.yml"]);
    expect(engine.source.thesaurus).toEqual(before.source.thesaurus);
  });
});

describe("watching a folder", () => {
  it("calls back once for a burst of changes, after it goes quiet", async () => {
    let calls = 0;
    const watch = watchFolder(dir, () => calls++, { debounceMs: 150 });
    try {
      for (let i = 0; i < 5; i++) await writeFile(path.join(dir, `note-${i}.md`), "x");
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(calls).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(calls).toBe(1);
    } finally {
      watch.close();
    }
  });
});
