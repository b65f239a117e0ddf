/**
 * `npm run eval -- --debate <folder>`: `contrast` on the IBM Debater Recorded Debating Dataset
 * (200 speeches, 50 motions × 4 speeches, 9 speakers), a set nobody here wrote.
 *
 * The folder is read where it lies (never copied into the project): its `manual_transcripts/`
 * hold one speech per file, named
 * `<speaker>_<motion id>_<topic>_<pro|con>_opening[_<opponent>].<transcriber>.trs.txt`, one
 * utterance a line. Each speech becomes one in-memory Article whose author is the speaker; the
 * engine is built over all of them with no thesaurus and no curated topics. For every motion
 * the topic phrase of `eval/debate-topics.json` (written from the motion's topic alone, before
 * any run) is contrasted, and two figures are counted:
 *
 * - topical precision: of all passages shown in all columns, the share from that motion's speeches;
 * - speaker recall: of the motion's speakers, the share given a column with at least one passage.
 *
 * Both are micro-averaged over the motions (summed counts, then divided). The baseline is plain
 * minisearch defaults over the same passage windows, made into columns the simple way: each
 * speaker's best-scoring window, the MAX_CONTRAST_COLUMNS speakers with the best ones.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { MAX_CONTRAST_COLUMNS } from "../src/analysis/contrast.js";
import type { Article } from "../src/corpus/load.js";
import { createEngine, type Engine } from "../src/engine.js";
import { QueryError } from "../src/errors.js";
import { Thesaurus } from "../src/search/thesaurus.js";
import { passageWindows } from "../src/text/passages.js";
import { segmentBody, segmentSentences } from "../src/text/segment.js";
import { seconds, table } from "./report.js";

export const DEBATE_OUTLET = "IBM Debater speeches";
/** Sentences per paragraph when a transcript has no blank lines (the manual transcripts have none). */
export const SENTENCES_PER_PARAGRAPH = 4;
const TRANSCRIPTS = "manual_transcripts";
const FILE_NAME = /^([a-z]+)_(\d+)_([a-z0-9-]+)_(pro|con)_opening(?:_([a-z]+))?\.([a-z]+)\.trs\.txt$/;

/** One recorded speech, as its file name and transcript give it. */
export interface DebateSpeech {
  /** The file name without transcriber and extension, e.g. `daniel_221_ban-gambling_con_opening_yaar`. */
  speechId: string;
  motionId: string;
  /** The motion's short topic description from the file name, e.g. `ban-gambling`. */
  topic: string;
  polarity: "pro" | "con";
  /** Display name, e.g. "Daniel". */
  speaker: string;
  /** The speaker this speech answers, when it contests one. */
  opponent: string | null;
  file: string;
  /** The transcript as read. */
  text: string;
}

const capitalize = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The parts of a transcript's file name, or null when the name is not one. */
export function parseSpeechFileName(file: string): Omit<DebateSpeech, "text"> | null {
  const match = FILE_NAME.exec(file);
  if (!match) return null;
  const [, speaker = "", motionId = "", topic = "", polarity = "", opponent] = match;
  return {
    speechId: file.replace(/\.[a-z]+\.trs\.txt$/, ""),
    motionId,
    topic,
    polarity: polarity === "pro" ? "pro" : "con",
    speaker: capitalize(speaker),
    opponent: opponent === undefined ? null : capitalize(opponent),
    file,
  };
}

