import { watchFolder } from "../corpus/watch.js";
import type { HybridSearch } from "../embeddings/hybrid.js";
import type { Engine } from "../engine.js";
import { reloadEngine } from "../engine-reload.js";
import type { Logger } from "../logging.js";
import type { Bot } from "./client.js";

export interface CorpusReloadOptions {
  corpusDir: string;
  bot: Pick<Bot, "swapEngine">;
  /** The engine served now (the one the next reload starts from). */
  engine: Engine;
  logger: Logger;
  debounceMs?: number;
  /** Hybrid search over a reloaded engine, when embeddings are configured. */
  hybridFor?: (engine: Engine) => HybridSearch | undefined;
}

export interface CorpusReload {
  /** Reloads now (what a change in the folder does after the debounce). */
  reload(): Promise<void>;
  close(): void;
}

/**
 * Hot reload of the shared corpus: a change in the folder is loaded and validated off the
 * interaction path, then swapped in at once. A broken file is logged with its file and field and
 * its previous version keeps serving; a reload that fails as a whole leaves the bot as it was.
 * Reloads never overlap: changes during one are picked up by one more afterwards.
 */
export function startCorpusReload(options: CorpusReloadOptions): CorpusReload {
  const log = options.logger.child({ component: "corpus-reload" });
  let engine = options.engine;
  let running: Promise<void> | null = null;
  const reloadOnce = async (): Promise<void> => {
    const started = performance.now();
    try {
      const reloaded = await reloadEngine(engine, { corpusDir: options.corpusDir });
      for (const problem of reloaded.problems) log.warn(problem, "corpus file not loaded");
      if (reloaded.keptFiles.length > 0) log.warn({ files: reloaded.keptFiles }, "previous version kept for files that no longer load");
      if (reloaded.keptSettings.length > 0) log.warn({ files: reloaded.keptSettings }, "previous settings kept: the file does not load");
      await options.bot.swapEngine(reloaded.engine, options.hybridFor?.(reloaded.engine));
      engine = reloaded.engine;
      log.info({ articles: engine.articles().length, ms: Math.round(performance.now() - started) }, "corpus swapped in");
    } catch (error) {
      log.error({ err: error }, "corpus reload failed; still serving the previous corpus");
    }
  };
  // A change during a reload needs one more reload after it: one, shared by every caller meanwhile,
  // so a caller's promise settles only once a reload that began after its call is done.
  let next: Promise<void> | null = null;
  const reload = (): Promise<void> => {
    if (!running) {
      running = reloadOnce().finally(() => (running = null));
      return running;
    }
    next ??= running.then(() => {
      next = null;
      return reload();
    });
    return next;
  };
  const watch = watchFolder(options.corpusDir, () => void reload(), {
    debounceMs: options.debounceMs ?? 500,
    onError: (error) => log.error({ err: error }, "cannot watch the corpus folder; changes need a restart"),
  });
  return { reload, close: () => watch.close() };
}
