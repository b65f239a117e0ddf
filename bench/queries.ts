/** The benchmark's fixed, seeded query set: built from the shipped corpus, run on every corpus. */
import { createHash } from "node:crypto";
import { PassageSearch } from "../src/search/passage-search.js";
import { indexTerm, tokenize } from "../src/text/tokenize.js";
import { deriveSeed, Rng, ZipfSampler } from "./random.js";

export interface BenchQuery {
  text: string;
  /** Words as generated (a thesaurus phrase counts as its words). */
  words: number;
  /** The last word is cut short, as when typing. */
  partial: boolean;
  /** Contains a thesaurus member, so expansion runs. */
  thesaurus: boolean;
}

export interface QueryOptions {
  /** Real article bodies: the query words come from them. */
  bodies: readonly string[];
  /** Members of the thesaurus groups ("ceasefire", "security guarantees", …). */
  thesaurusMembers: readonly string[];
  count: number;
  seed: number;
}

/** Query lengths, in turn, so each is a quarter of the set. */
const LENGTHS = [1, 2, 3, 5] as const;
const PARTIAL_SHARE = 0.25;
const THESAURUS_SHARE = 0.25;

export function buildQueries(options: QueryOptions): BenchQuery[] {
  const words = contentWords(options.bodies);
  if (words.length === 0) throw new Error("no content words to build queries from");
  const members = [...new Set(options.thesaurusMembers.map((member) => member.trim().toLowerCase()))].filter((m) => m !== "").sort();
  // Milder than the corpus law: common words ("war", "russia") often, rare ones too.
  const sampler = new ZipfSampler(words.length, 0.8);
  const rng = new Rng(deriveSeed(options.seed, 0x9e7));
  const queries: BenchQuery[] = [];
  while (queries.length < options.count) {
    const length = LENGTHS[queries.length % LENGTHS.length] ?? 1;
    const chosen: string[] = [];
    while (chosen.length < length) chosen.push(words[sampler.sample(rng)] ?? "war");
    let thesaurus = false;
    if (members.length > 0 && rng.chance(THESAURUS_SHARE)) {
      const fitting = members.filter((member) => member.split(" ").length <= length);
      const member = fitting.length > 0 ? rng.pick(fitting) : undefined;
      if (member !== undefined) {
        const at = rng.int(0, length - member.split(" ").length);
        chosen.splice(at, member.split(" ").length, ...member.split(" "));
        thesaurus = true;
      }
    }
    let partial = false;
    const last = chosen.at(-1) ?? "";
    if (last.length >= 5 && rng.chance(PARTIAL_SHARE)) {
      chosen[chosen.length - 1] = last.slice(0, Math.max(3, Math.floor(last.length * 0.6)));
      partial = true;
    }
    const text = chosen.join(" ");
    // Never a query the engine rejects as having no searchable words.
    if (PassageSearch.queryTerms(text).length === 0) continue;
    queries.push({ text, words: chosen.length, partial, thesaurus });
  }
  return queries;
}

/** A short stable hash of the query texts, so runs can tell whether they used the same set. */
export function fingerprint(queries: readonly BenchQuery[]): string {
  return createHash("sha256")
    .update(queries.map((query) => query.text).join("\n"))
    .digest("hex")
    .slice(0, 12);
}

/** Lower-case words that are not stop words, 3+ letters, most frequent first. */
function contentWords(bodies: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const body of bodies) {
    for (const { word } of tokenize(body)) {
      if (!/^\p{L}{3,}$/u.test(word) || indexTerm(word) === null) continue;
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
}