/** Every speech of `<folder>/manual_transcripts/`, in file-name order; other files there are ignored. */
export async function loadDebateSpeeches(folder: string): Promise<DebateSpeech[]> {
  const dir = path.join(folder, TRANSCRIPTS);
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new Error(`cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const speeches: DebateSpeech[] = [];
  for (const name of names) {
    const parsed = parseSpeechFileName(name);
    if (parsed === null) continue;
    speeches.push({ ...parsed, text: await readFile(path.join(dir, name), "utf8") });
  }
  if (speeches.length === 0) throw new Error(`no transcripts (<speaker>_<motion>_<topic>_<pro|con>_opening….trs.txt) in ${dir}`);
  return speeches;
}

/**
 * A transcript as an article body: its blank-line paragraphs (inner line breaks made spaces), or,
 * when it has none, its sentences SENTENCES_PER_PARAGRAPH at a time. Only whitespace changes.
 */
export function transcriptBody(text: string): string {
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  const flat = (paragraph: string): string => paragraph.replace(/\s*\n\s*/g, " ").trim();
  if (/\n[ \t]*\n/.test(normalized)) {
    return normalized
      .split(/\n[ \t]*\n\s*/)
      .map(flat)
      .filter((paragraph) => paragraph !== "")
      .join("\n\n");
  }
  const joined = flat(normalized);
  const sentences = segmentSentences(joined, { start: 0, end: joined.length });
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += SENTENCES_PER_PARAGRAPH) {
    const group = sentences.slice(i, i + SENTENCES_PER_PARAGRAPH);
    const first = group[0];
    const last = group.at(-1);
    if (first && last) paragraphs.push(joined.slice(first.start, last.end));
  }
  return paragraphs.join("\n\n");
}

/** The article id of a speech: its speech id as a slug. */
export const speechArticleId = (speech: Pick<DebateSpeech, "speechId">): string => speech.speechId.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");

/**
 * A speech as an article. The title names speaker, motion id and side but not the topic, so the
 * engine's title lift gets nothing the baseline (passage text only) does not see.
 */
export function speechArticle(speech: DebateSpeech): Article {
  return {
    id: speechArticleId(speech),
    title: `Debate speech by ${speech.speaker} (motion ${speech.motionId}, ${speech.polarity})`,
    authors: [speech.speaker],
    outlet: DEBATE_OUTLET,
    published: null,
    published_note: "a recorded debate speech; the dataset gives no date",
    source: { site: "IBM Debater Recorded Debating Dataset V4 (manual transcripts)" },
    gaps: 0,
    bios: [],
    notes: "",
    body: transcriptBody(speech.text),
    file: speech.file,
  };
}

/** Motion id → topic phrase, as in eval/debate-topics.json. */
export type DebateTopics = Record<string, string>;

export async function loadDebateTopics(file: string | URL = new URL("./debate-topics.json", import.meta.url)): Promise<DebateTopics> {
  const value = JSON.parse(await readFile(file, "utf8")) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${String(file)}: expected {"<motion id>": "<topic phrase>"}`);
  const topics: DebateTopics = {};
  for (const [motion, phrase] of Object.entries(value)) {
    if (typeof phrase !== "string" || phrase.trim() === "") throw new Error(`${String(file)}: motion ${motion}: the phrase must be a non-empty string`);
    topics[motion] = phrase;
  }
  return topics;
}

/** One motion of the set: its phrase, its speeches' article ids and its distinct speakers. */
export interface DebateMotion {
  motionId: string;
  topic: string;
  phrase: string;
  articleIds: string[];
  speakers: string[];
}

/** The motions of the speeches, in numeric order; every motion must have a phrase and every phrase a motion. */
export function debateMotions(speeches: readonly DebateSpeech[], topics: DebateTopics): DebateMotion[] {
  const byMotion = new Map<string, DebateSpeech[]>();
  for (const speech of speeches) byMotion.set(speech.motionId, [...(byMotion.get(speech.motionId) ?? []), speech]);
  const missing = [...byMotion.keys()].filter((motion) => topics[motion] === undefined);
  const extra = Object.keys(topics).filter((motion) => !byMotion.has(motion));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      [missing.length > 0 ? `no topic phrase for motion(s) ${missing.join(", ")}` : "", extra.length > 0 ? `phrases for motion(s) not in the folder: ${extra.join(", ")}` : ""]
        .filter(Boolean)
        .join("; "),
    );
  }
  return [...byMotion.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([motionId, group]) => ({
      motionId,
      topic: group[0]?.topic ?? "",
      phrase: topics[motionId] ?? "",
      articleIds: group.map(speechArticleId),
      speakers: [...new Set(group.map((speech) => speech.speaker))].sort(),
    }));
}

/** What a contrast showed, reduced to what the figures need. */
export interface ShownColumn {
  /** The column's named authors. */
  authors: string[];
  /** The article id of each passage shown, best first. */
  passages: string[];
}

/** One motion's counts for one system. */
export interface MotionOutcome {
  motionId: string;
  phrase: string;
  /** Passages shown in all columns, and how many of them come from the motion's speeches. */
  passages: number;
  onMotion: number;
  /** Shown passages in columns of authors who gave no speech on the motion (necessarily off the motion). */
  fromOtherSpeakers: number;
  /** The motion's distinct speakers, and those given a column with at least one passage. */
  speakers: number;
  speakersShown: string[];
  columns: number;
  emptyColumns: number;
}

