import path from "node:path";
import { fetchPage, FetchRefused, type FetchLimits } from "../corpus/fetch-page.js";
import { FrontMatterError, splitFrontMatter } from "../corpus/frontmatter.js";
import { printedDay } from "../corpus/dates.js";
import { IngestError, type IngestOptions } from "../corpus/ingest.js";
import { isIsoDate, slugify } from "../corpus/rawtext.js";
import { ingestDocument, readSource, type SourceIngest } from "../corpus/ingest-source.js";
import { parseArticle } from "../corpus/load.js";
import { articleMetaSchema } from "../corpus/schema.js";
import type { ArticleDraft } from "./server-libraries.js";

/** An article a moderator is about to add: what ingest made of the source, and what to check. */
export interface LibraryDraft extends ArticleDraft {
  /** Where it came from: the page's URL or the attachment's file name. */
  from: string;
  /** Places where words may have been lost (mid-sentence joins) besides the gaps marked `[…]`. */
  suspectedGaps: number;
  warnings: string[];
}

/** The source could not be made into an article; the message is for the moderator. */
export class DraftSourceError extends Error {
  override name = "DraftSourceError";
}

/** File kinds `/library add` takes as an attachment. */
export const ATTACHMENT_KINDS = { ".html": "html", ".htm": "html", ".txt": "text", ".md": "text" } as const;

/** A page from a URL, through the guarded fetch and the extractor. */
export async function draftFromUrl(url: string, limits: FetchLimits = {}): Promise<LibraryDraft> {
  let read: SourceIngest;
  try {
    read = await readSource(url, {}, limits);
  } catch (error) {
    if (error instanceof IngestError) throw new DraftSourceError(error.message.replace(/^cannot add \S+: /, ""));
    throw error;
  }
  const finalUrl = read.meta.source.seed ?? url;
  return toDraft({ ...read, meta: { ...read.meta, source: { site: read.meta.source.site, ...(isHttpUrl(finalUrl) ? { url: finalUrl } : {}) } } }, finalUrl);
}

/**
 * A Discord attachment (`.html`, `.txt` or `.md`), fetched from its URL under the same guard.
 * A Markdown file that is already a valid corpus file is taken as it is (front matter honoured);
 * one whose front matter only gives some fields has those fields kept and its body cleaned.
 */
export async function draftFromAttachment(attachment: { name: string; url: string; size: number }, limits: FetchLimits = {}): Promise<LibraryDraft> {
  const extension = path.extname(attachment.name).toLowerCase();
  const kind = (ATTACHMENT_KINDS as Record<string, "html" | "text" | undefined>)[extension];
  if (!kind) throw new DraftSourceError(`“${attachment.name}” is not a file I can read: attach an .html, .txt or .md file.`);
  const maxBytes = limits.maxBytes ?? 5 * 1024 * 1024;
  if (attachment.size > maxBytes) throw new DraftSourceError(`“${attachment.name}” is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  let text: string;
  try {
    text = (await fetchPage(attachment.url, { ...limits, kind })).body;
  } catch (error) {
    if (error instanceof FetchRefused) throw new DraftSourceError(`could not read the attachment: ${error.message}`);
    throw error;
  }
  try {
    if (extension === ".md") return draftFromMarkdown(attachment.name, text);
    return toDraft(ingestDocument(text, kind, { sourceName: attachment.name }, {}), attachment.name);
  } catch (error) {
    if (error instanceof IngestError) throw new DraftSourceError(error.message);
    throw error;
  }
}

function draftFromMarkdown(name: string, text: string): LibraryDraft {
  let data: unknown;
  let body: string;
  try {
    ({ data, body } = splitFrontMatter(text));
  } catch (error) {
    if (error instanceof FrontMatterError) throw new DraftSourceError(`${name}: ${error.message}`);
    throw error;
  }
  const parsed = parseArticle(name, text);
  if ("article" in parsed) {
    // A valid corpus file: its front matter is kept as written (a dated range stays a range).
    const meta = articleMetaSchema.parse(data);
    return { meta, body: parsed.article.body, from: name, suspectedGaps: 0, warnings: meta.authors.length === 0 ? ["no author found"] : [] };
  }
  // Partial front matter: what it names is kept, the body is cleaned like any text.
  const given = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const options: Omit<IngestOptions, "sourceName"> = {
    ...(typeof given["title"] === "string" ? { title: given["title"] } : {}),
    ...(Array.isArray(given["authors"]) && given["authors"].every((a) => typeof a === "string") ? { authors: given["authors"] } : {}),
    ...(typeof given["outlet"] === "string" ? { outlet: given["outlet"] } : {}),
    ...(typeof given["published"] === "string" ? { published: given["published"] } : {}),
  };
  return toDraft(ingestDocument(body, "text", { sourceName: name }, options), name);
}

function toDraft(read: SourceIngest, from: string): LibraryDraft {
  return { meta: read.meta, body: read.body, from, suspectedGaps: read.suspectedGaps.length, warnings: read.warnings };
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** What a moderator may correct in the preview's modal. Empty authors or date: unknown. */
export interface DraftDetails {
  title: string;
  authors: string;
  outlet: string;
  published: string;
}

/**
 * The draft with the moderator's corrections. A title that changes gives a new id; a date typed
 * in is a printed day (no longer inferred), and an empty one leaves the date unknown, as a note says.
 */
export function applyDetails(draft: LibraryDraft, details: DraftDetails): LibraryDraft {
  const title = details.title.trim();
  const outlet = details.outlet.trim();
  const published = details.published.trim();
  if (title === "") throw new DraftSourceError("The title can't be empty.");
  if (outlet === "") throw new DraftSourceError("The outlet can't be empty.");
  if (published !== "" && !isIsoDate(published)) throw new DraftSourceError(`“${published}” is not a date as YYYY-MM-DD (e.g. 2025-03-14); leave it empty if unknown.`);
  const authors = details.authors
    .split(/[,;]|\band\b/)
    .map((name) => name.trim())
    .filter(Boolean);
  const changedTitle = title !== draft.meta.title;
  // The modal shows a printed day, or nothing for an inferred or unknown date: left as shown, the date stays as found.
  const unchangedDate = published === (printedDay(draft.meta.published) ?? "");
  const { published_note: _note, ...rest } = draft.meta;
  const dated = unchangedDate
    ? draft.meta
    : published === ""
      ? { ...rest, published: null, published_note: "not found in the source; left unknown when the article was added" }
      : { ...rest, published };
  return {
    ...draft,
    meta: { ...dated, id: changedTitle ? slugify(title) || draft.meta.id : draft.meta.id, title, authors, outlet },
    warnings: draft.warnings.filter((w) => !(authors.length > 0 && w === "no author found")),
  };
}
