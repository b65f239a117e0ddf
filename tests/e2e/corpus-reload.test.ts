import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCorpusReload, type CorpusReload } from "../../src/discord/corpus-reload.js";
import { createLogger } from "../../src/logging.js";
import { bodyOf, startBot, unescape, type Harness } from "./bot-harness.js";

const FERRY = ['---', "id: ferry-strike", 'title: "The ferry strike"', "authors: [Ada Byrne]", "outlet: Harbour Review", 'published: "2025-06-01"', "source: { site: test }", "gaps: 0", "bios: []", 'notes: ""', "---", "", "The ferry strike stopped every crossing for a week, and the islands ran short of bread.", ""].join("\n");

let dir: string;
let h: Harness;
let reload: CorpusReload;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agora-hot-"));
  await cp("corpus", dir, { recursive: true });
  h = await startBot({ corpusDir: dir });
  reload = startCorpusReload({ corpusDir: dir, bot: h.bot, engine: h.engine, logger: createLogger({ level: "silent" }), debounceMs: 100 });
});
afterAll(async () => {
  reload.close();
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const quote = async (query: string) => {
  const reply = await h.fake.interact(h.fake.payloads.chatInput({ name: "quote", options: { query } }));
  return bodyOf(reply.callback.data);
};

describe("hot reload of the corpus folder", () => {
  it("serves an added article without a restart, picked up by the folder watch", async () => {
    expect((await quote("ferry strike islands bread")).embeds[0]?.title).not.toBe("The ferry strike");
    await writeFile(path.join(dir, "ferry-strike.md"), FERRY);
    const deadline = Date.now() + 10_000;
    let title: string | undefined;
    while (Date.now() < deadline && title !== "The ferry strike") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      title = (await quote("ferry strike islands bread")).embeds[0]?.title;
    }
    expect(title).toBe("The ferry strike");
    expect(unescape((await quote("ferry strike islands bread")).embeds[0]?.description ?? "")).toBe("> The ferry strike stopped every crossing for a week, and the islands ran short of bread.");
  });

  it("answers every query during a swap, and none with the old text after it", async () => {
    const file = path.join(dir, "make-putin-an-offer-he-cant-refuse.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("appears determined to end the Ukraine War", "appears resolved to end the Ukraine War"));
    const during = Array.from({ length: 20 }, () => quote("Godfather offer he can't refuse"));
    const swapped = reload.reload();
    const answers = await Promise.all(during);
    await swapped;
    for (const answer of answers) expect(answer.embeds[0]?.title).toBe("Make Putin an offer he can’t refuse");
    const after = await quote("President-elect Donald Trump appears resolved to end the Ukraine War");
    expect(unescape(after.embeds[0]?.description ?? "")).toContain("appears resolved to end the Ukraine War");
    expect(unescape(after.embeds[0]?.description ?? "")).not.toContain("appears determined");
  });

  it("keeps serving the previous version of a file that breaks, and the analysis thread follows the swap", async () => {
    const file = path.join(dir, "ferry-strike.md");
    await writeFile(file, FERRY.replace('title: "The ferry strike"', "title:"));
    await reload.reload();
    expect((await quote("ferry strike islands bread")).embeds[0]?.title).toBe("The ferry strike");
    const summary = await h.fake.interact(h.fake.payloads.chatInput({ name: "summarize", options: { article: "ferry-strike", length: "short" } }));
    const edit = bodyOf(await summary.waitForEdit());
    expect(edit.embeds[0]?.description).toContain("ferry-strike:1.1");
  });

  it("drops a removed file", async () => {
    await rm(path.join(dir, "ferry-strike.md"));
    await reload.reload();
    expect((await quote("ferry strike islands bread")).embeds[0]?.title).not.toBe("The ferry strike");
  });
});
