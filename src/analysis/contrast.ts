import { articleSortKey } from "../corpus/dates.js";
import type { PassageResult } from "../types.js";
import { indexTerm, tokenize } from "../text/tokenize.js";
import { byPublication, type AnalysisContext } from "./context.js";
import { searchEachArticle, topicPassages, topicRelevance } from "./relevance.js";
import { countTermLists, distinctiveTerms, isContentTerm, surfaceForms, termCounts } from "./fightin-words.js";
import { isPositionStatement } from "./summarize.js";
import { joinWithAnd } from "../text/attribution.js";

/** Characters of passage text each column may show; the same for every column. */
export const CONTRAST_BUDGET_CHARS = 600;
/** Most columns a contrast shows; the rest are named in `omitted`. */
export const MAX_CONTRAST_COLUMNS = 6;
/** A position statement is preferred over the column's best passage when it scores this share of it. */
const POSITION_PREFERENCE = 0.75;
/** A second passage must cover as many typed terms as the first and score this share of it. */
const SECOND_PASSAGE_FLOOR = 0.25;
/**
 * z floor for a column's distinctive terms. Topic passages are a few dozen words per author, too
 * few for the 95% floor (1.96) to let anything through, so terms one standard error above the
 * rest are shown: words an author leans on, not a significance claim.
 */
const TERM_MIN_Z = 1;

export interface ContrastColumn {
  /** Who the column is for: a name, co-authors who wrote only together ("A & B"), or "Unknown author (…)". */
  author: string;
  /** The named authors of the column; empty for an unattributed article. */
  authors: string[];
  articleIds: string[];
  /** Exact passages, best first; empty when the author says nothing about the topic above the floor. */
  passages: PassageResult[];
  /** Readable words distinctive of this column's topic passages against the rest of the corpus'. */
  terms: string[];
}

export interface ContrastResult {
  topic: string;
  columns: ContrastColumn[];
  /** Columns left out to keep at most MAX_CONTRAST_COLUMNS, in the fixed order. */
  omitted: string[];
  /** Observations about the chosen passages (never quotes, never attributed as an author's words). */
  hints: string[];
}

export interface ContrastOptions {
  /** Only these authors (full name or surname). Unknown names throw NotFoundError with suggestions. */
  authors?: string[];
  /** Characters per column; default CONTRAST_BUDGET_CHARS. */
  budgetChars?: number;
}

/** Corpus-wide term counts, the prior of every contrast: counted once per loaded corpus. */
const priors = new WeakMap<AnalysisContext, ReturnType<typeof countTermLists>>();
function corpusPrior(ctx: AnalysisContext): ReturnType<typeof countTermLists> {
  let prior = priors.get(ctx);
  if (!prior) {
    prior = countTermLists([...ctx.sentenceTerms.values()].flat());
    priors.set(ctx, prior);
  }
  return prior;
}

function subtractCounts(all: ReadonlyMap<string, number>, some: ReadonlyMap<string, number>): Map<string, number> {
  const rest = new Map(all);
  for (const [term, count] of some) {
    const left = (rest.get(term) ?? 0) - count;
    if (left > 0) rest.set(term, left);
    else rest.delete(term);
  }
  return rest;
}


interface ColumnSpec {
  author: string;
  authors: string[];
  articleIds: string[];
  published: string | null;
}

/**
 * The columns of a contrast, in the fixed order: by the earliest publication date of the
 * column's articles (undated last), ties by the column's name, so no author is favoured by
 * position. Co-authors whose articles are exactly the same get one column ("A & B"), so the
 * same passage is never shown twice. Without an authors filter every unattributed article gets its own
 * column "Unknown author (<outlet>)" (the article id instead when the outlet is unknown or
 * shared by another unattributed article): never merged, since two unsigned texts need not share
 * a writer. With a filter only the named authors asked for appear.
 */
