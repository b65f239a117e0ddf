import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { extractArticle } from "../../src/corpus/extract-html.js";
import { ingestDocument, ingestSource, readSource } from "../../src/corpus/ingest-source.js";
import { IngestError } from "../../src/corpus/ingest.js";

const PAGES = path.join(import.meta.dirname, "../fixtures/pages");

/** The fixture pages served as a news site would, on 127.0.0.1. */
let server: Server;
let base: string;
let limits: { allowLoopbackPorts: number[] };
beforeAll(async () => {
  server = createServer((request, response) => {
    const name = path.basename(request.url ?? "");
    readFile(path.join(PAGES, name)).then(
      (html) => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html),
      () => response.writeHead(404).end(),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  limits = { allowLoopbackPorts: [port] };
});
afterAll(() => server.close());

describe("articles from news pages", () => {
  it("keep exactly the article's paragraphs, not the nav, cookie banner, share buttons or related links", async () => {
    const read = await readSource(`${base}/news-jsonld.html`, {}, limits);
    const paragraphs = read.body.split("\n\n");
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toBe(
      "Every week since the summer, freighters have left Odesa loaded with wheat, sunflower oil and barley, and every week they have sailed past mines, drones and missiles without a single escort. The corridor works because insurers and captains have decided that the risk is worth the price, not because anyone has made it safe.",
    );
    expect(paragraphs[3]).toBe(
      "Critics warn that escorts would drag the alliance into the war. But escorts that clear mines and shadow merchant ships are no more provocative than the air policing missions that have flown over the Baltic for two decades. Deterrence at sea, as on land, depends on being there.",
    );
    expect(read.body).not.toMatch(/cookies|Share on|Related articles|Subscribe|All rights reserved|By Mira/);
  });

  it("take title, author, outlet and date from JSON-LD", async () => {
    const { meta, metadata, warnings } = await readSource(`${base}/news-jsonld.html`, {}, limits);
    expect(meta).toMatchObject({ title: "The grain corridor needs a navy", authors: ["Mira Kovalenko"], outlet: "Harbour Review", published: "2024-03-14" });
    expect(metadata?.sources).toEqual({ title: "JSON-LD", authors: "JSON-LD", outlet: "JSON-LD", published: "JSON-LD" });
    expect(warnings).toEqual([]);
  });

  it("read several authors from a JSON-LD @graph, over a site-wide meta author", async () => {
    const { meta, body } = await readSource(`${base}/two-authors-graph.html`, {}, limits);
    expect(meta).toMatchObject({ title: "Sanctions are a marathon", authors: ["Tomas Lind", "Ana Petrov"], outlet: "The Ledger", published: "2023-11-02" });
    expect(body.split("\n\n")).toHaveLength(3);
    expect(body).not.toMatch(/newsletter|By Tomas Lind/);
  });

  it("do not take a reposter's byline for the author when the closing bio names another", async () => {
    const { meta, warnings, body } = await readSource(`${base}/reposted.html`, {}, limits);
    expect(meta.authors).toEqual(["Hanna Rudenko"]);
    expect(meta.bios).toEqual(["Hanna Rudenko is a senior fellow at the Institute for Security Studies in Vilnius."]);
    expect(warnings[0]).toMatch(/names Vern Evans as author, but the closing bios name Hanna Rudenko/);
    // Open Graph and meta tags fill in what JSON-LD lacks; the site's name leaves the title.
    expect(meta).toMatchObject({ title: "A ceasefire without guarantees is a pause", outlet: "World News Hub", published: "2025-02-20" });
    expect(body).not.toMatch(/Vern Evans|Read the full article|Related Posts|Leave a Comment/);
  });

  it("let the options given override the page, and read a saved .html file the same way", async () => {
    const { meta } = await readSource(path.join(PAGES, "news-jsonld.html"), { authors: ["Someone Else"], title: "My title" });
    expect(meta).toMatchObject({ title: "My title", authors: ["Someone Else"], outlet: "Harbour Review" });
  });

  it("are written as corpus files that pass the corpus check", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "agora-html-"));
    try {
      const written = await ingestSource(`${base}/two-authors-graph.html`, dir, {}, limits);
      const { articles, problems } = await loadCorpus(dir);
      expect(problems).toEqual([]);
      expect(articles.map((a) => [a.id, a.authors, a.body])).toEqual([[written.meta.id, ["Tomas Lind", "Ana Petrov"], written.body]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("say why a page could not be added", async () => {
    await expect(readSource("http://10.0.0.1/op-ed", {}, limits)).rejects.toThrow(IngestError);
    await expect(readSource("http://10.0.0.1/op-ed", {}, limits)).rejects.toThrow(/cannot add http:\/\/10\.0\.0\.1\/op-ed: 10\.0\.0\.1 is a private or local address/);
    await expect(readSource(`${base}/nothing.html`, {}, limits)).rejects.toThrow(/answered 404/);
  });

  it("leave out a date that is no real day, rather than failing the whole ingest", () => {
    const page = (date: string) =>
      `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H","datePublished":"${date}"}</script></head><body><article><p>Some words.</p></article></body></html>`;
    expect(extractArticle(page("2024-13-45T08:00:00Z")).metadata.published).toBeNull();
    expect(extractArticle(page("2024-02-29T08:00:00Z")).metadata.published).toBe("2024-02-29");
  });
});

describe("text that is not a page", () => {
  it("is read as a page's body, not refused by the DOM (plain text saved as .html, an empty file)", () => {
    expect(extractArticle("").paragraphs).toEqual([]);
    const long = "A ceasefire needs monitors on the line from its first day, or every violation becomes a dispute about facts. ".repeat(4).trim();
    expect(() => extractArticle(long)).not.toThrow();
    // Ingest reads a ".html" file without a single tag as the plain text it is.
    expect(ingestDocument(long, "html", { sourceName: "notes.html" }, { title: "Monitors" }).body).toBe(long);
  });
});
