import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPage, FetchRefused, isPublic, type FetchLimits } from "../../src/corpus/fetch-page.js";

/** A test site on 127.0.0.1: each path answers one way a real site might. */
let server: Server;
let other: Server;
let base: string;
let otherPort: number;
beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "/";
    if (path === "/page") return void response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<p>Hello</p>");
    if (path === "/text") return void response.writeHead(200, { "content-type": "text/plain" }).end("plain words");
    if (path === "/image") return void response.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(10));
    if (path === "/big") return void response.writeHead(200, { "content-type": "text/html" }).end("x".repeat(5000));
    if (path === "/big-declared") return void response.writeHead(200, { "content-type": "text/html", "content-length": "999999" }).end("x");
    if (path === "/hang") return; // never answers
    if (path === "/missing") return void response.writeHead(404).end();
    if (path === "/to-page") return void response.writeHead(302, { location: "/page" }).end();
    if (path === "/to-other-loopback") return void response.writeHead(302, { location: `http://127.0.0.1:${otherPort}/` }).end();
    if (path === "/to-metadata") return void response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    if (path === "/to-private") return void response.writeHead(301, { location: "http://10.0.0.7/admin" }).end();
    if (path.startsWith("/loop/")) return void response.writeHead(302, { location: `/loop/${Number(path.slice(6)) + 1}` }).end();
    response.writeHead(500).end();
  });
  other = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end("<p>internal</p>"));
  server.listen(0, "127.0.0.1");
  other.listen(0, "127.0.0.1");
  await Promise.all([once(server, "listening"), once(other, "listening")]);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherPort = (other.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  other.close();
});

const allowed = () => ({ allowLoopbackPorts: [Number(new URL(base).port)] });
const refusal = async (address: string, limits: FetchLimits = allowed()) => {
  const error = await fetchPage(address, limits).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FetchRefused);
  return (error as FetchRefused).message;
};

describe("fetching a page from a chat link", () => {
  it("reads HTML and plain text, following a redirect on the same site", async () => {
    expect(await fetchPage(`${base}/page`, allowed())).toEqual({ url: `${base}/page`, contentType: "html", body: "<p>Hello</p>" });
    expect((await fetchPage(`${base}/text`, allowed())).contentType).toBe("text");
    expect((await fetchPage(`${base}/to-page`, allowed())).url).toBe(`${base}/page`);
  });

  it("refuses loopback unless a test allowed that very port", async () => {
    expect(await refusal(`${base}/page`, { allowLoopbackPorts: [] })).toMatch(/private or local address/);
    expect(await refusal(`${base}/to-other-loopback`)).toMatch(/127\.0\.0\.1 is a private or local address/);
  });

  it("refuses private, link-local and metadata addresses, written or redirected to", async () => {
    expect(await refusal("http://10.1.2.3/")).toMatch(/private or local/);
    expect(await refusal("http://[::1]/")).toMatch(/private or local/);
    expect(await refusal("http://[::ffff:192.168.0.1]/")).toMatch(/private or local/);
    expect(await refusal(`${base}/to-metadata`)).toMatch(/169\.254\.169\.254/);
    expect(await refusal(`${base}/to-private`)).toMatch(/10\.0\.0\.7/);
  });

  it("refuses a name that resolves to a local address", async () => {
    expect(await refusal("http://localhost:9/", { allowLoopbackPorts: [] })).toMatch(/resolves to a private or local address/);
  });

  it("refuses other schemes, credentials, too many redirects, wrong types, oversize, errors and silence", async () => {
    expect(await refusal("file:///etc/passwd")).toMatch(/only http and https/);
    expect(await refusal("ftp://example.com/x")).toMatch(/only http and https/);
    expect(await refusal(`http://user:secret@127.0.0.1:${new URL(base).port}/page`)).toMatch(/user name or password/);
    expect(await refusal("not a url")).toMatch(/is not a URL/);
    expect(await refusal(`${base}/loop/0`)).toMatch(/more than 5 redirects/);
    expect(await refusal(`${base}/image`)).toMatch(/content type "image\/png"/);
    expect(await refusal(`${base}/big`, { ...allowed(), maxBytes: 1000 })).toMatch(/larger than/);
    expect(await refusal(`${base}/big-declared`, { ...allowed(), maxBytes: 1000 })).toMatch(/larger than/);
    expect(await refusal(`${base}/missing`)).toMatch(/answered 404/);
    expect(await refusal(`${base}/hang`, { ...allowed(), timeoutMs: 300 })).toMatch(/no answer within 0.3 s/);
  });

  it("classifies addresses: public unicast only", () => {
    const none = new Set<number>();
    expect(isPublic("93.184.216.34", 80, none)).toBe(true);
    expect(isPublic("2606:2800:220:1:248:1893:25c8:1946", 443, none)).toBe(true);
    for (const address of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1"]) {
      expect(isPublic(address, 80, none), address).toBe(false);
    }
    expect(isPublic("127.0.0.1", 8080, new Set([8080]))).toBe(true);
    expect(isPublic("127.0.0.1", 8081, new Set([8080]))).toBe(false);
  });
});
