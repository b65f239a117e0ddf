import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEBATE_OUTLET,
  debateFigures,
  debateMotions,
  debateReport,
  loadDebateSpeeches,
  loadDebateTopics,
  parseSpeechFileName,
  plainMinisearchContraster,
  runDebate,
  scoreMotion,
  speechArticle,
  transcriptBody,
  type DebateMotion,
} from "../../eval/debate.js";
import { articleMetaSchema } from "../../src/corpus/schema.js";
import { segmentBody } from "../../src/text/segment.js";

const MINI = path.join(import.meta.dirname, "..", "fixtures", "debate-mini");
const TOPICS = path.join(MINI, "topics.json");

describe("parseSpeechFileName", () => {
  it("reads speaker, motion, topic, side and opponent from the file name", () => {
    expect(parseSpeechFileName("daniel_221_ban-gambling_con_opening_yaar.liat.trs.txt")).toEqual({
      speechId: "daniel_221_ban-gambling_con_opening_yaar",
      motionId: "221",
      topic: "ban-gambling",
      polarity: "con",
      speaker: "Daniel",
      opponent: "Yaar",
      file: "daniel_221_ban-gambling_con_opening_yaar.liat.trs.txt",
    });
    expect(parseSpeechFileName("james_1264_human-cloning_pro_opening.dean.trs.txt")).toMatchObject({ motionId: "1264", polarity: "pro", opponent: null });
  });

  it("refuses other files (ASR transcripts, READMEs)", () => {
    expect(parseSpeechFileName("daniel_1161_cosmetic-surgery_pro_opening.asr.txt")).toBeNull();
    expect(parseSpeechFileName("README.speeches.txt")).toBeNull();
  });
});

