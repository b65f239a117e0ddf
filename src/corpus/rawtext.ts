/**
 * Line-level helpers for ingesting a raw scraped text: normalising whitespace and recognising
 * the lines a reposting site adds around an article (site name, headline, byline, bios, outlet).
 * Every classifier looks at one trimmed line and is deliberately narrow: a false positive
 * would move an author's sentence out of the quotable body.
 */

/**
 * A tab or a Unicode space separator other than the plain space: \p{Zs} less U+0020, as
 * replacing every plain space with itself made this the slowest step of ingesting a large text.
 */
const OTHER_SPACES = /\t|[^\P{Zs} ]/gu;

/**
 * Normalises line endings (CRLF and lone CR become LF), strips a BOM and zero-width spaces,
 * turns tabs and every Unicode space separator (\p{Zs}: no-break, thin, em, ideographic spaces…)
 * into plain spaces, collapses runs of spaces and trims every line. Words and punctuation (curly
 * quotes, dashes) are left exactly as they are.
 */
export function normaliseRaw(raw: string): string[] {
  return raw
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u200B\uFEFF]/g, "")
    .replace(OTHER_SPACES, " ")
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trim());
}

/** Sentence-ending punctuation, which may be followed by closing quotes or brackets. */
const SENTENCE_ENDERS = new Set([".", "!", "?", "…"]);
const CLOSERS = new Set(['"', "'", "”", "’", ")", "]"]);
/** Characters that attach to the preceding word: no space goes before them when joining. */
const ATTACHING_START = /^[,.;:?!)\]}”’%…]/u;

/**
 * Whether the text ends a sentence: . ! ? or … then any closing quotes or brackets. It reads
 * backwards from the end and stops at the first other character, so its cost does not grow with
 * the text (an end-of-string regex tries every position of it).
 */
export function endsSentence(line: string): boolean {
  let at = line.length - 1;
  while (at >= 0 && CLOSERS.has(line.charAt(at))) at--;
  return at >= 0 && SENTENCE_ENDERS.has(line.charAt(at));
}

export function startsWithAttachingPunctuation(line: string): boolean {
  return ATTACHING_START.test(line);
}

export function startsLowercase(line: string): boolean {
  return /^\p{Ll}/u.test(line);
}

/** A line starting with a dash continues the sentence before it ("— just last week! —"). */
export function startsWithDash(line: string): boolean {
  return /^[–—]/u.test(line);
}

/** True when `next` cannot start a new sentence: it begins in lowercase, with , . ; : ? etc. or a dash. */
export function continuesSentence(next: string): boolean {
  return startsLowercase(next) || startsWithAttachingPunctuation(next) || startsWithDash(next);
}

/**
 * Joins two pieces of one sentence: no space before attaching punctuation, none after a dash
 * that was glued to its word ("well-" + "known"), otherwise a single space.
 */
export function joinPieces(left: string, right: string): string {
  return left + joinSeparator(left, right) + right;
}

/**
 * What joinPieces puts between the pieces: "" or " ". Only the last two characters of `left`
 * matter, so a caller building a long paragraph may pass just its tail.
 */
export function joinSeparator(left: string, right: string): "" | " " {
  if (startsWithAttachingPunctuation(right)) return "";
  if (/^\S[-‐–—]$/u.test(left.slice(-2)) && /^\p{L}/u.test(right)) return "";
  return " ";
}

function wordCount(line: string): number {
  return line.split(" ").filter(Boolean).length;
}

