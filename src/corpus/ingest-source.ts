import { readFile } from "node:fs/promises";
import path from "node:path";
import { extractArticle, type PageMetadata } from "./extract-html.js";
import { fetchPage, FetchRefused, type FetchLimits } from "./fetch-page.js";
import { IngestError, ingestText, writeIngested, type IngestOptions, type IngestResult } from "./ingest.js";
import { bioName } from "./rawtext.js";

/** Where an article comes from: a raw text or HTML file, or an http(s) URL. */
export type IngestSource = string;

/** An ingested article with what the page's metadata offered and which of it was used. */
export interface SourceIngest extends IngestResult {
  /** The page's own metadata (HTML sources), before the options given at ingest. */
  metadata?: PageMetadata;
  /** What a human should check before adding the article. */
  warnings: string[];
}

/** Fewer words than this and the page is likely a teaser, a paywall or a cookie wall. */
const MIN_WORDS = 150;
const WALL_TEXT = /\b(?:subscribe to (?:continue|read)|to continue reading|accept (?:all )?cookies|sign in to read|already a subscriber)\b/i;

/**
 * Reads an article from a file or URL and cleans it as `ingest` does raw text. An HTML page goes
 * through the extractor (extract-html.ts) and its metadata fills in what the options leave out.
 * A byline that the closing bios contradict is a reposter's: the bios' names are used instead.
 */
export async function readSource(source: IngestSource, options: Omit<IngestOptions, "sourceName">, limits: FetchLimits = {}): Promise<SourceIngest> {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
  let text: string;
  let kind: "html" | "text";
  let sourceName: string;
  let site: string | undefined;
  if (isUrl) {
    try {
      const page = await fetchPage(source, limits);
      ({ body: text, contentType: kind } = page);
      const url = new URL(page.url);
      site = url.hostname;
      sourceName = page.url;
    } catch (error) {
      if (error instanceof FetchRefused) throw new IngestError(`cannot add ${source}: ${error.message}`);
      throw error;
    }
  } else {
    try {
      text = await readFile(source, "utf8");
    } catch {
      throw new IngestError(`cannot read ${source}`);
    }
    kind = /\.x?html?$/i.test(source) ? "html" : "text";
    sourceName = path.basename(source);
  }
  return ingestDocument(text, kind, { sourceName, ...(site ? { site } : {}) }, options);
}

/**
 * Cleans a document already read (a fetched page, a file, a Discord attachment) into an article:
 * an HTML page goes through the extractor, and its metadata fills in what the options leave out.
 */
export function ingestDocument(text: string, kind: "html" | "text", from: { sourceName: string; site?: string }, options: Omit<IngestOptions, "sourceName">): SourceIngest {
  const { sourceName, site } = from;
  const source = sourceName;
  // A ".html" file without a single tag is plain text saved under that name.
  if (kind === "html" && !/<[a-z!/]/i.test(text)) kind = "text";
  if (kind === "text") return withWarnings(ingestText(text, { ...options, sourceName, ...(site ? { site } : {}) }), text);
  const { metadata, paragraphs } = extractArticle(text);
  if (paragraphs.length === 0) throw new IngestError(`no article text found in ${source}`);
  const given: Omit<IngestOptions, "sourceName"> = {
    ...(metadata.title ? { title: metadata.title } : {}),
    ...(metadata.outlet ? { outlet: metadata.outlet } : {}),
    ...(metadata.published ? { published: metadata.published } : {}),
    ...options,
  };
  const result = ingestText(paragraphs.join("\n\n"), { ...given, sourceName, ...(site ? { site } : {}) });
  const warnings: string[] = [];
  if (options.authors === undefined && metadata.authors.length > 0) {
    const bioNames = result.meta.bios.map(bioName).filter((name): name is string => name !== undefined);
    const contradicted = bioNames.length > 0 && !metadata.authors.some((author) => bioNames.includes(author));
    result.meta.authors = contradicted ? bioNames : metadata.authors;
    if (contradicted) warnings.push(`the page names ${metadata.authors.join(", ")} as author, but the closing bios name ${bioNames.join(", ")}: a reposter's byline, not used`);
    result.meta.notes = [result.meta.notes, `Authors from the page's ${contradicted ? "closing bios" : (metadata.sources.authors ?? "metadata")}.`].filter(Boolean).join(" ");
  }
  const checked = withWarnings(result, paragraphs.join("\n\n"));
  return { ...checked, metadata, warnings: [...warnings, ...checked.warnings] };
}

/** readSource, then the article written into the corpus folder. */
export async function ingestSource(source: IngestSource, corpusDir: string, options: Omit<IngestOptions, "sourceName">, limits: FetchLimits = {}): Promise<SourceIngest & { file: string }> {
  const read = await readSource(source, options, limits);
  const written = await writeIngested(read, corpusDir, source);
  return { ...read, file: written.file };
}

function withWarnings(result: IngestResult, text: string): SourceIngest {
  const warnings: string[] = [];
  if (result.meta.authors.length === 0) warnings.push("no author found");
  const words = result.body.split(/\s+/).filter(Boolean).length;
  if (words < MIN_WORDS) warnings.push(`only ${words} words: a teaser, a paywall or a cookie wall?`);
  if (WALL_TEXT.test(text)) warnings.push("the page has paywall or cookie-wall text");
  return { ...result, warnings };
}
