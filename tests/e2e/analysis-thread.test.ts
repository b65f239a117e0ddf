import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngine, type Engine } from "../../src/engine.js";
import { AnalysisBusyError, startAnalysisPool } from "../../src/workers/analysis-pool.js";
import { bodyOf, startBot, type Harness } from "./bot-harness.js";

/** An engine whose analysis methods fail on this thread: the bot must never call them here. */
function mainThreadWithoutAnalysis(engine: Engine): Engine {
  const refuse = () => {
    throw new Error("analysis ran on the main thread");
  };
  return { ...engine, contrast: refuse, timeline: refuse, summarize: refuse, topics: refuse };
}

describe("summaries, contrasts, timelines and topics run in the analysis thread", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBot({ engine: mainThreadWithoutAnalysis(await loadEngine({ corpusDir: "corpus" })) });
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers /contrast, /timeline, /summarize and /article without computing them on the main thread", async () => {
    const commands = [
      { name: "contrast", options: { topic: "NATO membership" } },
      { name: "timeline", options: { topic: "sanctions" } },
      { name: "summarize", options: { topic: "ceasefire" } },
      { name: "article", options: { article: "make-putin-an-offer-he-cant-refuse" } },
    ];
    for (const command of commands) {
      const reply = await h.fake.interact(h.fake.payloads.chatInput(command));
      const edit = bodyOf(await reply.waitForEdit(10_000));
      expect(edit.content ?? "", command.name).not.toContain("something went wrong");
      expect(edit.embeds[0]?.title, command.name).toBeTruthy();
    }
    expect(h.logs.filter((line) => line.msg === "interaction failed")).toEqual([]);
  });

  it("offers the library's topics, counted in the analysis thread, as autocomplete", async () => {
    const reply = await h.fake.interact(h.fake.payloads.autocomplete({ name: "contrast", options: { topic: "" }, focused: "topic" }));
    const names = (reply.callback.data?.choices ?? []).map((choice) => choice.name);
    // "(n authors)" is known only once the thread has computed the topics.
    expect(names.some((name) => /\(\d+ authors?\)$/.test(name))).toBe(true);
  });
});

describe("the analysis thread's queue", () => {
  it("refuses requests past its cap with AnalysisBusyError and answers the others", async () => {
    const pool = startAnalysisPool(await loadEngine({ corpusDir: "corpus" }), { maxQueue: 1 });
    try {
      await pool.topics();
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => pool.contrast("security guarantees")));
      const refused = outcomes.filter((o) => o.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      for (const o of refused) expect(o.reason).toBeInstanceOf(AnalysisBusyError);
      const answered = outcomes.filter((o) => o.status === "fulfilled");
      expect(answered.length).toBeGreaterThan(0);
      for (const o of answered) expect(o.value.columns.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
