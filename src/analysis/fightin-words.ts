import { indexTerm, tokenize } from "../text/tokenize.js";

/**
 * Words that set one group of texts apart from the rest: the weighted log-odds ratio with an
 * informative Dirichlet prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical
 * Feature Selection and Evaluation for Identifying the Content of Political Conflict",
 * Political Analysis 16(4), eq. 22 (estimate) with its variance approximation, z = δ / σ.
 *
 * For term w, group i (the group) and j (the rest), with counts y, totals n and prior α:
 *
 *   δ_w = log((y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)) − log((y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w))
 *   σ²_w ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)
 *
 * The prior is informative: α_w = α_0 · π_w, where π_w is the term's share of `priorCounts`
 * (normally the whole corpus). α_0, the prior's strength in pseudo-counts, is a choice the paper
 * leaves to the analyst; DEFAULT_PRIOR_STRENGTH is documented below. A stronger prior pulls
 * rare terms towards "not distinctive", so a word used once or twice cannot top the list.
 */

export interface DistinctiveTerm {
  /** An index term (stem), see indexTerm. */
  term: string;
  /** Weighted log-odds z-score for the group against the rest; positive means "more the group's". */
  zScore: number;
  /** How often the group uses the term. */
  count: number;
}

export interface DistinctiveOptions {
  /** Most terms to return. Default 10. */
  top?: number;
  /** Least times the group must use a term. Default 2. */
  minCount?: number;
  /** Only terms with a z-score above this. Default 1.96 (two-sided 95%). */
  minZ?: number;
  /** α_0, the prior's strength in pseudo-counts. Default DEFAULT_PRIOR_STRENGTH. */
  priorStrength?: number;
}

/**
 * α_0 when none is given: 100 pseudo-counts. The prior then weighs about as much as a few
 * passages of text: enough that a word used once or twice by a group and never by the rest
 * stays below the floor, while a word a group of a few hundred words uses ten times as often as
 * the rest (20 against 2) passes it. Larger samples swamp the prior, as in the paper.
 */
export const DEFAULT_PRIOR_STRENGTH = 100;

/** The z-score floor: distinctive at the 95% level. */
export const DEFAULT_MIN_Z = 1.96;

/** The weighted log-odds z-score of every term the group or the rest uses, unsorted. */
export function logOddsZScores(
  groupCounts: ReadonlyMap<string, number>,
  restCounts: ReadonlyMap<string, number>,
  priorCounts: ReadonlyMap<string, number>,
  priorStrength = DEFAULT_PRIOR_STRENGTH,
): Map<string, number> {
  const nGroup = sum(groupCounts);
  const nRest = sum(restCounts);
  const vocabulary = new Set([...groupCounts.keys(), ...restCounts.keys()]);
  // Terms missing from the prior still get a small pseudo-count, so no log of zero.
  const priorTotal = sum(priorCounts);
  const floorShare = 0.5 / Math.max(1, priorTotal + vocabulary.size);
  const scores = new Map<string, number>();
  for (const term of vocabulary) {
    const share = priorTotal > 0 ? Math.max((priorCounts.get(term) ?? 0) / priorTotal, floorShare) : 1 / vocabulary.size;
    const alpha = priorStrength * share;
    const yGroup = groupCounts.get(term) ?? 0;
    const yRest = restCounts.get(term) ?? 0;
    const delta =
      Math.log((yGroup + alpha) / (nGroup + priorStrength - yGroup - alpha)) -
      Math.log((yRest + alpha) / (nRest + priorStrength - yRest - alpha));
    const variance = 1 / (yGroup + alpha) + 1 / (yRest + alpha);
    scores.set(term, delta / Math.sqrt(variance));
  }
  return scores;
}

/**
 * The group's distinctive terms: z above the floor and used at least `minCount` times by the
 * group, best first (ties by count, then term, so the order is stable).
 */