export function contrastColumns(ctx: AnalysisContext, authorFilter?: readonly string[]): ColumnSpec[] {
  const wanted = authorFilter ? new Set(authorFilter.flatMap((name) => ctx.resolveAuthor(name))) : undefined;
  const idsByAuthor = new Map<string, string[]>();
  for (const { article } of ctx.articles) {
    for (const name of article.authors) {
      if (wanted && !wanted.has(name)) continue;
      idsByAuthor.set(name, [...(idsByAuthor.get(name) ?? []), article.id]);
    }
  }
  const groups = new Map<string, string[]>();
  for (const [name, ids] of idsByAuthor) {
    const key = [...ids].sort().join(" ");
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const dateOf = (ids: readonly string[]): string | null =>
    ids.map((id) => articleSortKey(ctx.article(id))).filter((date): date is string => date !== null).sort()[0] ?? null;
  const specs: ColumnSpec[] = [...groups.entries()].map(([key, names]) => {
    const authors = names.sort((a, b) => a.localeCompare(b));
    const articleIds = key.split(" ");
    return { author: authors.join(" & "), authors, articleIds, published: dateOf(articleIds) };
  });
  if (!wanted) {
    for (const [id, label] of authorLabels(ctx)) specs.push({ author: label, authors: [], articleIds: [id], published: dateOf([id]) });
  }
  return specs.sort((a, b) => byPublication({ published: a.published, id: a.author }, { published: b.published, id: b.author }));
}

/** "Unknown author (<outlet>)" for each unattributed article, by id (see contrastColumns); worked out once per corpus. */
export function authorLabels(ctx: AnalysisContext): Map<string, string> {
  let labels = labelCache.get(ctx);
  if (labels) return labels;
  const unsigned = ctx.articles.map((entry) => entry.article).filter((article) => article.authors.length === 0);
  const perOutlet = new Map<string, number>();
  for (const article of unsigned) perOutlet.set(article.outlet.trim(), (perOutlet.get(article.outlet.trim()) ?? 0) + 1);
  labels = new Map<string, string>();
  for (const article of unsigned) {
    const outlet = article.outlet.trim();
    const unique = outlet.toLowerCase() !== "unknown" && perOutlet.get(outlet) === 1;
    labels.set(article.id, `Unknown author (${unique ? outlet : article.id})`);
  }
  labelCache.set(ctx, labels);
  return labels;
}
const labelCache = new WeakMap<AnalysisContext, Map<string, string>>();

/**
 * Picks a column's passages from its ranked relevant ones: the first (a position statement
 * instead when it covers as many typed terms and scores nearly as well), then a second one from
 * another paragraph only when it covers as many typed terms, is still strong and both fit the
 * budget. Passages are never cut; one that does not fit is skipped.
 */
export function choosePassages(ranked: readonly PassageResult[], budget: number, coverage: (p: PassageResult) => number = () => 0): PassageResult[] {
  const head = ranked[0];
  if (!head) return [];
  const preferred = (p: PassageResult): boolean =>
    isPositionStatement(p.text) && coverage(p) >= coverage(head) && p.score >= POSITION_PREFERENCE * head.score;
  const ordered = [...ranked.filter(preferred), ...ranked.filter((p) => !preferred(p))];
  const first = ordered.find((p) => p.text.length <= budget);
  if (!first) return [];
  const paragraphOf = (p: PassageResult): string => p.citation.slice(0, p.citation.lastIndexOf("."));
  const second = ordered.find(
    (p) =>
      p !== first &&
      paragraphOf(p) !== paragraphOf(first) &&
      coverage(p) >= coverage(first) &&
      p.score >= SECOND_PASSAGE_FLOOR * first.score &&
      first.text.length + p.text.length <= budget,
  );
  return second ? [first, second] : [first];
}

/** What each author says about a topic, side by side: exact passages, distinctive words and hints. */
export function contrast(ctx: AnalysisContext, topic: string, options: ContrastOptions = {}): ContrastResult {
  const budget = options.budgetChars ?? CONTRAST_BUDGET_CHARS;
  const specs = contrastColumns(ctx, options.authors);
  const relevance = topicRelevance(ctx, topic);
  const prior = corpusPrior(ctx);
  const ownTerms = new Set(relevance.typed);
  const scoped = searchEachArticle(specs.reduce((sum, spec) => sum + spec.articleIds.length, 0));
  // The reference's term counts, counted once: a column's "rest" is these minus its own passages'.
  const referenceCounts = termCounts(relevance.reference.map((p) => p.text));

  const built = specs.map((spec, order) => {
    const candidates = topicPassages(ctx, topic, spec.articleIds, scoped ? undefined : relevance.reference);
    const passages = choosePassages(relevance.rank(candidates), budget, (p) => relevance.matched(p).length);
    let terms: string[] = [];
    if (passages.length > 0) {
      const mine = new Set(spec.articleIds);
      const groupTexts = candidates.map((p) => p.text);
      const rest = subtractCounts(referenceCounts, termCounts(relevance.reference.filter((p) => mine.has(p.articleId)).map((p) => p.text)));
      const forms = surfaceForms(groupTexts);
      terms = distinctiveTerms(termCounts(groupTexts), rest, prior, { top: 8, minCount: 2, minZ: TERM_MIN_Z })
        .filter(({ term }) => isContentTerm(term) && !ownTerms.has(term))
        .slice(0, 5)
        .map(({ term }) => forms.get(term) ?? term);
    }
    return { column: { author: spec.author, authors: spec.authors, articleIds: spec.articleIds, passages, terms }, order };
  });

  // Over the cap, keep the columns that address the topic most; show them in the fixed order.
  const kept = [...built]
    .sort((a, b) => strength(b.column) - strength(a.column) || a.order - b.order)
    .slice(0, MAX_CONTRAST_COLUMNS)
    .sort((a, b) => a.order - b.order);
  const keptOrders = new Set(kept.map((entry) => entry.order));
  const columns = kept.map((entry) => entry.column);
  return {
    topic,
    columns,
    omitted: built.filter((entry) => !keptOrders.has(entry.order)).map((entry) => entry.column.author),
    hints: contrastHints(ctx, columns, relevance.typed.filter(isContentTerm)),
  };
}

const MAX_HINTS = 5;
/** A negation counts for a word when it comes at most this many words before it, in the same clause. */
const NEGATION_REACH = 3;
const NEGATION = /^(?:not|no|never|without|nor|cannot)$|n['’]t$/i;
const CLAUSE_BREAK = /[,;:()—–]/;
// Lower case only: a capitalised "Should he…" opens a condition, "May 12" is a date.
const STRONG_MODAL = /\b(?:should|must|ought to|needs? to|has to|have to)\b/;
const WEAK_MODAL = /\b(?:may|might|could|can)\b/;

/** One use of a word: the negation just before it, and its sentence's modal verbs, as written. */
interface Mention {
  negation: string | undefined;
  strong: string | undefined;
  weak: string | undefined;
}

/**
 * Hints about the columns' chosen passages, only where the text shows it: several passages use a
 * word of the topic and only some have a negation just before it (at most NEGATION_REACH words,
 * same clause), or in the sentences with it some say should/must where others say may/could.
 * These are our sentences about passages, never presented as what an author said; [] when
 * nothing can be shown.
 */
export function contrastHints(ctx: AnalysisContext, columns: readonly ContrastColumn[], topicTerms: readonly string[]): string[] {
  const forms = surfaceForms(columns.flatMap((column) => column.passages.map((p) => p.text)));
  const hints: string[] = [];
  const seen = new Set<string>();
  for (const term of topicTerms) {
    const mentioning = columns
      .map((column) => ({ name: column.author, mentions: column.passages.flatMap((passage) => mentionsOf(ctx, passage, term)) }))
      .filter((entry) => entry.mentions.length > 0);
    if (mentioning.length < 2) continue;
    const all = mentioning.length === 2 ? `Both ${joinWithAnd(mentioning.map((m) => m.name))}` : `${joinWithAnd(mentioning.map((m) => m.name))} all`;
    const opening = `${all} mention "${forms.get(term) ?? term}"`;
    const tails: string[] = [];
    const negating = mentioning.flatMap((m) => {
      const negation = m.mentions.find((mention) => mention.negation !== undefined)?.negation;
      return negation === undefined ? [] : [{ name: m.name, negation }];
    });
    if (negating.length > 0 && negating.length < mentioning.length) {
      const words = [...new Set(negating.map((n) => `"${n.negation}"`))].join(", ");
      const whose = negating.length === 1 ? `${negating[0]?.name ?? ""}'s passage has` : `the passages of ${joinWithAnd(negating.map((n) => n.name))} have`;
      tails.push(`only ${whose} a negation just before it (${words})`);
    }
    // A column's modality near the word: strong or weak only when its sentences are not mixed.
    const modal = mentioning.map((m) => {
      const strong = m.mentions.find((mention) => mention.strong)?.strong;
      const weak = m.mentions.find((mention) => mention.weak)?.weak;
      return { name: m.name, strong: weak === undefined ? strong : undefined, weak: strong === undefined ? weak : undefined };
    });
    const side = (words: readonly (string | undefined)[]) =>
      [...new Set(words.filter((w) => w !== undefined))].map((w) => `"${w}" (${modal.filter((m) => m.strong === w || m.weak === w).map((m) => m.name).join("; ")})`);
    const [strong, weak] = [side(modal.map((m) => m.strong)), side(modal.map((m) => m.weak))];
    if (strong.length > 0 && weak.length > 0) tails.push(`in the sentence with it, ${strong.join(", ")} but ${weak.join(", ")}`);
    for (const tail of tails) {
      if (!seen.has(tail)) hints.push(`${opening}; ${tail}.`);
      seen.add(tail);
    }
  }
  return hints.slice(0, MAX_HINTS);
}

/** Each occurrence of an index term in a passage, with the negation and modality around it. */
function mentionsOf(ctx: AnalysisContext, passage: PassageResult, term: string): Mention[] {
  const entry = ctx.articles.find((candidate) => candidate.article.id === passage.articleId);
  if (!entry) return [];
  const sentences = entry.paragraphs.flatMap((p) => p.sentences).filter((s) => s.start >= passage.start && s.end <= passage.end);
  return sentences.flatMap((sentence) => {
    const text = entry.article.body.slice(sentence.start, sentence.end);
    const tokens = tokenize(text);
    const strong = STRONG_MODAL.exec(text)?.[0];
    const weak = WEAK_MODAL.exec(text)?.[0];
    return tokens.flatMap((token, i) => {
      if (indexTerm(token.word) !== term) return [];
      const before = tokens.slice(Math.max(0, i - NEGATION_REACH), i).reverse();
      const negator = before.find((other) => NEGATION.test(other.word));
      const sameClause = negator !== undefined && !CLAUSE_BREAK.test(text.slice(negator.end, token.start));
      return [{ negation: sameClause ? negator.word : undefined, strong, weak }];
    });
  });
}

function strength(column: ContrastColumn): number {
  return column.passages.length === 0 ? -1 : (column.passages[0]?.score ?? 0);
}
