/**
 * Loading a large corpus folder through the real loader: the time and memory of `loadEngine`
 * on thousands of Markdown files, as a server with a big library starts.
 *
 *   node --expose-gc --import tsx bench/corpus-files.ts --reuters ../shared/evaldata/reuters21578
 *   node --expose-gc --import tsx bench/corpus-files.ts --dir <an existing corpus folder>
 *
 * With --reuters, the Reuters-21578 SGML files are turned into one corpus file per story with a
 * body (about 19,000) in a temporary folder first (not timed). Prints `BENCH_RESULT <json>`.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadEngine } from "../src/engine.js";
import { peakRssMb, round } from "./measure.js";
import { RESULT_PREFIX } from "./report.js";
import { writeReutersCorpus } from "./reuters.js";

export interface CorpusFilesResult {
  name: string;
  files: number;
  articles: number;
  problems: number;
  /** loadEngine: read, parse, validate, segment and index, cold, in ms. */
  loadMs: number;
  loadCpuMs: number;
  /** process.resourceUsage().maxRSS after the load. */
  peakRssMb: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reuters: { type: "string" }, dir: { type: "string" } }, strict: true });
  let dir = values.dir;
  let temporary: string | undefined;
  if (values.reuters !== undefined) {
    temporary = await mkdtemp(path.join(os.tmpdir(), "agora-reuters-"));
    process.stderr.write(`  writing the Reuters stories as corpus files in ${temporary}\n`);
    await writeReutersCorpus(values.reuters, temporary);
    dir = temporary;
  }
  if (dir === undefined) throw new Error("give --reuters <Reuters-21578 folder> or --dir <corpus folder>");
  try {
    const files = (await readdir(dir)).filter((n) => n.endsWith(".md")).length;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const engine = await loadEngine({ corpusDir: dir });
    const loadMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const result: CorpusFilesResult = {
      name: values.reuters !== undefined ? "reuters-21578-files" : path.basename(dir),
      files,
      articles: engine.articles().length,
      problems: engine.problems.length,
      loadMs: round(loadMs, 1),
      loadCpuMs: round((cpu.user + cpu.system) / 1000, 1),
      peakRssMb: peakRssMb(),
    };
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}

await main();
