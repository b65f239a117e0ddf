import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import type { Article, CorpusProblem } from "../corpus/load.js";
import { codeVersion, type IndexSnapshot, type SnapshotStore } from "./paragraph-index.js";

/** Snapshots kept besides the newest: the folder never grows with corpus changes. */
const KEEP = 2;

/**
 * Index snapshots as files in a folder, one per corpus hash: a magic word, a CRC-32 of the rest, a
 * JSON header (the terms and the lengths of the arrays), then the postings as raw Int32 arrays. A
 * file that is unreadable, truncated, damaged or of another format is no snapshot: the index is
 * built and the file replaced.
 */
export function snapshotFolder(dir: string): SnapshotStore {
  const files = new SnapshotFiles(dir, ".index", INDEX_MAGIC);
  return {
    read: (key) => files.read(key, decodeIndex),
    write: (key, snapshot) => files.write(key, encodeIndex(snapshot)),
  };
}

/** A corpus folder as loaded and segmented: what a restart on the unchanged folder starts from. */
export interface CorpusSnapshot {
  articles: Article[];
  problems: CorpusProblem[];
  /** Per article, its paragraphs' [start, end) offsets into its body, in order. */
  paragraphs: Int32Array[];
  /** The key of the paragraphs' index snapshot (paragraph-index.ts's snapshotKey). */
  indexKey: string;
}

export interface CorpusSnapshotStore {
  read(key: string): CorpusSnapshot | undefined;
  write(key: string, snapshot: CorpusSnapshot): void;
}

/**
 * Corpus snapshots as files in a folder (`<listing key>.corpus`): the parsed articles, the files
 * that failed and each body's paragraphs, so a restart on an unchanged folder reads one file
 * instead of every article. Same frame as the index snapshots (magic word, CRC-32, JSON header),
 * then every body, one after another, as UTF-8, then the paragraph offsets as raw Int32s.
 */
export function corpusSnapshotFolder(dir: string): CorpusSnapshotStore {
  const files = new SnapshotFiles(dir, ".corpus", CORPUS_MAGIC);
  return {
    read: (key) => files.read(key, (bytes) => decodeCorpus(bytes, key)),
    write: (key, snapshot) => {
      const encoded = encodeCorpus(snapshot, key);
      if (encoded) files.write(key, encoded);
    },
  };
}

/** What a corpus folder's listing says of it: a key that changes whenever a corpus file may have. */
export interface CorpusListing {
  key: string;
  /**
   * A file changed so recently that a change within the file system's timestamp granularity
   * would go unseen (as "racily clean" files in git): its snapshot is not written this time.
   */
  racy: boolean;
}

/** Changes whenever what a corpus snapshot holds may (the code that fills it is in codeVersion). */
const CORPUS_FORMAT = "agora-corpus-1";
/** How recent a change makes a listing racy; far above any timestamp granularity. */
const RACY_MS = 2000;

/**
 * The key of a corpus folder as loadCorpus reads it: each `*.md` entry's name, size, inode,
 * modification and change times (nanoseconds), so an edit, an added, removed or renamed file, a
 * file replaced by another or a restored older copy all change it, without reading a file.
 * Undefined when an entry cannot be looked at (a dangling symlink): that folder is loaded in full.
 */