describe("transcriptBody", () => {
  it("groups a transcript without blank lines four sentences to a paragraph, changing only whitespace", () => {
    const text = "One a.\nTwo b.\nThree c.\nFour d.\nFive e.\nSix f.\n";
    const body = transcriptBody(text);
    expect(body).toBe("One a. Two b. Three c. Four d.\n\nFive e. Six f.");
    expect(body.replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
  });

  it("keeps blank-line paragraphs, joining their inner line breaks", () => {
    expect(transcriptBody("First line.\nSecond line.\n\nThird\nline.\r\n")).toBe("First line. Second line.\n\nThird line.");
  });
});

describe("the loader on a fixture in the real layout", () => {
  it("reads every transcript of manual_transcripts/ as a speech", async () => {
    const speeches = await loadDebateSpeeches(MINI);
    expect(speeches.map((s) => `${s.speaker}/${s.motionId}/${s.polarity}`)).toEqual([
      "Ana/7/pro",
      "Ana/8/con",
      "Ana/8/pro",
      "Ben/7/con",
      "Ben/9/con",
      "Cleo/9/pro",
    ]);
  });

  it("makes valid articles: one speaker as author, paragraphs as the body", async () => {
    const speeches = await loadDebateSpeeches(MINI);
    const articles = speeches.map(speechArticle);
    for (const { body: _body, file: _file, ...meta } of articles) expect(articleMetaSchema.safeParse(meta).success).toBe(true);
    const bikes = articles.find((a) => a.id === "ana-7-bike-lanes-pro-opening");
    expect(bikes).toMatchObject({ authors: ["Ana"], outlet: DEBATE_OUTLET, published: null, gaps: 0, file: "ana_7_bike-lanes_pro_opening.tom.trs.txt" });
    expect(segmentBody(bikes?.body ?? "")).toHaveLength(2); // six sentences, one a line
    expect(bikes?.title).not.toMatch(/bike/i); // the topic is not in the title
    const fireworks = articles.find((a) => a.id === "ana-8-ban-fireworks-pro-opening");
    expect(fireworks?.body.split("\n\n")).toEqual([
      "Fireworks frighten pets and wildlife every single autumn. Veterans with trauma dread the noise for weeks.",
      "We should ban the sale of fireworks to the public and keep only licensed displays. Banning private fireworks would also cut the burns seen in hospitals.",
    ]);
  });

  it("groups speeches by motion with distinct speakers, and insists on a phrase for each motion", async () => {
    const speeches = await loadDebateSpeeches(MINI);
    const motions = debateMotions(speeches, await loadDebateTopics(TOPICS));
    expect(motions.map((m) => [m.motionId, m.phrase, m.speakers])).toEqual([
      ["7", "protected bike lanes", ["Ana", "Ben"]],
      ["8", "banning fireworks", ["Ana"]],
      ["9", "a four-day week", ["Ben", "Cleo"]],
    ]);
    expect(() => debateMotions(speeches, { "7": "x", "8": "y" })).toThrow(/no topic phrase for motion\(s\) 9/);
    expect(() => debateMotions(speeches, { "7": "x", "8": "y", "9": "z", "10": "w" })).toThrow(/not in the folder: 10/);
  });

  it("fails with the folder's name when there are no transcripts", async () => {
    await expect(loadDebateSpeeches(path.join(MINI, "nowhere"))).rejects.toThrow(/nowhere/);
  });
});

describe("the figures", () => {
  const motion: DebateMotion = { motionId: "1", topic: "t", phrase: "p", articleIds: ["a1", "a2", "a3"], speakers: ["Ana", "Ben", "Cleo"] };

  it("counts shown passages from the motion, speakers given a column with a passage, and empty columns", () => {
    const outcome = scoreMotion(motion, [
      { authors: ["Ana"], passages: ["a1", "x9"] }, // one on the motion, one off
      { authors: ["Ben"], passages: [] }, // a column, but no passage: not recalled
      { authors: ["Dan"], passages: ["x7"] },
      { authors: ["Cleo", "Eve"], passages: ["a3"] }, // co-authored column counts for Cleo
    ]);
    expect(outcome).toEqual({ motionId: "1", phrase: "p", passages: 4, onMotion: 2, fromOtherSpeakers: 1, speakers: 3, speakersShown: ["Ana", "Cleo"], columns: 4, emptyColumns: 1 });
  });

  it("micro-averages over motions", () => {
    const a = scoreMotion(motion, [{ authors: ["Ana"], passages: ["a1"] }]); // 1/1 on motion, 1/3 speakers
    const b = scoreMotion({ ...motion, speakers: ["Ana"] }, [
      { authors: ["Ana"], passages: ["x1", "x2", "a2"] },
      { authors: ["Ben"], passages: [] },
    ]); // 1/3 on motion, 1/1 speakers
    const figures = debateFigures([a, b]);
    expect(figures.topicalPrecision).toBeCloseTo(2 / 4); // not the macro (1 + 1/3) / 2
    expect(figures.speakerRecall).toBeCloseTo(2 / 4);
    expect(figures).toMatchObject({ motions: 2, columnsPerContrast: 1.5, emptyColumnsPerContrast: 0.5, passages: 4, onMotion: 2, fromOtherSpeakers: 0, speakers: 4, speakersShown: 2 });
  });

  it("gives zeros rather than NaN when nothing was shown", () => {
    expect(debateFigures([scoreMotion(motion, [])])).toMatchObject({ topicalPrecision: 0, speakerRecall: 0, columnsPerContrast: 0 });
    expect(debateFigures([])).toMatchObject({ motions: 0, topicalPrecision: 0, speakerRecall: 0 });
  });
});

describe("the baseline and the report on the fixture", () => {
  it("gives each speaker at most one column, their best window, at most the cap", async () => {
    const speeches = await loadDebateSpeeches(MINI);
    const articles = speeches.map(speechArticle);
    const columns = plainMinisearchContraster(articles)("fireworks");
    expect(columns).toEqual([{ authors: ["Ana"], passages: [expect.stringMatching(/^ana-8-ban-fireworks-/) as string] }]);
    expect(plainMinisearchContraster(articles, 1)("the")).toHaveLength(1);
    const motions = debateMotions(speeches, await loadDebateTopics(TOPICS));
    const outcomes = runDebate(motions, plainMinisearchContraster(articles));
    expect(outcomes.every((o) => o.emptyColumns === 0 && o.columns <= 3)).toBe(true);
  });

  it("reports both systems over the fixture, the engine also on the calibration and held-out motions apart", async () => {
    const { figures, text } = await debateReport(MINI, { engine: "engine", baseline: "minisearch defaults" }, TOPICS);
    expect(figures).toMatchObject({ mode: "debate", speeches: 6, motions: 3, speakers: 3 });
    const systems = (figures as { systems: Record<string, { motions: number; topicalPrecision: number; speakerRecall: number }> }).systems;
    expect(Object.keys(systems)).toEqual(["engine", "engine (held-out motions)", "engine (calibration motions)", "minisearch defaults"]);
    // Motions in numeric order: the 1st and 3rd calibrate, the 2nd is held out.
    const motionsOf = Object.fromEntries(Object.entries(systems).map(([name, system]) => [name, system.motions]));
    expect(motionsOf).toEqual({ engine: 3, "engine (held-out motions)": 1, "engine (calibration motions)": 2, "minisearch defaults": 3 });
    for (const system of Object.values(systems)) {
      expect(system.topicalPrecision).toBeGreaterThanOrEqual(0);
      expect(system.topicalPrecision).toBeLessThanOrEqual(1);
    }
    expect(text).toMatch(/system\s+motions\s+topical precision\s+speaker recall\s+columns per contrast\s+empty columns/);
  });
});
