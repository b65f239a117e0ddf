import path from "node:path";
import { loadCuratedTopics, type CuratedTopic } from "./analysis/topics.js";
import { loadCorpus, type Article, type CorpusProblem } from "./corpus/load.js";
import { createEngine, type Engine, type EngineOptions } from "./engine.js";
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
  const thesaurusFile = options.thesaurusFile ?? path.join(corpusDir, "thesaurus.yml");
  const thesaurus = await Thesaurus.load(thesaurusFile).catch(() => {
    keptSettings.push(path.basename(thesaurusFile));
    return new Thesaurus(previous.source.thesaurus.map((group) => [...group]));
  });
  const topicsFile = options.topicsFile ?? path.join(corpusDir, "topics.yml");
  const curatedTopics: readonly CuratedTopic[] = await loadCuratedTopics(topicsFile).catch(() => {
    keptSettings.push(path.basename(topicsFile));
    return previous.source.curatedTopics;
  });
  return {
    engine: createEngine(corpusDir, articles, corpus.problems, thesaurus, curatedTopics),
    problems: corpus.problems,
    keptFiles: kept.map((article) => article.file),
    keptSettings,
  };
}
