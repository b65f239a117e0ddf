import type { PublicationDate } from "./corpus/dates.js";
import type { Article } from "./corpus/load.js";

// Result types that cross layers: the engine returns them, analysis, the Discord layer, the
// digest and the CLI show them. Types one layer owns stay in that layer.

/** An article's metadata without its body. */
export type ArticleInfo = Omit<Article, "body">;

export interface AuthorInfo {
  name: string;
  articleIds: string[];
}

/** One exact passage of an article, ready to be shown with its attribution. */
export interface PassageResult {
  articleId: string;
  title: string;
  authors: string[];
  outlet: string;
  /** The day the text prints, else null (see Article.published). */
  published: string | null;
  /** The article's date at its precision, printed or inferred; absent on passages built in code (read it through `dateOf`). */
  date?: PublicationDate | null;
  /** Exactly `article.body.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  citation: string;
  score: number;
  /** Offsets into `text` of the words that matched the query. */
  highlights: { start: number; end: number }[];
}

export interface SearchOptions {
  /** Full name or surname, case-insensitive. */
  author?: string;
  /** Article id. */
  article?: string;
  /**
   * Inclusive ISO days; an article counts when its date may fall inside (a month, year or range
   * that overlaps); articles without a known date are left out when either is set.
   */
  from?: string;
  to?: string;
  /** Most results; search defaults to 10, quote to 3. */
  limit?: number;
}
