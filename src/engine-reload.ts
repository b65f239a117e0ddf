import path from "node:path";
import { loadCuratedTopics, type CuratedTopic } from "./analysis/topics.js";
import { loadCorpus, type Article, type CorpusProblem } from "./corpus/load.js";
import { createEngine, settingsFiles, type Engine, type EngineOptions } from "./engine.js";
import { Thesaurus } from "./search/thesaurus.js";

/** A reloaded engine, and what of the previous one it kept because the folder's version was broken. */
export interface Reloaded {
  engine: Engine;
  /** Files that failed validation this time (file, field, reason). */
  problems: readonly CorpusProblem[];
  /** Files whose previous article is still served because their new version does not load. */
  keptFiles: string[];
  /** thesaurus.yml or topics.yml broke: the previous one is still used. */
  keptSettings: string[];
}

/**
 * The engine of the corpus folder as it is now. A file that no longer loads keeps serving its
 * previous article (a moderator's typo must not take an article away), and so does a broken
 * thesaurus or topics file; a file that was removed is gone.
 */
export async function reloadEngine(previous: Engine, options: EngineOptions): Promise<Reloaded> {
  const { corpusDir } = options;
  const corpus = await loadCorpus(corpusDir);
  const broken = new Set(corpus.problems.map((problem) => problem.file));
  const ids = new Set(corpus.articles.map((article) => article.id));
  const kept = previous.source.articles.filter((article) => broken.has(article.file) && !ids.has(article.id));
  const articles: Article[] = [...corpus.articles, ...kept];
  const keptSettings: string[] = [];
  const files = settingsFiles(options);
  const thesaurus = await Thesaurus.load(files.thesaurus).catch(() => {
    keptSettings.push(path.basename(files.thesaurus));
    return new Thesaurus(previous.source.thesaurus.map((group) => [...group]));
  });
  const curatedTopics: readonly CuratedTopic[] = await loadCuratedTopics(files.topics).catch(() => {
    keptSettings.push(path.basename(files.topics));
    return previous.source.curatedTopics;
  });
  return {
    engine: createEngine(corpusDir, articles, corpus.problems, thesaurus, curatedTopics),
    problems: corpus.problems,
    keptFiles: kept.map((article) => article.file),
    keptSettings,
  };
}
