import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StorageConfig } from "../storage/storage.js";
import { openStorage } from "../storage/storage.js";
import { UsageError, type CliIo } from "./io.js";

/**
 * `library list|export --guild ID [--out DIR]`: a server's own articles (added with /library add),
 * read from the bot's database. Export writes each as the corpus file it is stored as, so a host
 * can move a server's articles into the shared corpus folder (or back them up) as they are.
 */
export async function runLibrary(args: readonly string[], values: { guild?: string | undefined; out?: string | undefined; json?: boolean | undefined }, storageConfig: StorageConfig, io: CliIo): Promise<number> {
  const [action] = args;
  if (action !== "list" && action !== "export") throw new UsageError('library needs "list" or "export": library list|export --guild <server id> [--out DIR]');
  const guildId = values.guild;
  if (guildId === undefined || !/^\d{17,20}$/.test(guildId)) throw new UsageError("library needs the server's id: --guild <17–20 digits>");
  const storage = await openStorage(storageConfig);
  try {
    const articles = await storage.library.list(guildId);
    if (action === "list") {
      io.stdout(
        values.json
          ? JSON.stringify(articles.map(({ source: _source, ...row }) => row), null, 2)
          : articles.length === 0
            ? `server ${guildId} has added no articles (database: ${storage.location})`
            : articles.map((a) => `${a.articleId}  ${a.title}  (added ${new Date(a.addedAt).toISOString().slice(0, 10)}, ${a.bytes} bytes)`).join("\n"),
      );
      return 0;
    }
    const out = path.resolve(io.cwd, values.out ?? `library-${guildId}`);
    await mkdir(out, { recursive: true });
    for (const article of articles) {
      try {
        // "wx": an export never overwrites a file already there (a corpus file of the same id, say).
        await writeFile(path.join(out, `${article.articleId}.md`), article.source, { encoding: "utf8", flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${path.join(out, `${article.articleId}.md`)} already exists; export into an empty folder (--out DIR)`);
        throw error;
      }
    }
    io.stdout(`wrote ${articles.length} article${articles.length === 1 ? "" : "s"} of server ${guildId} to ${out}`);
    return 0;
  } finally {
    await storage.close();
  }
}
