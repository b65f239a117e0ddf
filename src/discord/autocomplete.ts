import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from "discord.js";
import { distance } from "fastest-levenshtein";
import type { Engine } from "../engine.js";
import type { BotContext } from "./command.js";
import { foldText } from "../text/normalize.js";
import { LIMITS, truncate } from "./render.js";

interface Candidate {
  /** What the user sees. */
  name: string;
  /** What the command receives. */
  value: string;
  /** Extra words that should match (e.g. an article's title for its id). */
  keywords?: string;
}

/**
 * Ranks choices for what the user has typed so far: an empty input lists the most useful first
 * (the order given); otherwise prefix matches of any word, then substring matches, then close
 * spellings. At most 25, each within Discord's 100-character limits.
 */
export function rankChoices(candidates: readonly Candidate[], typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const query = foldText(typed);
  const scored = candidates
    .map((candidate, order) => {
      const haystack = foldText(`${candidate.name} ${candidate.keywords ?? ""}`);
      const words = haystack.split(" ");
      let rank: number;
      if (query === "") rank = 0;
      else if (haystack.startsWith(query)) rank = 1;
      else if (words.some((w) => w.startsWith(query))) rank = 2;
      else if (haystack.includes(query)) rank = 3;
      else if (words.some((w) => distance(w, query) <= Math.max(1, Math.floor(query.length / 4)))) rank = 4;
      else rank = Infinity;
      return { candidate, order, rank };
    })
    .filter((entry) => entry.rank !== Infinity)
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  return scored.slice(0, LIMITS.choices).map(({ candidate }) => ({
    name: truncate(candidate.name, LIMITS.choiceName),
    value: candidate.value.slice(0, LIMITS.choiceValue),
  }));
}

/** Authors, most prolific and most recent first. */
export function authorChoices(engine: Engine, typed: string) {
  const latest = new Map(engine.articles().map((a) => [a.id, a.published ?? ""]));
  const authors = engine
    .authors()
    .map((a) => ({ ...a, latest: a.articleIds.map((id) => latest.get(id) ?? "").sort().at(-1) ?? "" }))
    .sort((a, b) => b.articleIds.length - a.articleIds.length || b.latest.localeCompare(a.latest) || a.name.localeCompare(b.name));
  return rankChoices(
    authors.map((a) => ({ name: `${a.name} (${a.articleIds.length} article${a.articleIds.length === 1 ? "" : "s"})`, value: a.name, keywords: a.name })),
    typed,
  );
}

/** Articles, newest first (undated last); matched on title, id and authors. */
export function articleChoices(engine: Engine, typed: string) {
  const articles = [...engine.articles()].sort((a, b) => (b.published ?? "").localeCompare(a.published ?? "") || a.id.localeCompare(b.id));
  return rankChoices(
    articles.map((a) => ({
      name: `${a.title} — ${a.authors.join(", ") || a.outlet}${a.published ? ` (${a.published.slice(0, 4)})` : ""}`,
      value: a.id,
      keywords: `${a.id} ${a.authors.join(" ")}`,
    })),
    typed,
  );
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
export function knownTopics(ctx: Pick<BotContext, "engine" | "analysis">): TopicChoice[] {
  return ctx.analysis.readyTopics() ?? [...ctx.engine.source.curatedTopics];
}

/** Topics, curated first, then by how much the corpus says about them. */
export function topicChoices(topics: readonly TopicChoice[], typed: string) {
  const label = (t: TopicChoice) => (t.authors === undefined ? t.name : `${t.name} (${t.authors.length} author${t.authors.length === 1 ? "" : "s"})`);
  return rankChoices(
    topics.map((t) => ({ name: label(t), value: t.name, keywords: `${t.name} ${t.synonyms.join(" ")}` })),
    typed,
  );
}

/** Answers autocomplete for whichever of the shared author/article/topic options is focused. */
export async function answerAutocomplete(interaction: AutocompleteInteraction, ctx: Pick<BotContext, "engine" | "analysis">): Promise<void> {
  const { engine } = ctx;
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value);
  const choices =
    focused.name === "author" ? authorChoices(engine, typed)
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