/** An all-caps site name at the top, such as "TECHTRICKS365" (at most three words). */
export function isSiteNameLine(line: string, site: string | undefined): boolean {
  if (site !== undefined && line.toLowerCase() === site.toLowerCase()) return true;
  return (
    wordCount(line) <= 3 && /\p{Lu}/u.test(line) && !/\p{Ll}/u.test(line) && !/[.!?,;:"“”]/u.test(line)
  );
}

/**
 * Removes a site name appended to a headline ("Title TechTricks365", "Title | Site"),
 * comparing case-insensitively. Returns the title and the suffix as written, if one was found.
 */
export function stripSiteSuffix(line: string, siteNames: readonly string[]): { title: string; suffix?: string } {
  for (const name of siteNames) {
    if (name === "" || line.length <= name.length) continue;
    const start = line.length - name.length;
    if (line.slice(start).toLowerCase() !== name.toLowerCase() || line[start - 1] !== " ") continue;
    let title = line.slice(0, start).trimEnd();
    // A separator before the site name goes too ("Title | Site"), when whitespace precedes it.
    // Tested on the last two characters: /\s+[|:–—-]$/ retried every start in a run of spaces.
    if (/^\s[|:–—-]$/u.test(title.slice(-2))) title = title.slice(0, -1).trimEnd();
    if (title !== "") return { title, suffix: line.slice(start) };
  }
  return { title: line };
}

/** Compares headlines loosely: case, quote style and spacing do not matter. */
export function sameHeadline(a: string, b: string): boolean {
  const key = (text: string) => text.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ");
  return key(a) === key(b);
}

/** A short capitalised remainder, e.g. the site name after a repeated headline ("| TechTricks365"). */
export function isShortSuffix(text: string): boolean {
  const rest = text.replace(/^[\s|:–—-]+/u, "").trim();
  return rest !== "" && wordCount(rest) <= 4 && isOutletLine(rest);
}

/** A line that reads like a headline: short, no terminal period, and not continued on the next line. */
export function looksLikeHeadline(line: string, next: string | undefined): boolean {
  if (wordCount(line) > 20 || line.length > 160) return false;
  if (/[.,;:]/.test(line.slice(-1)) || !/^[\p{Lu}\p{N}"“‘']/u.test(line)) return false;
  return next === undefined || matchByline(next) !== undefined || !continuesSentence(next);
}

const NAME_PART = String.raw`\p{Lu}[\p{L}.'’-]*`;
const NAME_JOINER = "and|&|de|da|di|du|van|von|der|den|del|la|le|bin|al";
const NAME = String.raw`${NAME_PART},?(?:\s+(?:${NAME_PART},?|${NAME_JOINER}))*`;
const BYLINE = new RegExp(String.raw`^(?:by|By|BY)\s+(${NAME})$`, "u");

/** A leading "by X" line; returns the line as written. */
export function matchByline(line: string): string | undefined {
  return BYLINE.test(line) && wordCount(line) <= 9 ? line : undefined;
}

const BIO_START = new RegExp(String.raw`^(${NAME})\s+(?:is|was|are|were|serves as|served as|has been)\s`, "u");
const BIO_ROLE =
  /\b(?:fellows?|directors?|professors?|editors?|columnists?|contributors?|authors?|writers?|journalists?|correspondents?|analysts?|researchers?|scholars?|lecturers?|ambassadors?|advis[eo]rs?|economists?|chair(?:man|woman|s)?|co-?founders?|founders?|CEO|commentators?|historians?|reporters?)\b/u;
/** Outlets' one-line descriptions of an editorial board, which stand in for a bio. */
const BOARD_BIO = /^(?:The )?Editorial Board (?:publishes|represents|is made up of|consists of)\b/u;

/** A closing author bio: "<Name> is a senior fellow at …", "<Name> is Director of …". */
export function isBioLine(line: string): boolean {
  if (line.length > 600) return false;
  if (BOARD_BIO.test(line)) return true;
  const start = BIO_START.exec(line);
  if (!start || wordCount(start[0]) > 10) return false;
  return BIO_ROLE.test(line.slice(start[0].length));
}

/** The person a bio line is about ("Alena Getmanchuk"), or undefined for an editorial-board line. */
export function bioName(line: string): string | undefined {
  if (BOARD_BIO.test(line)) return undefined;
  return BIO_START.exec(line)?.[1]?.replace(/,$/, "");
}

const OUTLET_SMALL_WORD = /^(?:of|the|and|for|on|in|at|de|la|le|&)$/;

/** A closing outlet name on its own line, such as "National Post". */
export function isOutletLine(line: string): boolean {
  if (line.length > 60 || /[.!?,;:"“”()]/u.test(line)) return false;
  const words = line.split(" ");
  if (words.length > 6) return false;
  return /^[\p{Lu}\p{N}]/u.test(line) && words.every((word) => /^[\p{Lu}\p{N}]/u.test(word) || OUTLET_SMALL_WORD.test(word));
}

const DATE_PREFIX = /^date (\d{4}-\d{2}-\d{2})(?: |$)/i;

/** A "date 2022-04-01" prefix some archives put before the text; returns the date and the rest. */
export function matchDatePrefix(line: string): { date: string; prefix: string; rest: string } | undefined {
  const match = DATE_PREFIX.exec(line);
  if (!match?.[1] || !isIsoDate(match[1])) return undefined;
  return { date: match[1], prefix: match[0].trim(), rest: line.slice(match[0].length).trim() };
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A lowercase slug of at most about 60 characters, cut at a word boundary. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’‘]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= 60) return slug;
  const cut = slug.slice(0, 61);
  const boundary = cut.lastIndexOf("-");
  return (boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, 60)).replace(/-+$/, "");
}
