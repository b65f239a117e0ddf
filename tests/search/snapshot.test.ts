import { cp, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isCorpusFile } from "../../src/corpus/load.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { buildParagraphIndex, type IndexSnapshot, type SnapshotStore } from "../../src/search/paragraph-index.js";
import { corpusSnapshotFolder, listCorpusFolder, snapshotFolder } from "../../src/search/snapshot-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-snap-"));
  await cp("corpus", path.join(dir, "corpus"), { recursive: true });
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const corpus = () => path.join(dir, "corpus");
const snapshots = () => path.join(dir, "snapshots");
const files = async (extension = ".index") => (await readdir(snapshots()).catch(() => [])).filter((name) => name.endsWith(extension));
const answers = (engine: Engine) => ["peacekeepers", "security guarantees", "sanctions on oil", "referendu"].map((q) => engine.quote(q).map((r) => [r.citation, r.score]));
const plain = () => loadEngine({ corpusDir: corpus() });

/**
 * A start a minute from now: files written by the test are no longer "racy" (changed within the
 * 2 s a timestamp may not show), so the corpus snapshot is written as on a server.
 */
async function start(): Promise<Engine> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + 60_000);
  try {
    return await loadEngine({ corpusDir: corpus(), snapshotDir: snapshots() });
  } finally {
    vi.useRealTimers();
  }
}

function articleFile(id: string, paragraph: string): string {
  return ["---", `id: ${id}`, `title: "${id}"`, "authors: []", "outlet: Test", "published: null", "published_note: invented", "source: { site: test }", "gaps: 0", "bios: []", 'notes: ""', "---", "", paragraph, ""].join("\n");
}

/** The one corpus snapshot in the folder, and its key. */
async function corpusSnapshot(): Promise<{ key: string; full: string }> {
  const [name] = await files(".corpus");
  expect(name).toBeDefined();
  return { key: (name ?? "").replace(/\.corpus$/, ""), full: path.join(snapshots(), name ?? "") };
}

