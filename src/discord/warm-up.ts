import type { Engine } from "../engine.js";
import { warmChoices } from "./autocomplete.js";

/**
 * Work the first interactions after a restart would otherwise pay for, done before the gateway
 * connects: the author and article choice lists, and compiling the search path with a few
 * searches on the library's own titles (about 170 ms at 10,000 articles). Results are discarded.
 */
export function warmUp(engine: Engine): void {
  warmChoices(engine);
  const titles = engine.articles().slice(0, 3).map((article) => article.title);
  for (const title of titles) {
    try {
      engine.search(title, { limit: 5 });
      engine.quote(title, { limit: 3 });
    } catch {
      // A title with no searchable words: nothing to warm with it.
    }
  }
}
