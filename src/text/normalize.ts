/**
 * Matching-only normalisation. What is shown to users is always the untouched body; these
 * functions only decide whether two spellings are the same word.
 */

const QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g;
const COMBINING_MARKS = /\p{M}+/gu;
/**
 * Every Unicode space separator but the plain space (no-break, thin, em, ideographic…): NFKD
 * turns most into U+0020, not all (U+1680 stays).
 */
const SPACE_SEPARATORS = /[^\P{Zs} ]/gu;

/**
 * Folds typography: curly quotes to straight, every dash to "-", every Unicode space separator
 * to a plain space, accents dropped, lower case.
 */
export function foldTypography(text: string): string {
  return text
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .replace(SPACE_SEPARATORS, " ")
    .replace(QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .toLowerCase();
}

/** Folds one word for matching: typography, then a trailing possessive ("Russia’s", "allies'"). */
export function foldWord(word: string): string {
  return foldTypography(word).replace(/'s$/, "").replace(/'$/, "");
}

/** Folds free text for phrase matching: typography, possessives and hyphens, single spaces. */
export function foldText(text: string): string {
  return foldTypography(text)
    .replace(/'s\b/g, "")
    .replace(/(\w)-(?=\w)/g, "$1 ")
    .replace(/[^\p{L}\p{N}'\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