export function distinctiveTerms(
  groupCounts: ReadonlyMap<string, number>,
  restCounts: ReadonlyMap<string, number>,
  priorCounts: ReadonlyMap<string, number>,
  options: DistinctiveOptions = {},
): DistinctiveTerm[] {
  const top = options.top ?? 10;
  const minCount = options.minCount ?? 2;
  const minZ = options.minZ ?? DEFAULT_MIN_Z;
  const scores = logOddsZScores(groupCounts, restCounts, priorCounts, options.priorStrength ?? DEFAULT_PRIOR_STRENGTH);
  const terms: DistinctiveTerm[] = [];
  for (const [term, zScore] of scores) {
    const count = groupCounts.get(term) ?? 0;
    if (count >= minCount && zScore > minZ && zScore > 0) terms.push({ term, zScore, count });
  }
  terms.sort((a, b) => b.zScore - a.zScore || b.count - a.count || a.term.localeCompare(b.term));
  return terms.slice(0, Math.max(0, top));
}

/** How often each index term occurs in the texts (stop words left out). */
export function termCounts(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      const term = indexTerm(token.word);
      if (term !== null) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return counts;
}

/** Counts of term lists, e.g. the sentence terms of a whole corpus (for the prior). */
export function countTermLists(termLists: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const terms of termLists) for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * A readable word for each index term: the form the texts use most ("negoti" → "negotiations").
 * Case is kept only when the word is never written in lower case ("NATO", "Putin"); ties go to
 * the shorter form, then the alphabetically first, so the choice is stable.
 */
export function surfaceForms(texts: Iterable<string>): Map<string, string> {
  const forms = new Map<string, Map<string, { count: number; lower: boolean; written: Map<string, number> }>>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      const term = indexTerm(token.word);
      if (term === null) continue;
      const key = token.word.toLowerCase();
      const byForm = forms.get(term) ?? new Map<string, { count: number; lower: boolean; written: Map<string, number> }>();
      forms.set(term, byForm);
      const entry = byForm.get(key) ?? { count: 0, lower: false, written: new Map<string, number>() };
      byForm.set(key, entry);
      entry.count++;
      if (token.word === token.word.toLowerCase()) entry.lower = true;
      entry.written.set(token.word, (entry.written.get(token.word) ?? 0) + 1);
    }
  }
  const result = new Map<string, string>();
  for (const [term, byForm] of forms) {
    const [key, entry] = [...byForm.entries()].sort(
      ([a, x], [b, y]) => y.count - x.count || a.length - b.length || a.localeCompare(b),
    )[0] ?? ["", undefined];
    if (!entry) continue;
    const written = [...entry.written.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ?? key;
    result.set(term, entry.lower ? key : written);
  }
  return result;
}

// Index terms that are grammar, not content: negation, modality, quantity, time and connectives
// the stop-word list keeps (it is tuned for search, where "not" matters).
const NON_CONTENT_WORDS = [
  "not", "no", "nor", "never", "cannot", "can't", "won't", "will", "may", "shall", "ought", "just", "even", "without",
  "yet", "upon", "within", "whether", "either", "neither", "every", "us", "so", "one", "two", "three", "four", "five",
  "first", "second", "last", "next", "year", "years", "time", "today", "already", "almost", "often", "less", "least",
  "rather", "instead", "however", "though", "although", "thus", "therefore", "indeed", "perhaps", "probably", "far",
  "ever", "whose", "whom", "why", "when", "until", "against", "across", "along", "around", "beyond", "despite", "toward",
  "towards", "among", "per", "via", "onto", "off", "down", "whatever", "something", "anything", "nothing", "everything",
  "someone", "anyone", "everyone", "others", "own", "several", "few", "lot", "lots", "else", "again", "once", "ago",
  "really", "quite", "simply", "merely", "always", "sometimes", "now", "seem", "seems", "seemed", "appear", "appears",
  "able", "put", "way", "non", "new", "need", "needs", "part", "full", "its", "it's", "get", "go", "going", "let", "like", "also", "much", "many", "more", "most",
];
const NON_CONTENT = new Set(NON_CONTENT_WORDS.flatMap((word) => indexTerm(word) ?? []));

/** Whether an index term carries content worth showing (not a number, not a grammar word). */
export function isContentTerm(term: string): boolean {
  return term.length > 1 && !/^\d/.test(term) && !NON_CONTENT.has(term);
}

function sum(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}
