import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { isIsoDate, stripSiteSuffix } from "./rawtext.js";

/** What a web page says about its article, as found; every field may be missing. */
export interface PageMetadata {
  title: string | null;
  authors: string[];
  outlet: string | null;
  /** The publication date as the page gives it (ISO date, YYYY-MM-DD), or null. */
  published: string | null;
  /** Where each field came from ("JSON-LD", "Open Graph", "meta", "readability"), for the preview. */
  sources: Partial<Record<"title" | "authors" | "outlet" | "published", string>>;
}

/** An article extracted from HTML: its paragraphs as plain text, and its metadata. */
export interface ExtractedArticle {
  metadata: PageMetadata;
  /** The article's paragraphs, plain text, in order. */
  paragraphs: string[];
}

/** The little of the DOM this module reads (the project compiles without the DOM library). */
interface HtmlElement {
  readonly textContent: string | null;
  readonly parentElement: HtmlElement | null;
  closest(selector: string): HtmlElement | null;
  getAttribute(name: string): string | null;
}
interface HtmlDocument {
  documentElement: HtmlElement | null;
  querySelector(selector: string): HtmlElement | null;
  querySelectorAll(selector: string): Iterable<HtmlElement>;
}

/**
 * A linkedom document of the HTML. Text that does not start with an element ("", plain text saved
 * as .html) gives linkedom no document element, which Readability refuses: it is read as a body.
 */
function parse(html: string): HtmlDocument {
  const read = (text: string) => (parseHTML(text) as unknown as { document: HtmlDocument }).document;
  const document = read(html);
  return document.documentElement ? document : read(`<!doctype html><html><body>${html}</body></html>`);
}

/** The block elements whose text makes a paragraph of the article. */
const PARAGRAPH_BLOCKS = "p, li, blockquote, h2, h3, h4, pre";

/**
 * Extracts the article of a news page: Mozilla's Readability (the Firefox reader view) picks the
 * article's content out of navigation, cookie banners, related links and share buttons, on a
 * linkedom DOM; the metadata comes from JSON-LD first (a news article's own account of its
 * authors, publisher and date), then Open Graph, then `<meta>` tags. Nothing of the HTML is
 * kept: paragraphs are the text of the content's block elements, so no markup can reach a message.
 */
export function extractArticle(html: string): ExtractedArticle {
  const metadata = pageMetadata(parse(html));
  // Readability changes the document it reads; it gets its own copy.
  const article = new Readability(parse(html), { charThreshold: 100 }).parse();
  const paragraphs: string[] = [];
  if (article?.content) {
    const content = parse(`<!doctype html><html><body>${article.content}</body></html>`);
    for (const block of content.querySelectorAll(PARAGRAPH_BLOCKS)) {
      // A block inside another block (a p in a blockquote) is read with its parent.
      if (block.parentElement?.closest(PARAGRAPH_BLOCKS)) continue;
      const text = (block.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text !== "") paragraphs.push(text);
    }
  }
  if (!metadata.title && article?.title) {
    metadata.title = article.title.trim();
    metadata.sources.title = "readability";
  }
  // A <title> often ends with the site's name: "Headline | Site". The outlet is its own field.
  if (metadata.outlet && metadata.title) metadata.title = stripSiteSuffix(metadata.title, [metadata.outlet]).title;
  if (metadata.authors.length === 0 && article?.byline) {
    const names = splitNames(article.byline.replace(/^\s*by\s+/i, ""));
    if (names.length > 0) {
      metadata.authors = names;
      metadata.sources.authors = "byline";
    }
  }
  return { metadata, paragraphs };
}

/** JSON-LD, then Open Graph, then plain meta tags. */
function pageMetadata(document: HtmlDocument): PageMetadata {
  const found: PageMetadata = { title: null, authors: [], outlet: null, published: null, sources: {} };
  const set = <K extends "title" | "outlet" | "published">(field: K, value: string | null | undefined, source: string) => {
    const clean = value?.replace(/\s+/g, " ").trim();
    if (found[field] === null && clean) {
      found[field] = clean;
      found.sources[field] = source;
    }
  };
  for (const item of jsonLdArticles(document)) {
    set("title", text(item["headline"]) ?? text(item["name"]), "JSON-LD");
    if (found.authors.length === 0) {
      const names = asArray(item["author"]).flatMap((author) => (typeof author === "string" ? splitNames(author) : (text(asRecord(author)?.["name"]) ?? [])));
      if (names.length > 0) {
        found.authors = names;
        found.sources.authors = "JSON-LD";
      }
    }
    set("outlet", text(asRecord(item["publisher"])?.["name"]), "JSON-LD");
    set("published", isoDate(text(item["datePublished"])), "JSON-LD");
  }
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute("content");
  set("title", meta('meta[property="og:title"]'), "Open Graph");
  set("outlet", meta('meta[property="og:site_name"]'), "Open Graph");
  set("published", isoDate(meta('meta[property="article:published_time"]')), "Open Graph");
  set("title", meta('meta[name="citation_title"]') ?? meta('meta[name="twitter:title"]'), "meta");
  set("published", isoDate(meta('meta[name="citation_publication_date"]') ?? meta('meta[name="date"]') ?? meta('meta[name="pubdate"]')), "meta");
  if (found.authors.length === 0) {
    const names = [...document.querySelectorAll('meta[name="author"], meta[name="citation_author"], meta[property="article:author"]')]
      .flatMap((element) => splitNames(element.getAttribute("content") ?? ""))
      .filter((name) => !/^https?:/i.test(name));
    if (names.length > 0) {
      found.authors = [...new Set(names)];
      found.sources.authors = "meta";
    }
  }
  return found;
}

/** The JSON-LD objects that describe an article (NewsArticle, OpinionNewsArticle, Article…), @graph included. */
function jsonLdArticles(document: HtmlDocument): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(script.textContent ?? "");
    } catch {
      continue; // a broken block says nothing; the other sources may
    }
    const queue = asArray(parsed);
    while (queue.length > 0) {
      const item = asRecord(queue.shift());
      if (!item) continue;
      queue.push(...asArray(item["@graph"]));
      const types = asArray(item["@type"]).map(String);
      if (types.some((type) => /Article|BlogPosting|Report/.test(type))) items.push(item);
    }
  }
  return items;
}

/** "A, B and C" or "A & B" as names. */
function splitNames(byline: string): string[] {
  return byline
    .split(/\s*(?:,|;|&|\band\b)\s*/i)
    .map((name) => name.replace(/\s+/g, " ").trim())
    .filter((name) => name !== "" && name.length <= 80);
}

/** The day of an ISO date or date-time, when it is a real day (ingest refuses any other). */
function isoDate(value: string | null | undefined): string | null {
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value?.trim() ?? "")?.[1];
  return day !== undefined && isIsoDate(day) ? day : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? [...(value as unknown[])] : value === undefined || value === null ? [] : [value];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