describe("corpus snapshots", () => {
  it("are written on the first start and served, unchanged and without reading the articles, on the next", async () => {
    const first = await start();
    const { key, full } = await corpusSnapshot();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await files(".index")).toHaveLength(1);
    const written = await stat(full);
    const second = await start();
    // Not written again (a miss would have rewritten it), and the same answers, scores included.
    expect((await stat(full)).mtimeMs).toBe(written.mtimeMs);
    expect(answers(second)).toEqual(answers(first));
    expect(answers(second)).toEqual(answers(await plain()));
    expect(second.articles()).toEqual(first.articles());
    expect(second.passages(first.articles()[0]?.id ?? "")).toEqual(first.passages(first.articles()[0]?.id ?? ""));
    // What is served is the snapshot: one whose article says so is what the next start shows.
    const store = corpusSnapshotFolder(snapshots());
    const saved = store.read(key);
    if (!saved) throw new Error("no snapshot");
    const [article, ...rest] = saved.articles;
    if (!article) throw new Error("no article");
    store.write(key, { ...saved, articles: [{ ...article, title: "Served from the snapshot" }, ...rest] });
    expect((await start()).article(article.id).title).toBe("Served from the snapshot");
  });

  it("miss when a file is changed (even to the same size), added, removed or renamed, and serve the folder as it is", async () => {
    await start();
    const [name] = (await readdir(corpus())).filter(isCorpusFile);
    const full = path.join(corpus(), name ?? "");
    const text = await readFile(full, "utf8");
    const marker = "peacekeepers";
    expect(text).toContain(marker);
    await writeFile(full, text.replace(marker, "PEACEKEEPERS".replace("PEACE", "truce")));
    const changed = await start();
    expect(changed.article(changed.articles().find((a) => a.file === name)?.id ?? "").body).toContain("truceKEEPERS");
    expect(answers(changed)).toEqual(answers(await plain()));

    await writeFile(path.join(corpus(), "added.md"), articleFile("added", "A zeppelin over the harbour."));
    expect((await start()).quote("zeppelin")[0]?.articleId).toBe("added");
    await rename(path.join(corpus(), "added.md"), path.join(corpus(), "moved.md"));
    expect((await start()).article("added").file).toBe("moved.md");
    await rm(path.join(corpus(), "moved.md"));
    const removed = await start();
    expect(removed.quote("zeppelin")).toEqual([]);
    expect(removed.articles()).toEqual((await plain()).articles());
    // Each change wrote its own snapshot; the folder keeps the two newest.
    expect(await files(".corpus")).toHaveLength(2);
  });

  it("are never served truncated, damaged, of another format or of another folder: rebuilt and rewritten", async () => {
    const expected = answers(await start());
    const { key, full } = await corpusSnapshot();
    const bytes = await readFile(full);
    const damages: [string, Buffer][] = [
      ["truncated", bytes.subarray(0, bytes.length - 10)],
      ["cut to its header", bytes.subarray(0, 20)],
      ["empty", Buffer.alloc(0)],
      ["a byte flipped in a body", Buffer.from(bytes).fill(bytes[bytes.length >> 1] === 65 ? 66 : 65, bytes.length >> 1, (bytes.length >> 1) + 1)],
      ["another format version", Buffer.concat([Buffer.from("AGORACS0", "latin1"), bytes.subarray(8)])],
      ["not a snapshot", Buffer.from("garbage garbage garbage garbage")],
    ];
    for (const [what, damaged] of damages) {
      await writeFile(full, damaged);
      const engine = await start();
      expect(answers(engine), what).toEqual(expected);
      expect((await readFile(full)).equals(bytes), what).toBe(true);
    }
    // Another folder's snapshot (a valid file) copied under this folder's key.
    const other = path.join(dir, "other");
    await cp(corpus(), other, { recursive: true });
    await writeFile(path.join(other, "extra.md"), articleFile("extra", "Only in the other folder."));
    const otherKey = listCorpusFolder(other, isCorpusFile)?.key ?? "";
    expect(otherKey).not.toBe(key);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 60_000);
    await loadEngine({ corpusDir: other, snapshotDir: snapshots() });
    vi.useRealTimers();
    await cp(path.join(snapshots(), `${otherKey}.corpus`), full);
    const engine = await start();
    expect(() => engine.article("extra")).toThrow();
    expect(answers(engine)).toEqual(expected);
  });

  it("rebuild a damaged index snapshot behind a good corpus snapshot", async () => {
    const expected = answers(await start());
    const [index] = await files(".index");
    const full = path.join(snapshots(), index ?? "");
    const bytes = await readFile(full);
    for (const damaged of [bytes.subarray(0, bytes.length - 3), Buffer.concat([Buffer.from("AGORAIX1", "latin1"), bytes.subarray(8)])]) {
      await writeFile(full, damaged);
      expect(answers(await start())).toEqual(expected);
      expect((await readFile(full)).equals(bytes)).toBe(true);
    }
  });

  it("take a changed thesaurus.yml or topics.yml, read at every start", async () => {
    await start();
    const { full } = await corpusSnapshot();
    const written = await stat(full);
    await writeFile(path.join(corpus(), "thesaurus.yml"), "groups:\n  - [zeppelin, peacekeepers]\n");
    await writeFile(path.join(corpus(), "topics.yml"), "topics:\n  - name: Airships\n    synonyms: [zeppelin]\n");
    const engine = await start();
    expect(engine.source.thesaurus).toEqual([["zeppelin", "peacekeepers"]]);
    expect(engine.source.curatedTopics.map((topic) => topic.name)).toEqual(["Airships"]);
    expect(engine.quote("zeppelin").length).toBeGreaterThan(0);
    // The articles' snapshot holds nothing the settings change: still served.
    expect((await stat(full)).mtimeMs).toBe(written.mtimeMs);
  });

  it("are not written while a file has just changed (its next change could keep its timestamp)", async () => {
    const engine = await loadEngine({ corpusDir: corpus(), snapshotDir: snapshots() });
    expect(await files(".corpus")).toEqual([]);
    expect(await files(".index")).toHaveLength(1);
    expect(answers(engine)).toEqual(answers(await plain()));
  });
});

describe("index snapshots", () => {
  it("hand back exactly what was built, and are found again only for the same paragraphs", () => {
    const saved = new Map<string, IndexSnapshot>();
    const store: SnapshotStore = { read: (key) => saved.get(key), write: (key, snapshot) => void saved.set(key, snapshot) };
    const texts = ["Peace talks began.", "A ceasefire held.", ""];
    const built = buildParagraphIndex(texts, store);
    expect(saved.size).toBe(1);
    const reloaded = buildParagraphIndex(texts, snapshotFolderRoundTrip(store));
    const search = (index: typeof built) => index.index.search("ceasefir peac", { tokenize: (text) => text.split(" "), processTerm: (term) => term });
    expect(search(reloaded)).toEqual(search(built));
    expect([...reloaded.paragraphsWith("ceasefir")]).toEqual([1]);
    expect([...reloaded.lengths]).toEqual([...built.lengths]);
    buildParagraphIndex([...texts, "One more."], store);
    expect(saved.size).toBe(2);
  });

  it("are rebuilt when the file is broken, and the folder keeps only the two newest", async () => {
    await loadEngine({ corpusDir: corpus(), snapshotDir: snapshots() });
    const [file] = await files();
    const full = path.join(snapshots(), file ?? "");
    const bytes = await readFile(full);
    await writeFile(full, bytes.subarray(0, bytes.length - 10));
    const engine = await loadEngine({ corpusDir: corpus(), snapshotDir: snapshots() });
    expect(engine.quote("peacekeepers").length).toBeGreaterThan(0);
    expect((await readFile(full)).length).toBe(bytes.length);
    for (const word of ["first", "second"]) {
      await writeFile(path.join(corpus(), `${word}.md`), articleFile(word, `A ${word} paragraph.`));
      await loadEngine({ corpusDir: corpus(), snapshotDir: snapshots() });
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
