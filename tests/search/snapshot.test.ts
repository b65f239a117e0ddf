import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadEngine } from "../../src/engine.js";
import { buildParagraphIndex, type IndexSnapshot, type SnapshotStore } from "../../src/search/paragraph-index.js";
import { snapshotFolder } from "../../src/search/snapshot-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-snap-"));
  await cp("corpus", path.join(dir, "corpus"), { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const snapshots = () => path.join(dir, "snapshots");
const files = async () => (await readdir(snapshots())).filter((name) => name.endsWith(".index"));
const answers = (engine: Awaited<ReturnType<typeof loadEngine>>) => ["peacekeepers", "security guarantees", "sanctions on oil"].map((q) => engine.quote(q).map((r) => [r.citation, r.score]));

describe("index snapshots", () => {
  it("are written on the first start and read, unchanged, on the next", async () => {
    const first = await loadEngine({ corpusDir: path.join(dir, "corpus"), snapshotDir: snapshots() });
    const [file] = await files();
    expect(file).toMatch(/^[0-9a-f]{32}\.index$/);
    const written = await stat(path.join(snapshots(), file ?? ""));
    const second = await loadEngine({ corpusDir: path.join(dir, "corpus"), snapshotDir: snapshots() });
    // Not written again (a miss would have rewritten it), and the same answers, scores included.
    expect((await stat(path.join(snapshots(), file ?? ""))).mtimeMs).toBe(written.mtimeMs);
    expect(answers(second)).toEqual(answers(first));
    expect(answers(second)).toEqual(answers(await loadEngine({ corpusDir: path.join(dir, "corpus") })));
  });

  it("hand back exactly what was built, and are found again only for the same paragraphs", () => {
    const saved = new Map<string, IndexSnapshot>();
    const store: SnapshotStore = { read: (key) => saved.get(key), write: (key, snapshot) => void saved.set(key, snapshot) };
    const texts = ["Peace talks began.", "A ceasefire held.", ""];
    const built = buildParagraphIndex(texts, store);
    expect(saved.size).toBe(1);
    const reloaded = buildParagraphIndex(texts, snapshotFolderRoundTrip(store));
    expect(JSON.stringify(reloaded.index)).toBe(JSON.stringify(built.index));
    expect([...reloaded.paragraphsWith("ceasefir")]).toEqual([1]);
    buildParagraphIndex([...texts, "One more."], store);
    expect(saved.size).toBe(2);
  });

  it("are rebuilt when the file is broken, and the folder keeps only the two newest", async () => {
    await loadEngine({ corpusDir: path.join(dir, "corpus"), snapshotDir: snapshots() });
    const [file] = await files();
    const full = path.join(snapshots(), file ?? "");
    const bytes = await readFile(full);
    await writeFile(full, bytes.subarray(0, bytes.length - 10));
    const engine = await loadEngine({ corpusDir: path.join(dir, "corpus"), snapshotDir: snapshots() });
    expect(engine.quote("peacekeepers").length).toBeGreaterThan(0);
    expect((await readFile(full)).length).toBe(bytes.length);
    for (const word of ["first", "second"]) {
      await writeFile(path.join(dir, "corpus", `${word}.md`), ["---", `id: ${word}`, `title: "${word}"`, "authors: []", "outlet: Test", "published: null", "published_note: invented", "source: { site: test }", "gaps: 0", "bios: []", 'notes: ""', "---", "", `A ${word} paragraph.`, ""].join("\n"));
      await loadEngine({ corpusDir: path.join(dir, "corpus"), snapshotDir: snapshots() });
    }
    expect(await files()).toHaveLength(2);
  });
});

/** The same snapshots, each through a real file in a folder: what a restart reads back. */
function snapshotFolderRoundTrip(memory: SnapshotStore): SnapshotStore {
  const folder = snapshotFolder(path.join(dir, "roundtrip"));
  return {
    read: (key) => {
      const snapshot = memory.read(key);
      if (!snapshot) return undefined;
      folder.write(key, snapshot);
      return folder.read(key);
    },
    write: () => undefined,
  };
}
