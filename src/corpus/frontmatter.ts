import { CORE_SCHEMA, load } from "js-yaml";
import YAML from "yaml";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export interface SplitDocument {
  /** The parsed YAML, not yet validated. */
  data: unknown;
  /** Everything after the front matter, without the blank lines around it. */
  body: string;
}

/**
 * Splits a Markdown file into YAML front matter and body. The body keeps its exact characters
 * (offsets into it are citations), only the blank lines framing it are dropped.
 */
export function splitFrontMatter(source: string): SplitDocument {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new FrontMatterError("missing YAML front matter (a leading '---' block)");
  let data: unknown;
  try {
    // js-yaml reads front matter 4–5 times faster than yaml (1.1 s saved on 19,000 files); the
    // YAML 1.2 core schema keeps dates as strings, as the schema wants them. yaml still writes.
    data = load(match[1] ?? "", { schema: CORE_SCHEMA });
  } catch (error) {
    throw new FrontMatterError(`front matter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const body = source.slice(match[0].length).replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
  return { data, body };
}

/** Writes front matter and body back into one Markdown document. */
export function joinFrontMatter(data: Record<string, unknown>, body: string): string {
  return `---\n${YAML.stringify(data, { lineWidth: 0 })}---\n\n${body.trimEnd()}\n`;
}

export class FrontMatterError extends Error {
  override name = "FrontMatterError";
}
