import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { BOILERPLATE_LINE_PATTERNS } from "./boilerplate.js";
import { matchStampLine, proposeDate, type DateProposal, type FoundDate } from "./date-proposal.js";
import { joinFrontMatter, splitFrontMatter } from "./frontmatter.js";
import { parseArticle, readEntry } from "./load.js";
import { rebuildParagraphs, type SuspectedGap, type TextShape } from "./paragraphs.js";
import {
  bioName,
  endsSentence,
  isBioLine,
  isIsoDate,
  isOutletLine,
  isShortSuffix,
  isSiteNameLine,
  looksLikeHeadline,
  matchByline,
  matchDatePrefix,
  normaliseRaw,
  sameHeadline,
  slugify,
  stripSiteSuffix,
} from "./rawtext.js";
import { GAP_MARKER, type ArticleMeta } from "./schema.js";

export type { SuspectedGap, TextShape } from "./paragraphs.js";

export interface IngestOptions {
  title?: string;
  authors?: string[];
  outlet?: string;
  /** YYYY-MM-DD */
  published?: string;
  /** The raw file's base name, recorded as `source.seed`. */
  sourceName: string;
  site?: string;
}

export interface IngestResult {
  meta: ArticleMeta;
  /** Paragraphs joined by "\n\n"; no other newlines. */
  body: string;
  /** Every line (or line prefix) dropped from the body, in source order: boilerplate, site name, headline, byline, bios, outlet. */
  removedLines: string[];
  /** Mid-sentence line joins a human should check for words lost with a stripped hyperlink. */
  suspectedGaps: SuspectedGap[];
  shape: TextShape;
  /** The date read from the text when none was given or printed as a "date YYYY-MM-DD" prefix; written as `published` with `inferred: true`, for a human to confirm. */
  dateProposal?: DateProposal;
}

/** Why a raw text could not be ingested; the message is meant for the person running ingest. */
export class IngestError extends Error {
  override name = "IngestError";
}

const PUBLISHED_NOTE = "not given at ingest; check the text";

interface RawLine {
  text: string;
  /** 1-based line number in the raw text. */
  no: number;
}

