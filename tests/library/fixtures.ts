import { readFileSync } from "node:fs";
import path from "node:path";
import { ingestDocument } from "../../src/corpus/ingest-source.js";
import type { ArticleDraft } from "../../src/library/server-libraries.js";
import { createLogger } from "../../src/logging.js";

/** What the server-library tests share: the shipped corpus, two servers, and drafts of the fixture news pages. */
export const CORPUS = path.join(import.meta.dirname, "../../corpus");
export const GUILD = "100000000000000001";
export const OTHER_GUILD = "100000000000000002";
export const silentLogger = createLogger({ level: "silent" });

/** A fixture page (tests/fixtures/pages/) as /library add would propose it. */
export function pageDraft(name: string): ArticleDraft {
  const read = ingestDocument(readFileSync(path.join(import.meta.dirname, "../fixtures/pages", name), "utf8"), "html", { sourceName: name }, {});
  return { meta: read.meta, body: read.body };
}
