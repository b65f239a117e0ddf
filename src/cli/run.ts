import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCliConfig, loadStorageConfig } from "../config.js";
import { dateOf } from "../corpus/dates.js";
import { IngestError } from "../corpus/ingest.js";
import { CorpusDirError, loadCorpus } from "../corpus/load.js";
import { loadEngine, type Engine } from "../engine.js";
import type { SearchOptions } from "../types.js";
import { NotFoundError, QueryError } from "../errors.js";
import { loadCuratedTopics } from "../analysis/topics.js";
import { Thesaurus } from "../search/thesaurus.js";
import { formatArticles, formatAuthors, formatPassages, formatProblems, passageJson } from "./format.js";
import { runAnalysisCommand } from "./analysis.js";
import { runIngest } from "./ingest.js";
import { runLibrary } from "./library.js";
import { dateText } from "../text/attribution.js";
import { DatabaseError } from "../storage/db.js";
import { UsageError, type CliIo } from "./io.js";

export const USAGE = `usage: npm run --silent cli -- <command> [args] [--json] [--corpus DIR]
commands:
  articles                 list the articles
  article <id>             one article with its body
  authors                  list the authors and their articles
  search "<query>"         ranked passages   [--author NAME] [--article ID] [--from DATE] [--to DATE] [--limit N] [--batch FILE]
  quote "<query>"          the best passages to quote (same options)
  summarize                an extractive summary   --article ID | --author NAME | --topic "T"  [--length short|medium|long]
  contrast "<topic>"       each author's passages on a topic   [--authors A,B]
  topics                   the corpus's recurring topics and who addresses them
  timeline "<topic>"       the most relevant passage per article, by date
  check                    validate the corpus folder
  ingest <raw.txt|page.html|URL>  add an article to the corpus   [--title T] [--author A]... [--outlet O] [--published DATE]
  library list --guild ID  the articles a server added with /library add (from DATABASE_URL or DATABASE_PATH)
  library export --guild ID [--out DIR]  write them as corpus files into DIR (default ./library-<ID>)`;

/** A problem with what the user typed: one line on stderr, exit code 1. */

