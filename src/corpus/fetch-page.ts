import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, request } from "undici";

/** A URL from a chat is untrusted input: these bound what fetching it may cost or reach. */
export interface FetchLimits {
  /** Most redirects followed. Default 5. */
  maxRedirects?: number;
  /** Whole fetch, redirects included, in ms. Default 10,000. */
  timeoutMs?: number;
  /** Most bytes of body read. Default 5 MB. */
  maxBytes?: number;
  /**
   * Loopback ports a test server listens on. Production never sets this: without it no loopback,
   * private, link-local or metadata address is ever connected to, before or after a redirect.
   */
  allowLoopbackPorts?: readonly number[];
  /**
   * Read the body as this kind whatever its content type says: for a file whose kind its name
   * already tells (a Discord attachment `.md` may come as application/octet-stream).
   */
  kind?: FetchedPage["contentType"];
}

/** A page fetched: where it ended up, its content type and its text. */
export interface FetchedPage {
  url: string;
  contentType: "html" | "text";
  body: string;
}

/** Why a URL was not fetched, in words for the person who gave it. */
export class FetchRefused extends Error {
  override name = "FetchRefused";
}

const DEFAULTS = { maxRedirects: 5, timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024 } as const;

/**
 * Fetches an article page for ingest. Only http(s); every address a connection would use (the
 * URL's own IP, each DNS answer, after each redirect) must be a public unicast address, checked
 * in the socket's own lookup so a name cannot resolve one way for the check and another for the
 * connection. Only HTML or plain text, within the size and time limits.
 */
export async function fetchPage(address: string, limits: FetchLimits = {}): Promise<FetchedPage> {
  const { maxRedirects, timeoutMs, maxBytes } = { ...DEFAULTS, ...limits };
  const allowedPorts = new Set(limits.allowLoopbackPorts ?? []);
  const agent = new Agent({ connect: { lookup: guardedLookup(allowedPorts) } });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let url = parseUrl(address);
    for (let redirects = 0; ; redirects++) {
      checkLiteralHost(url, allowedPorts);
      const response = await request(url, { dispatcher: agent, signal, headers: { accept: "text/html, text/plain;q=0.9", "user-agent": "AgoraBot (article ingest)" } });
      if (response.statusCode >= 300 && response.statusCode < 400 && response.headers.location !== undefined) {
        await response.body.dump();
        if (redirects >= maxRedirects) throw new FetchRefused(`more than ${maxRedirects} redirects`);
        url = parseUrl(new URL(String(response.headers.location), url).href);
        continue;
      }
      if (response.statusCode >= 400) {
        await response.body.dump();
        throw new FetchRefused(`the site answered ${response.statusCode}`);
      }
      const contentType = limits.kind ?? kindOf(String(response.headers["content-type"] ?? ""));
      if (!contentType) {
        await response.body.dump();
        throw new FetchRefused(`not a web page or text (content type "${String(response.headers["content-type"] ?? "none")}")`);
      }
      const declared = Number(response.headers["content-length"] ?? 0);
      if (declared > maxBytes) {
        await response.body.dump();
        throw new FetchRefused(`the page is larger than ${megabytes(maxBytes)}`);
      }
      return { url: url.href, contentType, body: await readCapped(response.body, maxBytes) };
    }
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    if (signal.aborted) throw new FetchRefused(`no answer within ${timeoutMs / 1000} s`);
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new FetchRefused(reason.startsWith("refused:") ? reason.slice("refused: ".length) : `could not fetch the page (${reason})`);
  } finally {
    await agent.close();
  }
}

function parseUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new FetchRefused(`"${address}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchRefused(`only http and https links can be added, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchRefused("links with a user name or password are not fetched");
  return url;
}

/** An IP written in the URL never goes through DNS: it is checked here. */
function checkLiteralHost(url: URL, allowedPorts: ReadonlySet<number>): void {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !isPublic(host, portOf(url), allowedPorts)) throw new FetchRefused(`${host} is a private or local address`);
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** A DNS lookup for the connection that fails on any answer that is not a public address. */
function guardedLookup(allowedPorts: ReadonlySet<number>): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as unknown as { address: string; family: number }[];
      // The port is not known here: a loopback answer is allowed only when some test port is.
      const bad = list.find((entry) => !isPublic(entry.address, undefined, allowedPorts));
      if (bad) return callback(new Error(`refused: ${hostname} resolves to a private or local address (${bad.address})`), "", 0);
      const first = list[0];
      if (!first) return callback(new Error(`refused: ${hostname} has no address`), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      return callback(null, first.address, first.family);
    });
  };
}

/** Public unicast only; loopback too when tests listen on the port (or any test port, when it is unknown). */
export function isPublic(address: string, port: number | undefined, allowedPorts: ReadonlySet<number>): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === "loopback") return allowedPorts.size > 0 && (port === undefined || allowedPorts.has(port));
  return range === "unicast";
}

function kindOf(contentType: string): FetchedPage["contentType"] | null {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "text/plain" || type === "text/markdown") return "text";
  return null;
}

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new FetchRefused(`the page is larger than ${megabytes(maxBytes)}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
