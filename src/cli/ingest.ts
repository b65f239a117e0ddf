import { publicationDate } from "../corpus/dates.js";
import { type IngestOptions } from "../corpus/ingest.js";
import { ingestSource } from "../corpus/ingest-source.js";
import { dateText } from "../text/attribution.js";
import type { CliIo } from "./io.js";

/** The CLI options ingest reads. */
export interface IngestValues {
  json?: boolean | undefined;
  title?: string | undefined;
  author?: string[] | undefined;
  outlet?: string | undefined;
  published?: string | undefined;
}

/**
 * `ingest <raw.txt | page.html | URL>`: writes a new corpus file and lists what a human must still
 * check. A page's metadata (JSON-LD, Open Graph, meta tags) fills in what the options leave out.
 */
export async function runIngest(source: string, corpusDir: string, values: IngestValues, io: CliIo): Promise<number> {
  const options: Omit<IngestOptions, "sourceName"> = {};
  if (values.title !== undefined) options.title = values.title;
  if (values.author !== undefined && values.author.length > 0) options.authors = values.author;
  if (values.outlet !== undefined) options.outlet = values.outlet;
  if (values.published !== undefined) options.published = values.published;
  const result = await ingestSource(source, corpusDir, options);
  if (values.json) {
    const { file, meta, shape, removedLines, suspectedGaps } = result;
    const dateProposal = result.dateProposal ? { source: result.dateProposal.source, published: result.dateProposal.published, date: publicationDate(result.dateProposal.published) } : null;
    io.stdout(JSON.stringify({ file, id: meta.id, shape, removedLines, suspectedGaps, dateProposal, authors: meta.authors, warnings: result.warnings }, null, 2));
    return 0;
  }
  const lines = [
    `wrote ${result.file} (id ${result.meta.id}; raw shape: ${result.shape})`,
    `removed ${result.removedLines.length} line(s) of boilerplate, byline, bios and headline`,
  ];
  for (const warning of result.warnings.filter((w) => w !== "no author found")) lines.push(`check: ${warning}`);
  if (result.meta.authors.length === 0) lines.push("no author given: pass --author, or leave authors [] if the text names nobody");
  else if (values.author === undefined) lines.push(`authors from the page: ${result.meta.authors.join(", ")} (check them; --author overrides)`);
  if (result.dateProposal) {
    const { published, source } = result.dateProposal;
    const date = publicationDate(published);
    lines.push(
      `proposed date (from the ${source}): ${dateText({ published: null, date })}`,
      `  ${published.evidence ?? ""}`,
      `  written as published with inferred: true; confirm it (a date the text prints: published: "${date?.start ?? "YYYY-MM-DD"}") or correct it`,
    );
  } else if (result.meta.published === null) {
    lines.push("no date given or found: set published, or keep null and explain in published_note");
  }
  if (result.suspectedGaps.length > 0) {
    lines.push(`${result.suspectedGaps.length} suspected gap(s) where words may have been lost; check each against the source and mark lost words as […] (and set gaps):`);
    for (const gap of result.suspectedGaps) lines.push(`  paragraph ${gap.paragraph}: “${gap.excerpt}” (${gap.reason})`);
  }
  lines.push("then run: npm run --silent cli -- check");
  io.stdout(lines.join("\n"));
  return 0;
}
