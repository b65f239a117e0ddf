import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { Logger } from "../logging.js";
import type { Playground, PlaygroundEvent } from "./session.js";

// The playground's web server: the page, its script and style, a JSON API for actions and a
// Server-Sent Events stream of message changes. Only on 127.0.0.1, and only for pages it served.

const WEB = new URL("./web/", import.meta.url);
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.mjs": { file: "app.mjs", type: "text/javascript; charset=utf-8" },
  "/dom.mjs": { file: "dom.mjs", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};
/** Nothing but the page's own files may run or load: an injected tag would be inert even if one got through. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY = 64 * 1024;

const who = { userId: z.string().regex(/^\d{17,20}$/) };
const schemas = {
  "/api/suggest": z.object({ ...who, channelId: z.string().optional(), line: z.string().max(4000) }),
  "/api/send": z.object({ ...who, channelId: z.string().optional(), line: z.string().max(4000) }),
  "/api/click": z.object({ ...who, messageId: z.string(), customId: z.string().max(100) }),
  "/api/menu": z.object({ ...who, messageId: z.string(), name: z.string().max(32) }),
  "/api/digest/run-day": z.object({}),
};

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("request too large");
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : {};
}

export async function servePlayground(playground: Playground, options: { port: number; logger: Logger }): Promise<PlaygroundServer> {
  const files = Object.fromEntries(Object.entries(STATIC).map(([path, { file }]) => [path, readFileSync(new URL(file, WEB))]));
  const streams = new Set<ServerResponse>();
  let origin = "";

  const actions: Record<keyof typeof schemas, (body: never) => Promise<unknown>> = {
    "/api/suggest": (b: z.infer<(typeof schemas)["/api/suggest"]>) => playground.suggest(b.userId, b.channelId, b.line),
    "/api/send": (b: z.infer<(typeof schemas)["/api/send"]>) => playground.send(b.userId, b.channelId, b.line),
    "/api/click": (b: z.infer<(typeof schemas)["/api/click"]>) => playground.click(b.userId, b.messageId, b.customId),
    "/api/menu": (b: z.infer<(typeof schemas)["/api/menu"]>) => playground.messageMenu(b.userId, b.messageId, b.name),
    "/api/digest/run-day": () => playground.runDigestDay(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    // Another site's page (or a DNS-rebound name) must not drive the bot: only this origin's own requests.
    const host = req.headers.host ?? "";
    if (host !== new URL(origin).host && host !== `localhost:${new URL(origin).port}`) return send(res, 421, { error: "wrong host" });
    const staticFile = STATIC[url.pathname];
    if (req.method === "GET" && staticFile) {
      res.writeHead(200, { "content-type": staticFile.type, "content-security-policy": CSP, "x-content-type-options": "nosniff", "cache-control": "no-store" }).end(files[url.pathname]);
      return;
    }
    if (req.method === "GET" && url.pathname === "/favicon.ico") return void res.writeHead(204).end();
    if (req.method === "GET" && url.pathname === "/api/world") return send(res, 200, await playground.world());
    if (req.method === "GET" && url.pathname === "/api/messages") return send(res, 200, playground.messageViews());
    if (req.method === "GET" && url.pathname === "/api/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(": connected\n\n");
      streams.add(res);
      req.on("close", () => streams.delete(res));
      return;
    }
    const schema = schemas[url.pathname as keyof typeof schemas] as z.ZodType | undefined;
    if (req.method !== "POST" || !schema) return send(res, 404, { error: "not found" });
    // JSON only: a cross-site form cannot send it without the browser asking this server first.
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return send(res, 415, { error: "send JSON" });
    const parsed = schema.safeParse(await readJson(req));
    if (!parsed.success) return send(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    try {
      send(res, 200, await actions[url.pathname as keyof typeof schemas](parsed.data as never));
    } catch (error) {
      send(res, 400, { ok: false, error: (error as Error).message });
    }
  }

  const unsubscribe = playground.subscribe((event: PlaygroundEvent) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, "playground request failed");
      if (!res.headersSent) send(res, 500, { error: "the playground failed; see its log" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