/** Counts one contrast against its motion. */
export function scoreMotion(motion: DebateMotion, columns: readonly ShownColumn[]): MotionOutcome {
  const own = new Set(motion.articleIds);
  const shown = columns.flatMap((column) => column.passages);
  const speakers = new Set(motion.speakers);
  const others = columns.filter((column) => !column.authors.some((author) => speakers.has(author)));
  const withPassage = new Set(columns.filter((column) => column.passages.length > 0).flatMap((column) => column.authors));
  return {
    motionId: motion.motionId,
    phrase: motion.phrase,
    passages: shown.length,
    onMotion: shown.filter((id) => own.has(id)).length,
    fromOtherSpeakers: others.reduce((total, column) => total + column.passages.length, 0),
    speakers: motion.speakers.length,
    speakersShown: motion.speakers.filter((speaker) => withPassage.has(speaker)),
    columns: columns.length,
    emptyColumns: columns.filter((column) => column.passages.length === 0).length,
  };
}

export interface DebateFigures {
  motions: number;
  /** Micro-average: on-motion passages / all passages shown (0 when nothing was shown). */
  topicalPrecision: number;
  /** Micro-average: motion speakers given a column with a passage / all motion speakers. */
  speakerRecall: number;
  columnsPerContrast: number;
  emptyColumnsPerContrast: number;
  passages: number;
  onMotion: number;
  /** Of the passages off the motion, those in columns of speakers who gave no speech on it. */
  fromOtherSpeakers: number;
  speakers: number;
  speakersShown: number;
}

export function debateFigures(outcomes: readonly MotionOutcome[]): DebateFigures {
  const sum = (of: (outcome: MotionOutcome) => number): number => outcomes.reduce((total, outcome) => total + of(outcome), 0);
  const passages = sum((o) => o.passages);
  const onMotion = sum((o) => o.onMotion);
  const speakers = sum((o) => o.speakers);
  const speakersShown = sum((o) => o.speakersShown.length);
  const n = outcomes.length;
  return {
    motions: n,
    topicalPrecision: passages === 0 ? 0 : onMotion / passages,
    speakerRecall: speakers === 0 ? 0 : speakersShown / speakers,
    columnsPerContrast: n === 0 ? 0 : sum((o) => o.columns) / n,
    emptyColumnsPerContrast: n === 0 ? 0 : sum((o) => o.emptyColumns) / n,
    passages,
    onMotion,
    fromOtherSpeakers: sum((o) => o.fromOtherSpeakers),
    speakers,
    speakersShown,
  };
}

/** A contrast system: a topic phrase → the columns it shows. */
export type Contraster = (phrase: string) => ShownColumn[];

/** The engine's contrast; a phrase with no searchable words shows nothing. */
export function engineContraster(engine: Engine): Contraster {
  return (phrase) => {
    try {
      return engine.contrast(phrase).columns.map((column) => ({ authors: column.authors, passages: column.passages.map((p) => p.articleId) }));
    } catch (error) {
      if (error instanceof QueryError) return [];
      throw error;
    }
  };
}

/**
 * The baseline: minisearch with its defaults over every passage window of every article (as in
 * eval/own-set.ts), and columns the simple way: each author's best-scoring window, one column for
 * each of the `maxColumns` authors whose best window scores highest (ties: result order).
 */
export function plainMinisearchContraster(articles: readonly Article[], maxColumns = MAX_CONTRAST_COLUMNS): Contraster {
  const windows: { id: number; text: string; articleId: string; author: string }[] = [];
  for (const article of articles) {
    const author = article.authors.join(" & ") || `Unknown author (${article.id})`;
    for (const paragraph of segmentBody(article.body)) {
      for (const span of passageWindows(paragraph)) {
        windows.push({ id: windows.length, text: article.body.slice(span.start, span.end), articleId: article.id, author });
      }
    }
  }
  const authorsOf = new Map(articles.map((article) => [article.id, article.authors]));
  const index = new MiniSearch<(typeof windows)[number]>({ fields: ["text"], storeFields: ["articleId", "author"] });
  index.addAll(windows);
  return (phrase) => {
    const best = new Map<string, string>(); // author → article id of their best window
    for (const result of index.search(phrase)) {
      const author = result["author"] as string;
      if (!best.has(author)) best.set(author, result["articleId"] as string);
      if (best.size === maxColumns) break;
    }
    return [...best.values()].map((articleId) => ({ authors: authorsOf.get(articleId) ?? [], passages: [articleId] }));
  };
}

export function runDebate(motions: readonly DebateMotion[], contrast: Contraster): MotionOutcome[] {
  return motions.map((motion) => scoreMotion(motion, contrast(motion.phrase)));
}

const percent = (value: number): string => `${(100 * value).toFixed(1)}%`;