export function listCorpusFolder(corpusDir: string, isCorpusFile: (name: string) => boolean): CorpusListing | undefined {
  const now = Date.now();
  let names: string[];
  try {
    names = readdirSync(corpusDir).filter(isCorpusFile);
  } catch {
    return undefined;
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256").update(CORPUS_FORMAT).update(codeVersion());
  let racy = false;
  for (const name of names) {
    let stats: BigIntStats;
    try {
      stats = statSync(path.join(corpusDir, name), { bigint: true });
    } catch {
      return undefined;
    }
    hash.update(`${name}\0${stats.mode}\0${stats.size}\0${stats.dev}:${stats.ino}\0${stats.mtimeNs}\0${stats.ctimeNs}\n`);
    if (Number(stats.mtimeMs) > now - RACY_MS || Number(stats.ctimeMs) > now - RACY_MS) racy = true;
  }
  return { key: hash.digest("hex").slice(0, 32), racy };
}

/** "AGORA" + kind + format version: a file of another kind or version is refused on sight. */
const INDEX_MAGIC = Buffer.from("AGORAIX3", "latin1");
const CORPUS_MAGIC = Buffer.from("AGORACS1", "latin1");
/** Magic word, CRC-32 of everything after it, header length. */
const FRAME = 16;

class SnapshotFiles {
  constructor(
    readonly dir: string,
    readonly extension: string,
    readonly magic: Buffer,
  ) {}

  file(key: string): string {
    return path.join(this.dir, `${key}${this.extension}`);
  }

  read<T>(key: string, decode: (payload: { head: Buffer; rest: Buffer }) => T): T | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file(key));
    } catch {
      return undefined;
    }
    try {
      if (bytes.length < FRAME || !bytes.subarray(0, 8).equals(this.magic)) return undefined;
      if (crc32(bytes.subarray(12)) !== bytes.readUInt32LE(8)) return undefined;
      const headLength = bytes.readUInt32LE(12);
      if (FRAME + headLength > bytes.length) return undefined;
      return decode({ head: bytes.subarray(FRAME, FRAME + headLength), rest: bytes.subarray(FRAME + headLength) });
    } catch {
      return undefined;
    }
  }

  /** `parts`: the JSON header, then the body, whose arrays start on a 4-byte boundary of the file. */
  write(key: string, parts: { head: Buffer; body: Buffer[] }): void {
    mkdirSync(this.dir, { recursive: true });
    const length = Buffer.alloc(4);
    length.writeUInt32LE(parts.head.length);
    const rest = Buffer.concat([length, parts.head, ...parts.body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(rest));
    // Written aside, then renamed: a crash mid-write never leaves a half snapshot under the key.
    const temporary = `${this.file(key)}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([this.magic, crc, rest]));
    renameSync(temporary, this.file(key));
    const older = readdirSync(this.dir).filter((name) => name.endsWith(this.extension) && name !== `${key}${this.extension}`);
    older.sort((a, b) => mtime(this.dir, b) - mtime(this.dir, a));
    for (const name of older.slice(KEEP - 1)) rmSync(path.join(this.dir, name), { force: true });
  }
}

/** Zero bytes that bring `length` (counted from the file's start) to a multiple of 4. */
function padTo4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function int32Bytes(values: Int32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Reads Int32 arrays one after another from `bytes`, copied out (a file's buffer need not be aligned). */
function int32Reader(bytes: Buffer, at: number): { take: (count: number) => Int32Array; end: () => number } {
  return {
    take(count) {
      if (!Number.isInteger(count) || count < 0 || at + count * 4 > bytes.length) throw new Error("truncated snapshot");
      const values = new Int32Array(count);
      Buffer.from(values.buffer).set(bytes.subarray(at, at + count * 4));
      at += count * 4;
      return values;
    },
    end: () => at,
  };
}

interface IndexHeader {
  terms: string[];
  /** Bytes of minisearch's own serialisation (toJSON), which loadJSON reads back. */
  json: number;
  arrays: { starts: number; ids: number; counts: number; lengths: number };
}

function encodeIndex(snapshot: IndexSnapshot): { head: Buffer; body: Buffer[] } {
  const { starts, ids, counts, lengths } = snapshot;
  const json = Buffer.from(snapshot.json, "utf8");
  const header: IndexHeader = { terms: snapshot.terms, json: json.length, arrays: { starts: starts.length, ids: ids.length, counts: counts.length, lengths: lengths.length } };
  const head = Buffer.from(JSON.stringify(header), "utf8");
  return { head, body: [json, padTo4(FRAME + head.length + json.length), ...[starts, ids, counts, lengths].map(int32Bytes)] };
}

function decodeIndex({ head, rest }: { head: Buffer; rest: Buffer }): IndexSnapshot {
  const header = JSON.parse(head.toString("utf8")) as IndexHeader;
  if (!Number.isInteger(header.json) || header.json < 0 || header.json > rest.length) throw new Error("malformed snapshot");
  const json = rest.subarray(0, header.json).toString("utf8");
  const reader = int32Reader(rest, header.json + padTo4(FRAME + head.length + header.json).length);
  const starts = reader.take(header.arrays.starts);
  const ids = reader.take(header.arrays.ids);
  const counts = reader.take(header.arrays.counts);
  const lengths = reader.take(header.arrays.lengths);
  if (reader.end() !== rest.length || !Array.isArray(header.terms) || starts.length !== header.terms.length + 1) throw new Error("malformed snapshot");
  if (ids.length !== counts.length || (starts[header.terms.length] ?? -1) !== ids.length) throw new Error("malformed snapshot");
  for (const id of ids) if (id < 0 || id >= lengths.length) throw new Error("malformed snapshot");
  return { json, terms: header.terms, starts, ids, counts, lengths };
}

interface CorpusHeader {
  key: string;
  indexKey: string;
  /** The articles without their bodies. */
  articles: Omit<Article, "body">[];
  /** Each body's length in UTF-16 code units, and all of them in UTF-8 bytes. */
  bodyLengths: number[];
  bodyBytes: number;
  paragraphCounts: number[];
  problems: CorpusProblem[];
}

/** Undefined when a body would not come back the same from UTF-8 (a lone surrogate): no snapshot then. */
function encodeCorpus(snapshot: CorpusSnapshot, key: string): { head: Buffer; body: Buffer[] } | undefined {
  const bodies = snapshot.articles.map((article) => article.body).join("");
  const bodyBytes = Buffer.from(bodies, "utf8");
  if (bodyBytes.toString("utf8") !== bodies) return undefined;
  const header: CorpusHeader = {
    key,
    indexKey: snapshot.indexKey,
    articles: snapshot.articles.map(({ body: _body, ...rest }) => rest),
    bodyLengths: snapshot.articles.map((article) => article.body.length),
    bodyBytes: bodyBytes.length,
    paragraphCounts: snapshot.paragraphs.map((spans) => spans.length / 2),
    problems: snapshot.problems,
  };
  const head = Buffer.from(JSON.stringify(header), "utf8");
  return { head, body: [bodyBytes, padTo4(FRAME + head.length + bodyBytes.length), ...snapshot.paragraphs.map(int32Bytes)] };
}

function decodeCorpus({ head, rest }: { head: Buffer; rest: Buffer }, key: string): CorpusSnapshot | undefined {
  const header = JSON.parse(head.toString("utf8")) as CorpusHeader;
  // Another folder's snapshot under this name (copied, renamed) is not this one.
  if (header.key !== key) return undefined;
  const { articles: metas, bodyLengths, paragraphCounts } = header;
  if (metas.length !== bodyLengths.length || metas.length !== paragraphCounts.length || header.bodyBytes > rest.length) throw new Error("malformed snapshot");
  const bodies = rest.toString("utf8", 0, header.bodyBytes);
  const reader = int32Reader(rest, header.bodyBytes + padTo4(FRAME + head.length + header.bodyBytes).length);
  let at = 0;
  const articles: Article[] = [];
  const paragraphs: Int32Array[] = [];
  metas.forEach((meta, i) => {
    const length = bodyLengths[i] ?? -1;
    const spans = reader.take(2 * (paragraphCounts[i] ?? -1));
    if (length < 0 || at + length > bodies.length) throw new Error("malformed snapshot");
    // Every paragraph inside its body, in order: offsets a damaged file got wrong are refused here.
    let previous = 0;
    for (let s = 0; s < spans.length; s += 2) {
      const start = spans[s] ?? -1;
      const end = spans[s + 1] ?? -1;
      if (start < previous || end <= start || end > length) throw new Error("malformed snapshot");
      previous = end;
    }
    articles.push({ ...meta, body: bodies.slice(at, at + length) });
    paragraphs.push(spans);
    at += length;
  });
  if (at !== bodies.length || reader.end() !== rest.length) throw new Error("malformed snapshot");
  return { articles, problems: header.problems, paragraphs, indexKey: header.indexKey };
}

function mtime(dir: string, name: string): number {
  try {
    return statSync(path.join(dir, name)).mtimeMs;
  } catch {
    return 0;
  }
}
