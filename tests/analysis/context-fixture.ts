import type { AnalysisContext } from "../../src/analysis/context.js";
import type { Article } from "../../src/corpus/load.js";
import { createEngine, loadEngine } from "../../src/engine.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

/** The analysis context of a corpus folder, as the engine builds it. */
export async function loadContext(corpusDir: string): Promise<AnalysisContext> {
  return (await loadEngine({ corpusDir })).analysis;
}

export interface SyntheticArticle {
  id: string;
  authors: string[];
  body: string;
  published?: string | null;
  outlet?: string;
}

/** A whole Article from the few fields a test cares about. */
export function syntheticArticle(a: SyntheticArticle): Article {
  return {
    id: a.id,
    title: `Title of ${a.id}`,
    authors: a.authors,
    outlet: a.outlet ?? "Test Gazette",
    published: a.published ?? null,
    ...(a.published ? {} : { published_note: "Invented text: no date." }),
    source: { site: "test" },
    gaps: 0,
    bios: [],
    notes: "",
    body: a.body,
    file: `${a.id}.md`,
  };
}

/** A context over articles written in the test itself, with no thesaurus. */
export function syntheticContext(articles: readonly SyntheticArticle[], thesaurus = Thesaurus.empty()): AnalysisContext {
  return createEngine("synthetic", articles.map(syntheticArticle), [], thesaurus).analysis;
}

/** Every passage must be, character for character, the body slice it claims to be. */
export function isExactSlice(ctx: AnalysisContext, passage: { articleId: string; start: number; end: number; text: string }): boolean {
  return ctx.article(passage.articleId).body.slice(passage.start, passage.end) === passage.text && passage.text.trim() !== "";
}
