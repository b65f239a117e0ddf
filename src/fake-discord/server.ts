// The HTTP half of the fake: parse and record every REST request, route it, answer like Discord.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FakeGateway } from "./gateway.js";
import type { FakeState } from "./state.js";
import type { MessageBody, RecordedFile, RecordedRequest } from "./types.js";

const API_PREFIX = "/api/v10";

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Extra response headers (e.g. retry-after on a 429). */
  headers?: Record<string, string>;
}

export interface RouteContext {
  request: RecordedRequest;
  params: Record<string, string>;
  state: FakeState;
}

export interface Route {
  method: string;
  /** e.g. "/channels/:channel/messages/:message" (matched against the decoded path) */
  pattern: string;
  /** Interaction callbacks and webhook-token routes are called without the bot token. */
  auth: boolean;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

export function discordError(status: number, code: number, message: string): RouteResult {
  return { status, body: { message, code } };
}

/** 200 with a JSON body, or 204 without one. */
export const ok = (body?: unknown): RouteResult => (body === undefined ? { status: 204 } : { status: 200, body });

export function asBody(value: unknown): MessageBody {
  return typeof value === "object" && value !== null ? (value as MessageBody) : {};
}

/** The `:name` parameters of `path` when it fits the route pattern, else null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? "";
    if (part.startsWith(":")) {
      if (actual === "") return null;
      params[part.slice(1)] = actual;
    } else if (part !== actual) return null;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON bodies as JSON; multipart bodies (messages with files) as their payload_json plus a list of files. */
async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown = undefined;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value) as unknown;
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  const text = raw.toString("utf8");
  if (contentType.includes("json")) return { body: JSON.parse(text) as unknown, files: [] };
  return { body: text, files: [] };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function decodePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

function write(res: ServerResponse, result: RouteResult): void {
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status === 200 ? 204 : result.status, result.headers ?? {}).end();
    return;
  }
  const json = JSON.stringify(result.body);
  res.writeHead(result.status, { ...result.headers, "content-type": "application/json", "content-length": Buffer.byteLength(json) }).end(json);
}

export function createFakeServer(state: FakeState, gateway: FakeGateway, routes: readonly Route[]): Server {
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, discordError(500, 0, `fake-discord crashed: ${String(error)}`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? "/", "http://fake");
    // Attachment downloads, as from Discord's CDN: raw bytes, no token, not REST.
    const attachment = req.method === "GET" ? state.cdn.file(url.pathname) : undefined;
    if (attachment) {
      res.writeHead(200, { "content-type": attachment.contentType, "content-length": attachment.data.length }).end(attachment.data);
      return;
    }
    const headers = flatHeaders(req);
    const parsed = await parseBody(await readBody(req), headers["content-type"] ?? "");
    const decoded = decodePath(url.pathname);
    const path = decoded.startsWith(`${API_PREFIX}/`) ? decoded.slice(API_PREFIX.length) : decoded;
    const authorization = headers["authorization"] ?? null;
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers,
      authorization,
      authorized: authorization === `Bot ${state.botToken}`,
      at,
      status: 0,
    };
    let result: RouteResult = discordError(404, 0, "404: Not Found");
    let unknown = true;
    // An injected 5xx before the route runs: Discord did nothing (state.restFaults, FakeDiscord.failRequests).
    const fault = state.restFaults.take(request);
    if (fault && !fault.afterHandling) {
      result = fault.result;
      unknown = false;
    } else if (decoded.startsWith(`${API_PREFIX}/`)) {
      for (const route of routes) {
        if (route.method !== request.method) continue;
        const params = matchPath(route.pattern, path);
        if (!params) continue;
        unknown = false;
        if (route.auth && !request.authorized) result = discordError(401, 0, "401: Unauthorized");
        else {
          // Synchronous handlers stay synchronous, so the request is recorded before anyone they woke up runs.
          const outcome = route.handle({ request, params, state });
          result = outcome instanceof Promise ? await outcome : outcome;
        }
        break;
      }
      if (fault) result = fault.result; // it acted, and only its answer is lost
    }
    request.status = result.body === undefined && result.status === 200 ? 204 : result.status;
    write(res, result);
    state.record(request, unknown);
  }

  server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
    if (new URL(req.url ?? "/", "http://fake").pathname.startsWith("/gateway")) gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  return server;
}
