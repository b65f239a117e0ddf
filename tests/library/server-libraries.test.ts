import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseArticle } from "../../src/corpus/load.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { DraftError, LibraryLimitError, ServerLibraries } from "../../src/library/server-libraries.js";
import { CORPUS, GUILD, OTHER_GUILD, pageDraft, silentLogger as logger } from "./fixtures.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS, type TestDatabase } from "../storage/backends.js";

let shared: Engine;
let database: TestDatabase;
let storage: Storage;
let clock: number;
let libraries: ServerLibraries;

beforeAll(async () => {
  shared = await loadEngine({ corpusDir: CORPUS });
});
afterAll(() => undefined);

// The same tests on both backends: the SQLite file and a PostgreSQL database.
describe.each(BACKENDS)("server libraries on $name", (backend) => {
  beforeEach(async () => {
    database = await backend.create();
    storage = await database.open();
    clock = 1_000;
    libraries = new ServerLibraries({ store: storage.library, shared, logger, now: () => clock });
    return () => database.cleanup();
  });

  it("serve the shared engine itself to a server that added nothing", async () => {
    const view = await libraries.view(GUILD);
    expect(view.engine).toBe(shared);
    expect(view.serverArticles).toEqual([]);
    expect((await libraries.view(null)).engine).toBe(shared);
  });

  it("make an added article quotable in its server only, ranked in one index with the shared articles", async () => {
    const added = await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    expect(added.id).toBe(pageDraft("news-jsonld.html").meta.id);
    const view = await libraries.view(GUILD);
    expect(view.engine.articles().map((a) => a.id)).toEqual([...shared.articles().map((a) => a.id), added.id]);
    const [best] = view.engine.quote("naval escorts for the grain corridor");
    expect(best?.articleId).toBe(added.id);
    // The passage is an exact slice of the stored body.
    expect(added.body.slice(best?.start, best?.end)).toBe(best?.text);
    // Shared passages still rank in the same list.
    expect(view.engine.search("referendum", { limit: 3 }).every((hit) => hit.articleId !== added.id)).toBe(true);
    const other = await libraries.view(OTHER_GUILD);
    expect(other.engine.articles().some((a) => a.id === added.id)).toBe(false);
    expect(other.engine.quote("naval escorts for the grain corridor").some((hit) => hit.articleId === added.id)).toBe(false);
  });

  it("build a server's engine once and rebuild it only when its articles change", async () => {
    await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    const first = await libraries.view(GUILD);
    expect(await libraries.view(GUILD)).toBe(first);
    clock += 1;
    await libraries.add(GUILD, pageDraft("two-authors-graph.html"), "42");
    const second = await libraries.view(GUILD);
    expect(second).not.toBe(first);
    expect(second.serverArticles).toHaveLength(2);
  });

  it("give an id that is taken (shared or the server's own) a numbered suffix", async () => {
    const draft = pageDraft("news-jsonld.html");
    const sharedId = shared.articles()[0]?.id ?? "";
    const clash = await libraries.add(GUILD, { ...draft, meta: { ...draft.meta, id: sharedId } }, "42");
    expect(clash.id).toBe(`${sharedId}-2`);
    const again = await libraries.add(GUILD, draft, "42");
    const twice = await libraries.add(GUILD, draft, "42");
    expect([again.id, twice.id]).toEqual([draft.meta.id, `${draft.meta.id}-2`]);
  });

  it("refuse a draft that would not pass the corpus check, naming the field, and store nothing", async () => {
    const draft = pageDraft("news-jsonld.html");
    await expect(libraries.add(GUILD, { ...draft, meta: { ...draft.meta, gaps: 3 } }, "42")).rejects.toThrow(DraftError);
    await expect(libraries.add(GUILD, { ...draft, meta: { ...draft.meta, gaps: 3 } }, "42")).rejects.toThrow(/gaps says 3/);
    expect(await libraries.list(GUILD)).toEqual([]);
  });

  it("stop at the article and text limits with a message that says which", async () => {
    const small = new ServerLibraries({ store: storage.library, shared, logger, now: () => clock, limits: { maxArticles: 1 } });
    await small.add(GUILD, pageDraft("news-jsonld.html"), "42");
    await expect(small.add(GUILD, pageDraft("two-authors-graph.html"), "42")).rejects.toThrow(/full: 1 of 1 articles/);
    const tiny = new ServerLibraries({ store: storage.library, shared, logger, now: () => clock, limits: { maxBytes: 1_000 } });
    await expect(tiny.add(OTHER_GUILD, pageDraft("news-jsonld.html"), "42")).rejects.toThrow(LibraryLimitError);
    await expect(tiny.add(OTHER_GUILD, pageDraft("news-jsonld.html"), "42")).rejects.toThrow(/past its 1 kB of text/);
    expect(await small.store.usage(OTHER_GUILD)).toEqual({ articles: 0, bytes: 0 });
  });

  it("remove an article, keep a tombstone for its citations, and fall back to the shared engine", async () => {
    const added = await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    await libraries.view(GUILD);
    clock += 1;
    expect(await libraries.remove(GUILD, added.id)).toBe(true);
    expect(await libraries.remove(GUILD, added.id)).toBe(false);
    expect(await libraries.removed(GUILD, added.id)).toMatchObject({ articleId: added.id, title: added.title });
    expect(await libraries.removed(OTHER_GUILD, added.id)).toBeNull();
    expect((await libraries.view(GUILD)).engine).toBe(shared);
    // Adding it back replaces the tombstone.
    clock += 1;
    await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    expect(await libraries.removed(GUILD, added.id)).toBeNull();
  });

  it("export each article as the corpus file it was stored as, which the loader reads back", async () => {
    const added = await libraries.add(GUILD, pageDraft("two-authors-graph.html"), "42");
    const files = await libraries.export(GUILD);
    expect(files.map((f) => f.file)).toEqual([`${added.id}.md`]);
    const reloaded = parseArticle(files[0]?.file ?? "", files[0]?.content ?? "");
    expect("article" in reloaded && reloaded.article).toEqual(added);
  });

  it("list what a server added between two times, for the digest's new articles", async () => {
    clock = 5_000;
    const first = await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    clock = 9_000;
    const second = await libraries.add(GUILD, pageDraft("two-authors-graph.html"), "42");
    expect(await libraries.store.addedBetween(GUILD, 0, 6_000)).toEqual([first.id]);
    expect(await libraries.store.addedBetween(GUILD, 5_000, 9_000)).toEqual([second.id]);
    expect(await libraries.store.addedBetween(OTHER_GUILD, 0, 9_000)).toEqual([]);
  });

  it("rebuild every server's view on the new shared engine after a reload", async () => {
    await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    const before = await libraries.view(GUILD);
    const reloaded = await loadEngine({ corpusDir: CORPUS });
    libraries.useShared(reloaded);
    const after = await libraries.view(GUILD);
    expect(after).not.toBe(before);
    expect((await libraries.view(OTHER_GUILD)).engine).toBe(reloaded);
  });
});
