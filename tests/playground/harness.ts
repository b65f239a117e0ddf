import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { botCommands, commandPayloads } from "../../commands/index.js";
import { loadEngine } from "../../src/engine.js";
import { createLogger } from "../../src/logging.js";
import { servePlayground, type PlaygroundServer } from "../../src/playground/http.js";
import type { MessageView } from "../../src/playground/message-view.js";
import { Playground } from "../../src/playground/session.js";
import type { ActionResult } from "../../src/playground/session.js";
import type { Suggestions } from "../../src/playground/suggest.js";
import { openDatabase } from "../../src/storage/db.js";

export const ALICE = "1100000000000000040";
export const BOB = "1100000000000000041";
export const GENERAL = "1100000000000000020";

/** Text that tries to become HTML, a script, a link or a ping, in a passage and in a query. */
export const HOSTILE = {
  script: "<script>window.__injected = 1</script>",
  img: "<img src=x onerror=\"window.__injected = 2\">",
  link: "[click me](javascript:window.__injected=3)",
  mention: "<@1100000000000000041>",
};

/** The real corpus plus one article whose body is made of hostile text, in a fresh folder. */
export function corpusWithHostileArticle(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "agora-playground-corpus-"));
  cpSync("corpus", dir, { recursive: true });
  writeFileSync(
    path.join(dir, "zebra-crossing-manifesto.md"),
    [
      "---",
      "id: zebra-crossing-manifesto",
      'title: "The zebra crossing manifesto <b>bold</b>"',
      "authors:",
      '  - "Mallory Zebrafinch"',
      'outlet: "The Test Gazette"',
      'published: "2024-03-03"',
      "source:",
      "  site: test fixture",
      "---",
      "",
      `Zebra crossings need ${HOSTILE.script} and ${HOSTILE.img} painted stripes, see ${HOSTILE.link} or ask ${HOSTILE.mention} and @everyone.`,
      "",
    ].join("\n"),
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PlaygroundHarness {
  playground: Playground;
  server: PlaygroundServer;
  url: string;
  get<T>(pathname: string): Promise<T>;
  post<T = ActionResult>(pathname: string, body: unknown): Promise<T>;
  send(userId: string, line: string): Promise<ActionResult>;
  suggest(userId: string, line: string): Promise<Suggestions>;
  messages(): Promise<MessageView[]>;
  /** Polls the page's message data until `match` finds one. */
  waitForMessage(match: (m: MessageView) => boolean, timeoutMs?: number): Promise<MessageView>;
  close(): Promise<void>;
}

/** The playground as `npm run playground` starts it (real corpus folder, SQLite file, HTTP server on a free port). */
export async function startPlayground(options: { corpusDir?: string } = {}): Promise<PlaygroundHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "agora-playground-"));
  const database = openDatabase(path.join(dataDir, "playground.sqlite"));
  const logger = createLogger({ level: "warn", destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  const engine = await loadEngine({ corpusDir: options.corpusDir ?? "corpus" });
  // Tests run many commands in a row: the per-member limits would (rightly) answer "slow down".
  const generous = { limit: 1000, windowMs: 10_000 };
  const playground = await Playground.start({ engine, commands: botCommands, commandPayloads, database, logger, rateLimits: { rateLimit: generous, autocompleteRateLimit: generous } });
  const server = await servePlayground(playground, { port: 0, logger });
  const api = new URL(server.url);
  const get = async <T>(pathname: string) => (await (await fetch(new URL(pathname, api))).json()) as T;
  const post = async <T>(pathname: string, body: unknown) =>
    (await (await fetch(new URL(pathname, api), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as T;
  const messages = () => get<MessageView[]>("/api/messages");
  return {
    playground,
    server,
    url: server.url,
    get,
    post,
    send: (userId, line) => post("/api/send", { userId, channelId: GENERAL, line }),
    suggest: (userId, line) => post<Suggestions>("/api/suggest", { userId, channelId: GENERAL, line }),
    messages,
    async waitForMessage(match, timeoutMs = 8000) {
      const started = Date.now();
      for (;;) {
        const found = (await messages()).find(match);
        if (found) return found;
        if (Date.now() - started > timeoutMs) throw new Error("no such message on the page in time");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await server.close();
      await playground.close();
      database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A view's HTML as the text a reader sees (tags dropped, entities decoded), for assertions. */
export function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}
