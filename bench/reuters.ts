/** Reuters-21578 (SGML) as corpus files: one Markdown file per story with a body. */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";

const STORY = /<REUTERS[^>]*NEWID="(\d+)"[^>]*>([\s\S]*?)<\/REUTERS>/g;
const MONTHS: Record<string, string> = { JAN: "01", FEB: "02", MAR: "03", APR: "04", MAY: "05", JUN: "06", JUL: "07", AUG: "08", SEP: "09", OCT: "10", NOV: "11", DEC: "12" };

/** Writes one corpus file per Reuters story that has a body; returns how many. */
export async function writeReutersCorpus(sgmlDir: string, outDir: string): Promise<number> {
  let written = 0;
  for (const name of (await readdir(sgmlDir)).filter((n) => n.endsWith(".sgm")).sort()) {
    const sgml = await readFile(path.join(sgmlDir, name), "latin1");
    for (const [, id, story = ""] of sgml.matchAll(STORY)) {
      const body = tag(story, "BODY");
      if (body === null) continue;
      const paragraphs = decode(body)
        .replace(/\s*Reuter\s*$/, "")
        .split(/\n {3,}/)
        .map((p) => p.replace(/\s+/g, " ").trim())
        .filter((p) => p.length > 0);
      if (paragraphs.length === 0) continue;
      const title = decode(tag(story, "TITLE") ?? "").replace(/\s+/g, " ").trim();
      const date = /(\d{1,2})-([A-Z]{3})-(\d{4})/.exec(tag(story, "DATE") ?? "");
      const meta = {
        id: `reuters-${id}`,
        title: title || `Reuters story ${id}`,
        ...(title ? {} : { title_note: "the story has no headline" }),
        authors: [],
        outlet: "Reuters",
        published: date ? `${date[3]}-${MONTHS[date[2] ?? ""] ?? "01"}-${(date[1] ?? "1").padStart(2, "0")}` : null,
        ...(date ? {} : { published_note: "no date in the source" }),
        source: { site: "Reuters-21578", seed: name },
      };
      await writeFile(path.join(outDir, `reuters-${id}.md`), `---\n${YAML.stringify(meta)}---\n\n${paragraphs.join("\n\n")}\n`);
      written += 1;
    }
  }
  return written;
}

function tag(text: string, name: string): string | null {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
  return match?.[1] ?? null;
}

function decode(text: string): string {
  return text
    .replace(/&#\d+;/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
