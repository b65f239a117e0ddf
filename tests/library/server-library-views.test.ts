import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { ServerLibraries } from "../../src/library/server-libraries.js";
import { CORPUS, GUILD, OTHER_GUILD, pageDraft, silentLogger as logger } from "./fixtures.js";
import { openDatabase, type Database } from "../../src/storage/db.js";
import { ServerLibraryStore } from "../../src/storage/server-library-store.js";

// How a server's engine is built (the store's backends are tested in server-libraries.test.ts).
let shared: Engine;
let dir: string;
let db: Database;
const options = () => ({ store: new ServerLibraryStore(db), shared, logger, now: () => 1_000 });

beforeAll(async () => {
  shared = await loadEngine({ corpusDir: CORPUS });
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "agora-library-views-"));
  db = openDatabase(path.join(dir, "agora.sqlite"));
  return () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
});

describe("server library views", () => {
  it("tell the caller before a build, and only then, so an interaction can show it is working", async () => {
    const libraries = new ServerLibraries(options());
    let told = 0;
    const before = (): Promise<void> => {
      told += 1;
      return Promise.resolve();
    };
    await libraries.view(GUILD, before);
    expect(told).toBe(0);
    await libraries.add(GUILD, pageDraft("news-jsonld.html"), "42");
    await libraries.view(GUILD, before);
    await libraries.view(GUILD, before);
    expect(told).toBe(1);
  });

  it("are built ahead for the servers that have articles, with a snapshot of each server's index in its own folder", async () => {
    const snapshotDir = path.join(dir, "snapshots");
    const libraries = new ServerLibraries({ ...options(), snapshotDir });
    await libraries.add(OTHER_GUILD, pageDraft("reposted.html"), "42");
    expect(await libraries.warm([GUILD, OTHER_GUILD])).toBe(1);
    let built = false;
    await libraries.view(OTHER_GUILD, () => {
      built = true;
      return Promise.resolve();
    });
    expect(built).toBe(false);
    expect(readdirSync(path.join(snapshotDir, "servers", OTHER_GUILD)).filter((f) => f.endsWith(".index"))).toHaveLength(1);
    // After a restart, the same server's engine is read from its snapshot and answers the same.
    const restarted = new ServerLibraries({ ...options(), snapshotDir });
    const again = await restarted.view(OTHER_GUILD);
    const before = (await libraries.view(OTHER_GUILD)).engine.quote("ceasefire guarantees");
    expect(again.engine.quote("ceasefire guarantees")).toEqual(before);
  });
});
