import type { ApplicationCommandOptionChoiceData } from "discord.js";
import type { Engine } from "../engine.js";
import { NotFoundError, QueryError } from "../errors.js";
import { byline } from "../text/attribution.js";
import { parseCitation, verifyPassage } from "../text/passages.js";
import type { PassageResult, SearchOptions } from "../types.js";
import { UserError } from "./command.js";
import { escapeText, LIMITS } from "./render.js";

/**
 * Search as you type for the `query` option of /quote and /search: each choice is a passage
 * (excerpt and author), and its value names the passage by citation behind this marker, so the
 * command shows exactly the passage that was picked rather than searching again.
 */
export const CITATION_MARKER = "cite:";
/** Below this many characters a search matches too much to be worth a query per keystroke. */
export const MIN_TYPED_FOR_PASSAGES = 3;
/** What a picker shows without scrolling. */
export const PASSAGE_CHOICE_COUNT = 6;
/** A long byline is clipped so the author's words keep most of the choice name. */
const MAX_BYLINE = 40;
const ELLIPSIS = "…";
/** Characters of context kept before a matched word that would otherwise fall past the cut. */
const LEAD_IN = 20;

/**
 * The best passages for what has been typed so far, as autocomplete choices. Too-short input, words
 * the engine can't search, or a filter that doesn't resolve yet answer with no choices: the member
 * can still send what they typed, and the command then says what is wrong.
 */
export function passageChoices(engine: Engine, typed: string, filters: SearchOptions = {}): ApplicationCommandOptionChoiceData<string>[] {
  if (typed.trim().length < MIN_TYPED_FOR_PASSAGES) return [];
  let results: PassageResult[];
  try {
    results = engine.quote(typed, { ...filters, limit: PASSAGE_CHOICE_COUNT });
  } catch (error) {
    if (error instanceof QueryError || error instanceof NotFoundError) return [];
    throw error;
  }
  return results.flatMap((passage) => {
    const value = `${CITATION_MARKER}${passage.citation}`;
    // A value Discord would refuse can't be cut without naming another passage: leave it out.
    return value.length <= LIMITS.choiceValue ? [{ name: passageChoiceName(passage), value }] : [];
  });
}

/**
 * “Excerpt around the first matched word…” — Author (the outlet when no author is known), as plain
 * text within Discord's 100 characters: Discord shows choice names literally, so nothing is escaped.
 */
export function passageChoiceName(passage: Pick<PassageResult, "text" | "authors" | "outlet" | "highlights">): string {
  const author = excerpt(passage.authors.length > 0 ? byline(passage.authors) : passage.outlet, MAX_BYLINE);
  const room = LIMITS.choiceName - author.length - "“” — ".length;
  return `“${excerpt(passage.text, room, passage.highlights[0]?.start ?? 0)}” — ${author}`;
}

/**
 * Plain text of at most `max` characters on one line: whitespace runs become one space, a cut falls
 * on a word boundary and is marked "…", and when the character at `focus` (e.g. a matched word)
 * would fall past the cut, the excerpt starts a little before it instead. Never splits a surrogate pair.
 */
export function excerpt(text: string, max: number, focus = 0): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const flatFocus = text.slice(0, focus).replace(/\s+/g, " ").trimStart().length;
  let start = 0;
  // Shift only when the matched word (give or take its length) would not fit before the cut.
  if (flatFocus + LEAD_IN > max - ELLIPSIS.length) {
    const boundary = flat.lastIndexOf(" ", flatFocus - LEAD_IN);
    start = boundary > 0 && boundary >= flatFocus - 3 * LEAD_IN ? boundary + 1 : flatFocus;
    // When the rest fits with room to spare, start earlier: more of what leads up to the match.
    const earliest = flat.indexOf(" ", flat.length - (max - ELLIPSIS.length)) + 1;
    if (earliest > 0 && earliest < start) start = earliest;
    start = pairSafeStart(flat, start);
  }
  const lead = start > 0 ? ELLIPSIS : "";
  const rest = flat.slice(start);
  const room = max - lead.length;
  if (rest.length <= room) return `${lead}${rest}`;
  const head = rest.slice(0, pairSafeEnd(rest, room - ELLIPSIS.length));
  const space = head.lastIndexOf(" ");
  const cut = space > head.length / 2 ? head.slice(0, space) : head;
  // "general,…" reads as a typo: a comma or colon before the cut goes.
  return `${lead}${cut.trimEnd().replace(/[,;:]+$/, "")}${ELLIPSIS}`;
}

/** `end`, moved back one if it would cut between the two halves of a surrogate pair. */
function pairSafeEnd(text: string, end: number): number {
  const before = text.charCodeAt(end - 1);
  return end > 0 && before >= 0xd800 && before <= 0xdbff ? end - 1 : end;
}

/** `start`, moved on one if it would begin on the second half of a surrogate pair. */
function pairSafeStart(text: string, start: number): number {
  const at = text.charCodeAt(start);
  return at >= 0xdc00 && at <= 0xdfff ? start + 1 : start;
}

/**
 * The passage a `cite:` value names, checked against its article body; undefined for typed words.
 * A value that carries the marker but names no passage (typed by hand, or picked before the library
 * changed) is a clear error rather than a search for "cite:…", which would quote something unasked.
 */
export function chosenPassage(engine: Engine, query: string): PassageResult | undefined {
  const trimmed = query.trim();
  if (!trimmed.startsWith(CITATION_MARKER)) return undefined;
  const citation = trimmed.slice(CITATION_MARKER.length).trim();
  const passage = passageByCitation(engine, citation);
  if (!passage) {
    throw new UserError(
      `“${escapeText(citation)}” isn't a passage in the library (it may have changed). Pick a passage from the suggestions as you type, or search with your own words.`,
      // The boundary says so instead when this server removed the article.
      parseCitation(citation)?.articleId,
    );
  }
  return passage;
}

/** The passage with this citation id, verified against the body, or undefined when there is none. */
export function passageByCitation(engine: Engine, citation: string): PassageResult | undefined {
  const parts = parseCitation(citation);
  if (!parts) return undefined;
  const { articleId, paragraph, firstSentence, lastSentence } = parts;
  const canonical = `${articleId}:${paragraph}.${firstSentence === lastSentence ? firstSentence : `${firstSentence}-${lastSentence}`}`;
  let passages: PassageResult[];
  try {
    passages = engine.passages(articleId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const passage = passages.find((p) => p.citation === canonical);
  // Never put words in an author's mouth: the slice is checked before anyone sees it.
  if (passage) verifyPassage(engine.article(articleId), passage);
  return passage;
}

/** The author and article already filled in, to narrow the passages offered (empty ones ignored). */
export function filledFilters(options: { getString(name: string): string | null }): SearchOptions {
  const author = options.getString("author")?.trim();
  const article = options.getString("article")?.trim();
  return { ...(author ? { author } : {}), ...(article ? { article } : {}) };
}
