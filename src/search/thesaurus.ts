import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import { indexTerms } from "../text/tokenize.js";

/** `thesaurus.yml`: groups of words or phrases that mean the same thing for search. */
export const thesaurusSchema = z
  .object({ groups: z.array(z.array(z.string().trim().min(1)).min(2)) })
  .strict();

/** Query expansion from curated synonym groups, matched on index terms (stemmed, folded). */
export class Thesaurus {
  /** Each group as the index-term sequences of its members. */
  readonly #groups: string[][][];

  /** The groups as written, to rebuild the same thesaurus elsewhere (a worker thread). */
  readonly members: readonly (readonly string[])[];

  constructor(groups: readonly (readonly string[])[]) {
    this.members = groups.map((members) => [...members]);
    this.#groups = groups.map((members) => members.map((member) => indexTerms(member)).filter((terms) => terms.length > 0));
  }

  static empty(): Thesaurus {
    return new Thesaurus([]);
  }

  /** Reads `thesaurus.yml` from a corpus folder; a folder without one gets no expansion. */
  static async load(file: string): Promise<Thesaurus> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return Thesaurus.empty();
      throw error;
    }
    const parsed = thesaurusSchema.safeParse(YAML.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join(".") || "thesaurus"}: ${issue?.message ?? "invalid"}`);
    }
    return new Thesaurus(parsed.data.groups);
  }

  /**
   * The extra index terms a query's terms call for, each with a weight relative to a typed term:
   * every member of every group one of whose members occurs in the query (as a contiguous run of
   * terms), minus the query's own terms. A phrase member shares its weight among its words, so
   * "guns fall silent" counts no more than "ceasefire". Each term also names its groups.
   */
  expand(queryTerms: readonly string[], weight = 1): Map<string, Expansion> {
    const own = new Set(queryTerms);
    const extra = new Map<string, Expansion>();
    for (const members of this.#groups) {
      const typed = members.filter((member) => containsRun(queryTerms, member));
      if (typed.length === 0) continue;
      const group: MatchedGroup = { typed, added: [] };
      for (const member of members) {
        for (const term of member) {
          if (own.has(term)) continue;
          const known = extra.get(term) ?? { weight: 0, groups: [] };
          known.weight = Math.max(known.weight, weight / member.length);
          if (!known.groups.includes(group)) known.groups.push(group);
          if (!group.added.includes(term)) group.added.push(term);
          extra.set(term, known);
        }
      }
    }
    return extra;
  }
}

/** A term the thesaurus adds to a query. */
export interface Expansion {
  /** Relative to a typed term's weight of 1. */
  weight: number;
  /** The groups that called for it. */
  groups: MatchedGroup[];
}

/** A synonym group a query reached. */
export interface MatchedGroup {
  /** Its members the query contains, as index terms ("give up" → ["give"]). */
  typed: string[][];
  /** The terms it adds to the query. */
  added: string[];
}

function containsRun(haystack: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= haystack.length; i++) {
    for (let j = 0; j < run.length; j++) if (haystack[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