/** Cleans one raw scraped text into corpus front matter and a body of whole paragraphs. */
export function ingestText(raw: string, options: IngestOptions): IngestResult {
  if (options.published !== undefined && !isIsoDate(options.published)) {
    throw new IngestError(`published must be a date as YYYY-MM-DD, got "${options.published}"`);
  }
  if (options.title !== undefined && options.title.trim() === "") throw new IngestError("the title must not be empty");
  const lines: RawLine[] = normaliseRaw(raw).map((text, index) => ({ text, no: index + 1 }));
  const removed: RawLine[] = [];
  const drop = (index: number): string => {
    const [line] = lines.splice(index, 1);
    if (line) removed.push(line);
    return line?.text ?? "";
  };
  const contentIndex = (from: number, step: 1 | -1): number => {
    for (let i = from; i >= 0 && i < lines.length; i += step) if (lines[i]?.text) return i;
    return -1;
  };
  const contentAt = (index: number): string | undefined => (index < 0 ? undefined : lines[index]?.text);

  const boilerplate: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = lines[i]?.text ?? "";
    if (text && BOILERPLATE_LINE_PATTERNS.some((pattern) => pattern.test(text))) boilerplate.unshift(drop(i));
  }

  let datePrefix: { date: string; prefix: string } | undefined;
  for (let i = contentIndex(0, 1), seen = 0; i >= 0 && seen < 3 && !datePrefix; i = contentIndex(i + 1, 1), seen++) {
    const line = lines[i];
    const match = line && matchDatePrefix(line.text);
    if (!line || !match) continue;
    datePrefix = match;
    removed.push({ text: match.prefix, no: line.no });
    if (match.rest === "") lines.splice(i, 1);
    else line.text = match.rest;
  }

  // Date stamp lines ("Published March 3, 2025", "Updated: 2025-03-04 10:00 GMT") are metadata:
  // out of the body, into the date proposal.
  const stamps: { line: string; published?: FoundDate; updated?: FoundDate }[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const stamp = matchStampLine(lines[i]?.text ?? "");
    if (stamp) stamps.unshift({ line: drop(i), ...stamp });
  }

  // The head: an all-caps site name, the headline (maybe repeated, maybe with a site suffix), a byline.
  let title = options.title?.trim();
  let siteLine: string | undefined;
  let suffix: string | undefined;
  let byline: string | undefined;
  let headlineLines = 0;
  const siteNames = () => [options.site, suffix, siteLine].filter((name): name is string => name !== undefined);
  const isHeadline = (line: string, known: string): boolean => {
    if (sameHeadline(line, known) || sameHeadline(stripSiteSuffix(line, siteNames()).title, known)) return true;
    if (!sameHeadline(line.slice(0, known.length), known) || !isShortSuffix(line.slice(known.length))) return false;
    if (line[known.length] !== " ") return false;
    suffix ??= line.slice(known.length).replace(/^[\s|:–—-]+/u, "");
    return true;
  };
  for (let first = true; ; first = false) {
    const i = contentIndex(0, 1);
    const line = contentAt(i);
    if (line === undefined) break;
    const next = contentAt(contentIndex(i + 1, 1));
    if (first && isSiteNameLine(line, options.site) && next !== undefined && !(title && sameHeadline(line, title))) {
      siteLine = drop(i);
    } else if (title !== undefined && isHeadline(line, title)) {
      drop(i);
      headlineLines++;
    } else if (title !== undefined && byline === undefined && matchByline(line)) {
      byline = drop(i);
    } else if (title === undefined) {
      if (!looksLikeHeadline(line, next)) {
        throw new IngestError(
          `cannot find a title in ${options.sourceName}: its first line does not look like a headline ("${line.slice(0, 80)}"); pass --title`,
        );
      }
      const stripped = stripSiteSuffix(drop(i), siteNames());
      title = stripped.title;
      suffix ??= stripped.suffix;
      headlineLines++;
    } else {
      break;
    }
  }
  if (title === undefined || title === "") throw new IngestError(`${options.sourceName} has no text to take a title from; pass --title`);

  // The tail: a closing outlet-name line, then the authors' bios.
  let outletLine: string | undefined;
  const bios: string[] = [];
  for (;;) {
    const j = contentIndex(lines.length - 1, -1);
    const line = contentAt(j);
    const previous = contentAt(contentIndex(j - 1, -1));
    if (line === undefined || previous === undefined) break;
    if (outletLine === undefined && bios.length === 0 && endsSentence(previous) && isOutletLine(line)) {
      outletLine = drop(j);
    } else if (isBioLine(line)) {
      bios.unshift(drop(j));
    } else {
      break;
    }
  }

  const rebuilt = rebuildParagraphs(lines.map((line) => line.text));
  if (rebuilt.paragraphs.length === 0) throw new IngestError(`${options.sourceName} has no article text left after cleaning`);
  const body = rebuilt.paragraphs.join("\n\n");
  const id = slugify(title) || slugify(body.split(" ").slice(0, 8).join(" "));
  if (id === "") throw new IngestError(`cannot derive an id from the title "${title}"; pass a title with Latin letters or digits`);

  const notes = [`Ingested from ${options.sourceName} (${rebuilt.shape}).`];
  if (siteLine !== undefined) notes.push(`Removed the site-name line "${siteLine}".`);
  if (headlineLines > 0) {
    notes.push(`Removed the headline from the body (${headlineLines} line(s)${suffix ? `, site suffix "${suffix}"` : ""}).`);
  }
  if (byline !== undefined) notes.push(`byline in source: ${byline} — may be a reposter, not used as author.`);
  if (datePrefix) notes.push(`Removed the "${datePrefix.prefix}" prefix.`);
  if (stamps.length > 0) notes.push(`Removed ${stamps.length} date stamp line(s): ${stamps.map((stamp) => `"${stamp.line}"`).join(", ")}.`);
  if (boilerplate.length > 0) notes.push(`Removed ${boilerplate.length} boilerplate line(s): ${boilerplate.map((b) => `"${b}"`).join(", ")}.`);
  if (bios.length > 0) {
    const named = bios.map(bioName).filter((name) => name !== undefined);
    notes.push(`Moved ${bios.length} closing bio line(s) to bios${named.length > 0 ? ` (naming ${named.join(", ")})` : ""}.`);
  }
  if (outletLine !== undefined) notes.push(`Removed the closing outlet line "${outletLine}".`);
  if (options.authors === undefined) notes.push("Authors not given at ingest.");
  if (options.outlet === undefined) notes.push("Outlet not given at ingest.");
  notes.push(
    rebuilt.suspectedGaps.length > 0
      ? `Gaps were not marked: ${rebuilt.suspectedGaps.length} suspected place(s) (mid-sentence line joins, stray spaces before punctuation) may hide words lost with stripped hyperlinks; check each, mark lost words with ${GAP_MARKER} and update gaps.`
      : "Gaps were not marked at ingest; no line break suggested lost words.",
  );

  const given = options.published ?? datePrefix?.date;
  const dateProposal = given === undefined ? proposeDate({ stamps, body }) : undefined;
  if (dateProposal) notes.push(`The date is a proposal read from the ${dateProposal.source} (see published.evidence): confirm or correct it.`);
  const published = given ?? dateProposal?.published ?? null;
  const meta: ArticleMeta = {
    id,
    title,
    authors: (options.authors ?? []).map((author) => author.trim()).filter(Boolean),
    outlet: options.outlet?.trim() || "Unknown",
    published,
    ...(published === null ? { published_note: PUBLISHED_NOTE } : {}),
    source: { site: options.site?.trim() || suffix || siteLine || "unknown", seed: options.sourceName },
    gaps: body.split(GAP_MARKER).length - 1,
    bios,
    notes: notes.join(" "),
  };
  removed.sort((a, b) => a.no - b.no);
  return {
    meta,
    body,
    removedLines: removed.map((line) => line.text),
    suspectedGaps: rebuilt.suspectedGaps,
    shape: rebuilt.shape,
    ...(dateProposal ? { dateProposal } : {}),
  };
}

