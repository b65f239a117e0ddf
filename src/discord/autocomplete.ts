import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from "discord.js";
import { distance } from "fastest-levenshtein";
import { articleSortKey } from "../corpus/dates.js";
import type { Engine } from "../engine.js";
import type { BotContext } from "./command.js";
import { dateYear } from "../text/attribution.js";
import { foldText } from "../text/normalize.js";
import { filledFilters, passageChoices } from "./passage-choices.js";
import { LIMITS, truncate } from "./render.js";

interface Candidate {
  /** What the user sees. */
  name: string;
  /** What the command receives. */
  value: string;
  /** Extra words that should match (e.g. an article's title for its id). */
  keywords?: string;
}

/** A candidate with its folded text split once, so each keystroke only compares. */
interface Prepared {
  candidate: Candidate;
  haystack: string;
  words: string[];
}

/** Folds the candidates' text once; reuse the result for every keystroke on the same list. */
export function prepareChoices(candidates: readonly Candidate[]): Prepared[] {
  return candidates.map((candidate) => {
    const haystack = foldText(`${candidate.name} ${candidate.keywords ?? ""}`);
    return { candidate, haystack, words: haystack.split(" ") };
  });
}

/**
 * Ranks choices for what the user has typed so far: an empty input lists the most useful first
 * (the order given); otherwise prefix matches of any word, then substring matches, then close
 * spellings. At most 25, each within Discord's 100-character limits.
 */
export function rankChoices(prepared: readonly Prepared[], typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const query = foldText(typed);
  const ranked: { entry: Prepared; order: number; rank: number }[] = [];
  const unmatched: { entry: Prepared; order: number }[] = [];
  prepared.forEach((entry, order) => {
    const { haystack, words } = entry;
    if (query === "") ranked.push({ entry, order, rank: 0 });
    else if (haystack.startsWith(query)) ranked.push({ entry, order, rank: 1 });
    else if (words.some((w) => w.startsWith(query))) ranked.push({ entry, order, rank: 2 });
    else if (haystack.includes(query)) ranked.push({ entry, order, rank: 3 });
    else unmatched.push({ entry, order });
  });
  // Close spellings only fill what exact matches leave: edit distances over a large library's
  // every word cost more than a keystroke may take.
  if (ranked.length < LIMITS.choices) {
    const reach = Math.max(1, Math.floor(query.length / 4));
    for (const { entry, order } of unmatched) if (entry.words.some((w) => Math.abs(w.length - query.length) <= reach && distance(w, query) <= reach)) ranked.push({ entry, order, rank: 4 });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, LIMITS.choices)
    .map(({ entry: { candidate } }) => ({
      name: truncate(candidate.name, LIMITS.choiceName),
      value: candidate.value.slice(0, LIMITS.choiceValue),
    }));
}

/** Prepared choice lists per engine (one corpus version): built on first use, then reused. */
const preparedLists = new WeakMap<Engine, { authors?: Prepared[]; articles?: Prepared[] }>();
function listsOf(engine: Engine): { authors?: Prepared[]; articles?: Prepared[] } {
  let lists = preparedLists.get(engine);
  if (!lists) {
    lists = {};
    preparedLists.set(engine, lists);
  }
  return lists;
}

/** Authors, most prolific and most recent first. */
export function authorChoices(engine: Engine, typed: string) {
  const lists = listsOf(engine);
  lists.authors ??= prepareChoices(authorCandidates(engine));
  return rankChoices(lists.authors, typed);
}

function authorCandidates(engine: Engine): Candidate[] {
  const latest = new Map(engine.articles().map((a) => [a.id, articleSortKey(a) ?? ""]));
  return engine
    .authors()
    .map((a) => ({ ...a, latest: a.articleIds.map((id) => latest.get(id) ?? "").sort().at(-1) ?? "" }))
    .sort((a, b) => b.articleIds.length - a.articleIds.length || b.latest.localeCompare(a.latest) || a.name.localeCompare(b.name))
    .map((a) => ({ name: `${a.name} (${a.articleIds.length} article${a.articleIds.length === 1 ? "" : "s"})`, value: a.name, keywords: a.name }));
}

/** Builds the author and article choice lists now (at start-up), so no keystroke pays for it. */
export function warmChoices(engine: Engine): void {
  authorChoices(engine, "");
  articleChoices(engine, "");
}

/** Articles, newest first (undated last); matched on title, id and authors. */
export function articleChoices(engine: Engine, typed: string) {
  const lists = listsOf(engine);
  lists.articles ??= prepareChoices(
    [...engine.articles()]
      .sort((a, b) => (articleSortKey(b) ?? "").localeCompare(articleSortKey(a) ?? "") || a.id.localeCompare(b.id))
      .map((a) => ({
        name: `${a.title} — ${a.authors.join(", ") || a.outlet}${dateYear(a) ? ` (${dateYear(a)})` : ""}`,
        value: a.id,
        keywords: `${a.id} ${a.authors.join(" ")}`,
      })),
  );
  return rankChoices(lists.articles, typed);
}

/** A topic as autocomplete shows it; `authors` is unknown until the analysis thread has counted them. */
export interface TopicChoice {
  name: string;
  synonyms: readonly string[];
  authors?: readonly string[];
}

/**
 * The topics to offer now: the corpus's topics once the analysis thread has computed them,
 * the curated ones until then, so autocomplete never waits on the first computation.
 */
export function knownTopics(ctx: Pick<BotContext, "engine" | "analysis">): readonly TopicChoice[] {
  return ctx.analysis.readyTopics() ?? ctx.engine.source.curatedTopics;
}

/** Topics, curated first, then by how much the corpus says about them. */
export function topicChoices(topics: readonly TopicChoice[], typed: string) {
  const label = (t: TopicChoice) => (t.authors === undefined ? t.name : `${t.name} (${t.authors.length} author${t.authors.length === 1 ? "" : "s"})`);
  return rankChoices(prepareChoices(topics.map((t) => ({ name: label(t), value: t.name, keywords: `${t.name} ${t.synonyms.join(" ")}` }))), typed);
}

/** Answers autocomplete for whichever of the shared query/author/article/topic options is focused. */
export async function answerAutocomplete(interaction: AutocompleteInteraction, ctx: Pick<BotContext, "engine" | "analysis">): Promise<void> {
  const { engine } = ctx;
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value);
  const choices =
    focused.name === "query" ? passageChoices(engine, typed, filledFilters(interaction.options))
    : focused.name === "author" ? authorChoices(engine, typed)
    : focused.name === "article" ? articleChoices(engine, typed)
    : focused.name === "topic" ? topicChoices(knownTopics(ctx), typed)
    : focused.name === "authors" ? authorListChoices(engine, typed)
    : [];
  await interaction.respond(choices);
}

/** For a comma-separated list of authors: complete the last name, keep the ones before it. */
export function authorListChoices(engine: Engine, typed: string) {
  const parts = typed.split(",");
  const last = parts.pop() ?? "";
  const chosen = parts.map((p) => p.trim()).filter(Boolean);
  const prefix = chosen.length > 0 ? `${chosen.join(", ")}, ` : "";
  return authorChoices(engine, last.trim())
    .filter((choice) => !chosen.includes(choice.value))
    .flatMap((choice) => {
      const value = `${prefix}${choice.value}`;
      return value.length <= LIMITS.choiceValue ? [{ name: truncate(value, LIMITS.choiceName), value }] : [];
    });
}
