import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddingsReport, NO_PROVIDER } from "../../eval/embeddings.js";
import { startFakeProvider, type FakeProvider } from "../embeddings/fake-provider.js";

let fake: FakeProvider;
let dir: string;
beforeEach(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), "agora-eval-embeddings-"));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const splits = { corpus: "corpus", queries: "tests/eval/queries.jsonl", testQueries: "tests/eval/queries-test.jsonl" };
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

describe("npm run eval -- --embeddings", () => {
  it("says plainly that no provider is configured, and exits 0", async () => {
    // No EMBEDDINGS_* in its environment, and run from an empty folder so no .env can set one.
    const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, path.resolve("eval/main.ts"), "--embeddings"], { cwd: dir, env: {} });
    expect(stdout.trim()).toBe(NO_PROVIDER);
    expect(await embeddingsReport({ ...splits, env: {} })).toBeNull();
  });

  it("measures the engine lexical beside hybrid on both splits with the configured provider", async () => {
    const env = { EMBEDDINGS_URL: fake.url.replace(/\/embeddings$/, ""), EMBEDDINGS_MODEL: "fake-model", EMBEDDINGS_CACHE_PATH: path.join(dir, "v.sqlite") };
    const report = await embeddingsReport({ ...splits, env, log: silent });
    const figures = report?.figures as Record<string, { queries: number; systems: Record<string, { all: { n: number } }> }>;
    expect(Object.keys(figures["test"]?.systems ?? {})).toEqual(["engine (lexical)", "hybrid (fake-model)"]);
    expect(figures["dev"]?.systems["hybrid (fake-model)"]?.all.n).toBe(figures["dev"]?.queries);
    expect(report?.text).toMatch(/Test split[\s\S]*hybrid \(fake-model\)[\s\S]*Dev split/);
    expect(report?.text).toContain("queries answered lexically for want of a vector: 0");
    // Every query of both splits asked the provider for its vector.
    const queryRequests = fake.requests.filter((request) => request.input.length === 1).length;
    expect(queryRequests).toBeGreaterThanOrEqual((figures["test"]?.queries ?? 0) + (figures["dev"]?.queries ?? 0) - 1);
  });
});
