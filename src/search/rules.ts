import type { Expansion } from "./thesaurus.js";

/** Which paragraphs hold an index term, ascending (empty when none does). */
export type ParagraphsWith = (term: string) => ArrayLike<number>;

/**
 * Whether a thesaurus term scores in a paragraph. A synonym group counts once per paragraph:
 * through the words the user typed when the paragraph has them, else through its strongest
 * synonym there (weight × BM25 idf, ties to the alphabetically first). Summing them instead let
 * a paragraph with three synonyms of one word outrank the paragraph with the word itself.
 * Typed terms (not in `expanded`) always score.
 */
export function synonymGroupRule(expanded: ReadonlyMap<string, Expansion>, paragraphsWith: ParagraphsWith, paragraphCount: number): (paragraph: number, term: string) => boolean {
  const strength = new Map<string, number>();
  for (const [term, { weight }] of expanded) strength.set(term, weight * idf(paragraphsWith(term).length, paragraphCount));
  // Per added term, what outranks it: its groups' typed members (each a run of words, all of which
  // the paragraph must have) and the group's stronger added terms.
  const outranking = new Map<string, { members: string[][]; stronger: string[] }>();
  for (const [term, { groups }] of expanded) {
    const mine = strength.get(term) ?? 0;
    const isStronger = (other: string) => {
      const theirs = strength.get(other) ?? 0;
      return other !== term && (theirs > mine || (theirs === mine && other < term));
    };
    outranking.set(term, {
      members: groups.flatMap((group) => group.typed),
      stronger: [...new Set(groups.flatMap((group) => group.added.filter(isStronger)))],
    });
  }
  const has = (paragraph: number, word: string) => includesSorted(paragraphsWith(word), paragraph);
  return (paragraph, term) => {
    const above = outranking.get(term);
    if (!above) return true;
    return !above.members.some((member) => member.every((word) => has(paragraph, word))) && !above.stronger.some((other) => has(paragraph, other));
  };
}

/** When a term is a library's stop word (see scoredTerms): in more than this share of its paragraphs… */
export const STOP_WORD_SHARE = 0.2;
/** …and in more than this many, so that no small library has any. */
export const STOP_WORD_FLOOR = 500;

/**
 * The terms a search scores. A term in a fifth of a large library's paragraphs (and more than
 * 500 of them) is left out while a typed term that is not remains: it is a stop word of that
 * library, and its small BM25 weight, summed over a long query's many such words, buried the
 * paragraphs that match its distinctive ones (ArguAna nDCG@10: 0.314 with them, 0.329 without).
 * It still helps choose the window inside a paragraph. A word the library lacks (a typo, say)
 * is no rarer word, unless it is the prefix being completed.
 */
export function scoredTerms(typed: readonly string[], expansion: readonly string[], documentFrequency: (term: string) => number, paragraphCount: number, prefix?: string): { typed: string[]; expansion: string[] } {
  const above = Math.max(STOP_WORD_FLOOR, STOP_WORD_SHARE * paragraphCount);
  const kept = (term: string) => documentFrequency(term) <= above;
  if (!typed.some((term) => kept(term) && (documentFrequency(term) > 0 || term === prefix))) {
    return { typed: [...typed], expansion: [...expansion] };
  }
  return { typed: typed.filter(kept), expansion: expansion.filter(kept) };
}

/** minisearch's BM25 idf of a term in `df` of `n` documents. */
function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Whether ascending `values` include `value`: a binary search. */
export function includesSorted(values: ArrayLike<number>, value: number): boolean {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return values[low] === value;
}

/** A term is common (see candidateTerms) in more than this share of a library's paragraphs… */
export const COMMON_SHARE = 0.005;
/** …and in more than this many, so that no small library is ever narrowed. */
export const COMMON_FLOOR = 500;

/**
 * The typed terms whose paragraphs are a search's candidates, or undefined to consider every
 * paragraph with any query term. minisearch scores every posting of every query term; in a large
 * library the postings of a few common words ("mln", "year", "company" on Reuters) are most of
 * a query's time: 19,043 Reuters stories had quote p95 117 ms, max 197 ms without this. So when a
 * query has a common term, only paragraphs with one of its selective (not common) typed terms
 * are candidates (a reader who types a rare word expects it in what comes back), each still
 * scored on every term. A query of common terms only takes its rarest. The prefix being
 * completed counts as common: it reaches terms of any frequency.
 */
export function candidateTerms(typed: readonly string[], expansion: readonly string[], documentFrequency: (term: string) => number, paragraphCount: number, prefix?: string): string[] | undefined {
  // No term of a library this small can be common; the prefix must not narrow it either.
  if (paragraphCount <= COMMON_FLOOR) return undefined;
  const cut = Math.max(COMMON_FLOOR, COMMON_SHARE * paragraphCount);
  const df = (term: string) => (term === prefix ? Infinity : documentFrequency(term));
  const present = typed.filter((term) => df(term) > 0);
  const selective = present.filter((term) => df(term) <= cut);
  if (selective.length === typed.length && expansion.every((term) => df(term) <= cut)) return undefined;
  if (selective.length > 0) return selective;
  const rarest = present.filter((term) => term !== prefix).sort((a, b) => df(a) - df(b))[0];
  return rarest === undefined ? undefined : [rarest];
}
