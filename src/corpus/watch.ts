import { watch, type FSWatcher } from "node:fs";

/** A folder being watched; `close()` stops it. */
export interface FolderWatch {
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes in a folder (files added, edited, renamed, removed)
 * has been quiet for `debounceMs`: an editor's save is several events, a copied folder hundreds.
 */
export function watchFolder(dir: string, onChange: () => void, options: { debounceMs?: number; onError?: (error: Error) => void } = {}): FolderWatch {
  const debounceMs = options.debounceMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dir, { persistent: false }, () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on("error", (error) => options.onError?.(error));
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