const OPTIONS = {
  json: { type: "boolean" },
  corpus: { type: "string" },
  author: { type: "string", multiple: true },
  article: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  limit: { type: "string" },
  batch: { type: "string" },
  title: { type: "string" },
  outlet: { type: "string" },
  published: { type: "string" },
  topic: { type: "string" },
  length: { type: "string" },
  authors: { type: "string" },
  guild: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      io.stdout(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const config = loadCliConfig(io.env, io.cwd);
    const corpusDir = values.corpus !== undefined ? path.resolve(io.cwd, values.corpus) : config.corpusDir;
    return await dispatch(command, rest, values, corpusDir, io);
  } catch (error) {
    // Expected failures (bad input) and unexpected ones alike end in one line; the exit code says which.
    const expected = [UsageError, NotFoundError, QueryError, CorpusDirError, IngestError, DatabaseError].some((kind) => error instanceof kind);
    io.stderr(`error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return expected ? 1 : 70;
  }
}

async function dispatch(command: string, args: string[], values: Values, corpusDir: string, io: CliIo): Promise<number> {
  const print = (value: unknown, text: string): void => io.stdout(values.json ? JSON.stringify(value, null, 2) : text);
  switch (command) {
    case "check":
      return check(corpusDir, values, io);
    case "ingest":
      return runIngest(oneArg(args, "ingest needs a raw text file, an HTML page or a URL: ingest <raw.txt|page.html|URL>"), corpusDir, values, io);
    case "library":
      return runLibrary(args, values, loadStorageConfig(io.env, io.cwd), io);
    case "articles": {
      const articles = (await openEngine(corpusDir, io)).articles();
      // `published` stays the printed day or null; `date` is the date at its precision (printed or inferred).
      print(articles.map((a) => ({ ...a, date: dateOf(a) })), formatArticles(articles));
      return 0;
    }
    case "article": {
      const article = (await openEngine(corpusDir, io)).article(oneArg(args, "article needs an id: article <id>"));
      const { file: _file, ...fields } = article;
      print({ ...fields, date: dateOf(article) }, `${article.title}\n${article.authors.join(", ") || "author unknown"} · ${article.outlet} · ${dateText(article)}\n\n${article.body}`);
      return 0;
    }
    case "authors": {
      const authors = (await openEngine(corpusDir, io)).authors();
      print(authors, formatAuthors(authors));
      return 0;
    }
    case "search":
    case "quote": {
      const engine = await openEngine(corpusDir, io);
      const options = searchOptions(values);
      const ask = (query: string) => (command === "quote" ? engine.quote(query, options) : engine.search(query, options));
      if (values.batch !== undefined) return runBatch(values.batch, ask, io);
      const query = oneArg(args, `${command} needs a query: ${command} "<query>"`);
      const results = ask(query);
      print({ query, results: results.map(passageJson) }, formatPassages(query, results));
      return 0;
    }
    case "summarize":
    case "contrast":
    case "topics":
    case "timeline":
      return runAnalysisCommand(command, args, values, await openEngine(corpusDir, io), io) ?? 1;
    default:
      throw new UsageError(`unknown command "${command}" (try: articles, article, authors, search, quote, summarize, contrast, topics, timeline, check, ingest, library)`);
  }
}

async function openEngine(corpusDir: string, io: CliIo): Promise<Engine> {
  const engine = await loadEngine({ corpusDir });
  // Broken files are left out, not fatal: say so on stderr so stdout stays parseable.
  for (const problem of engine.problems) io.stderr(`warning: skipped ${problem.file}: ${problem.field}: ${problem.reason}`);
  return engine;
}

async function check(corpusDir: string, values: Values, io: CliIo): Promise<number> {
  const { articles, problems } = await loadCorpus(corpusDir);
  const thesaurusProblems: string[] = [];
  for (const load of [() => Thesaurus.load(path.join(corpusDir, "thesaurus.yml")), () => loadCuratedTopics(path.join(corpusDir, "topics.yml"))]) {
    try {
      await load();
    } catch (error) {
      thesaurusProblems.push((error as Error).message);
    }
  }
  if (articles.length === 0 && problems.length === 0) problems.push({ file: corpusDir, field: "folder", reason: "holds no articles (*.md)" });
  const ok = problems.length === 0 && thesaurusProblems.length === 0;
  if (values.json) {
    io.stdout(JSON.stringify({ ok, articles: articles.length, problems, thesaurus: thesaurusProblems }, null, 2));
  } else if (ok) {
    io.stdout(`corpus OK: ${articles.length} article(s) in ${corpusDir}`);
  } else {
    io.stderr([formatProblems(problems), ...thesaurusProblems].filter(Boolean).join("\n"));
    io.stderr(`corpus has ${problems.length + thesaurusProblems.length} problem(s); ${articles.length} article(s) valid`);
  }
  return ok ? 0 : 1;
}

async function runBatch(file: string, ask: (query: string) => ReturnType<Engine["search"]>, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(`cannot read batch file ${file}`);
  }
  let failures = 0;
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    let item: { id?: unknown; q?: unknown };
    try {
      item = JSON.parse(line) as typeof item;
    } catch {
      throw new UsageError(`${file}:${i + 1}: not a JSON line`);
    }
    if (typeof item.q !== "string") throw new UsageError(`${file}:${i + 1}: needs a string "q"`);
    try {
      io.stdout(JSON.stringify({ id: item.id ?? null, query: item.q, results: ask(item.q).map(passageJson) }));
    } catch (error) {
      if (!(error instanceof QueryError || error instanceof NotFoundError)) throw error;
      failures++;
      io.stdout(JSON.stringify({ id: item.id ?? null, query: item.q, results: [], error: error.message }));
    }
  }
  return failures > 0 ? 1 : 0;
}

function searchOptions(values: Values): SearchOptions {
  const options: SearchOptions = {};
  const authors = values.author ?? [];
  if (authors.length > 1) throw new UsageError("search takes one --author");
  if (authors[0] !== undefined) options.author = authors[0];
  if (values.article !== undefined) options.article = values.article;
  for (const key of ["from", "to"] as const) {
    const value = values[key];
    if (value === undefined) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${key} must be a date like 2025-01-31, not "${value}"`);
    options[key] = value;
  }
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`--limit must be a whole number from 1 to 100, not "${values.limit}"`);
    options.limit = limit;
  }
  return options;
}

function oneArg(args: readonly string[], message: string): string {
  const [first, ...extra] = args;
  if (first === undefined || first.trim() === "") throw new UsageError(message);
  if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(" ")} (quote a query with spaces)`);
  return first;
}