/**
 * Ingests one raw file into `corpusDir/<id>.md`. Refuses to overwrite a file or to reuse an id
 * already in the folder, and validates the document with the corpus loader before writing.
 */
export async function ingestFile(
  rawPath: string,
  corpusDir: string,
  options: Omit<IngestOptions, "sourceName">,
): Promise<IngestResult & { file: string }> {
  const raw = await readFile(rawPath, "utf8");
  return writeIngested(ingestText(raw, { ...options, sourceName: path.basename(rawPath) }), corpusDir, rawPath);
}

/**
 * Writes an ingested article as `corpusDir/<id>.md` (`from` names its source in errors). Refuses to
 * overwrite a file or to reuse an id already in the folder, and validates the document with the
 * corpus loader before writing.
 */
export async function writeIngested(result: IngestResult, corpusDir: string, from: string): Promise<IngestResult & { file: string }> {
  const name = `${result.meta.id}.md`;
  const file = path.join(corpusDir, name);
  let existing: string[];
  try {
    existing = await readdir(corpusDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IngestError(code === "ENOENT" ? `corpus folder not found: ${corpusDir}` : `cannot read corpus folder ${corpusDir}: ${code ?? String(error)}`);
  }
  const refuseOverwrite = () =>
    new IngestError(`refusing to overwrite ${file}: it already exists (pass a different --title, or remove the file first)`);
  if (existing.includes(name)) throw refuseOverwrite();
  for (const other of existing.filter((entry) => entry.endsWith(".md")).sort()) {
    // The loader's own reading: a directory or dangling symlink named *.md holds no id to clash with.
    const entry = await readEntry(corpusDir, other);
    if ("source" in entry && idOf(entry.source) === result.meta.id) {
      throw new IngestError(`id "${result.meta.id}" is already used by ${path.join(corpusDir, other)} (pass a different --title)`);
    }
  }
  const document = joinFrontMatter({ ...result.meta }, result.body);
  const checked = parseArticle(name, document);
  if ("problems" in checked) {
    const problems = checked.problems.map((problem) => `  ${problem.field}: ${problem.reason}`).join("\n");
    throw new IngestError(`the article ingested from ${from} would not pass the corpus check:\n${problems}`);
  }
  try {
    await writeFile(file, document, { encoding: "utf8", flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw refuseOverwrite();
    throw error;
  }
  return { ...result, file };
}

/** The id in a corpus file's front matter, if it has a readable one. */
function idOf(source: string): string | undefined {
  try {
    const { data } = splitFrontMatter(source);
    if (typeof data === "object" && data !== null && "id" in data && typeof data.id === "string") return data.id;
  } catch {
    // An unreadable file cannot claim an id; the corpus check reports it on its own.
  }
  return undefined;
}