/** The whole evaluation of a folder: figures as data, and the report as text. */
export async function debateReport(folder: string, names: { engine: string; baseline: string }, topicsFile?: string): Promise<{ figures: unknown; text: string }> {
  const started = performance.now();
  const [speeches, topics] = await Promise.all([loadDebateSpeeches(folder), loadDebateTopics(topicsFile)]);
  const motions = debateMotions(speeches, topics);
  const articles = speeches.map(speechArticle);
  let mark = performance.now();
  const engine = createEngine(folder, articles, [], Thesaurus.empty(), []);
  const engineBuildMs = performance.now() - mark;
  mark = performance.now();
  const engineOutcomes = runDebate(motions, engineContraster(engine));
  const engineRunMs = performance.now() - mark;
  mark = performance.now();
  const baselineOutcomes = runDebate(motions, plainMinisearchContraster(articles));
  const baselineMs = performance.now() - mark;
  // The relevance floor was calibrated on the odd motions (1st, 3rd… in numeric order) only; the
  // even ones are held out, so their row is the figure to trust.
  const half = (outcomes: readonly MotionOutcome[], parity: number) => outcomes.filter((_, i) => i % 2 === parity);
  const systems = {
    [names.engine]: debateFigures(engineOutcomes),
    [`${names.engine} (held-out motions)`]: debateFigures(half(engineOutcomes, 1)),
    [`${names.engine} (calibration motions)`]: debateFigures(half(engineOutcomes, 0)),
    [names.baseline]: debateFigures(baselineOutcomes),
  };
  const speakers = new Set(speeches.map((speech) => speech.speaker)).size;
  const paragraphs = articles.reduce((total, article) => total + segmentBody(article.body).length, 0);

  const lines = [
    `IBM Debater speeches ${folder}: ${speeches.length} speeches (${TRANSCRIPTS}), ${motions.length} motions, ${speakers} speakers, ${paragraphs} paragraphs`,
    `topic phrases: ${topicsFile ?? "eval/debate-topics.json"} (one per motion, written from its topic before any run)`,
    `${names.engine} = createEngine(Thesaurus.empty(), no curated topics) + contrast(phrase); ${names.baseline} = new MiniSearch({fields: ["text"]}) over every passage window, each speaker's best window, the ${MAX_CONTRAST_COLUMNS} best speakers`,
    `topical precision = shown passages from the motion's speeches / all shown passages; speaker recall = motion's speakers given a column with a passage / motion's speakers (both micro-averaged)`,
    `the contrast's relevance floor was calibrated on the calibration motions (odd places in numeric order); the held-out motions (even places) were not looked at`,
    "",
    table(
      ["system", "motions", "topical precision", "speaker recall", "columns per contrast", "empty columns"],
      Object.entries(systems).map(([name, f]) => [
        name,
        String(f.motions),
        `${percent(f.topicalPrecision)} (${f.onMotion}/${f.passages})`,
        `${percent(f.speakerRecall)} (${f.speakersShown}/${f.speakers})`,
        f.columnsPerContrast.toFixed(2),
        f.emptyColumnsPerContrast.toFixed(2),
      ]),
    ),
    "",
    ...Object.entries(systems).map(
      ([name, f]) =>
        `${name}: of ${f.passages - f.onMotion} passages off the motion, ${f.fromOtherSpeakers} are in columns of speakers who gave no speech on it; the motion's speakers' columns are ${percent(f.passages - f.fromOtherSpeakers === 0 ? 0 : f.onMotion / (f.passages - f.fromOtherSpeakers))} on the motion`,
    ),
    `${names.engine}: build ${seconds(engineBuildMs)}, ${motions.length} contrasts ${seconds(engineRunMs)}; ${names.baseline}: build and run ${seconds(baselineMs)}; total ${seconds(performance.now() - started)}`,
  ];
  const figures = {
    mode: "debate",
    folder,
    speeches: speeches.length,
    motions: motions.length,
    speakers,
    paragraphs,
    sentencesPerParagraph: SENTENCES_PER_PARAGRAPH,
    topicsFile: topicsFile ?? "eval/debate-topics.json",
    systems,
    perMotion: motions.map((motion, i) => ({
      motionId: motion.motionId,
      topic: motion.topic,
      phrase: motion.phrase,
      speakers: motion.speakers,
      [names.engine]: engineOutcomes[i],
      [names.baseline]: baselineOutcomes[i],
    })),
    timingsMs: { engineBuild: engineBuildMs, engineContrasts: engineRunMs, baseline: baselineMs },
  };
  return { figures, text: lines.join("\n") };
}
