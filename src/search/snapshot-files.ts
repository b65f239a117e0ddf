import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { IndexSnapshot, SnapshotStore } from "./paragraph-index.js";

/** Snapshots kept besides the newest: the folder never grows with corpus changes. */
const KEEP = 2;

/**
 * Index snapshots as files in a folder, one per corpus hash: a JSON header (the terms and the
 * byte lengths of the parts), then minisearch's serialisation, then the postings as raw Int32
 * arrays. An unreadable or truncated file is no snapshot: the index is built and the file replaced.
 */
export function snapshotFolder(dir: string): SnapshotStore {
  const file = (key: string) => path.join(dir, `${key}.index`);
  return {
    read(key) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file(key));
      } catch {
        return undefined;
      }
      try {
        return decode(bytes);
      } catch {
        return undefined;
      }
    },
    write(key, snapshot) {
      mkdirSync(dir, { recursive: true });
      // Written aside, then renamed: a crash mid-write never leaves a half snapshot under the key.
      const temporary = `${file(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, encode(snapshot));
      renameSync(temporary, file(key));
      const older = readdirSync(dir).filter((name) => name.endsWith(".index") && name !== `${key}.index`);
      older.sort((a, b) => mtime(dir, b) - mtime(dir, a));
      for (const name of older.slice(KEEP - 1)) rmSync(path.join(dir, name), { force: true });
    },
  };
}

interface Header {
  terms: string[];
  json: number;
  arrays: { starts: number; ids: number; counts: number; lengths: number };
}

function encode(snapshot: IndexSnapshot): Buffer {
  const json = Buffer.from(snapshot.json, "utf8");
  const arrays = { starts: snapshot.starts, ids: snapshot.ids, counts: snapshot.counts, lengths: snapshot.lengths };
  const header: Header = { terms: snapshot.terms, json: json.length, arrays: { starts: arrays.starts.length, ids: arrays.ids.length, counts: arrays.counts.length, lengths: arrays.lengths.length } };
  const head = Buffer.from(JSON.stringify(header), "utf8");
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length);
  // Int32 arrays start on a 4-byte boundary, so they can be read in place.
  const pad = Buffer.alloc((4 - ((4 + head.length + json.length) % 4)) % 4);
  return Buffer.concat([size, head, json, pad, ...Object.values(arrays).map((values) => Buffer.from(values.buffer, values.byteOffset, values.byteLength))]);
}

function decode(bytes: Buffer): IndexSnapshot {
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString("utf8")) as Header;
  let at = 4 + headLength;
  const json = bytes.subarray(at, at + header.json).toString("utf8");
  at += header.json;
  at += (4 - (at % 4)) % 4;
  const take = (count: number): Int32Array => {
    if (at + count * 4 > bytes.length) throw new Error("truncated snapshot");
    // Copied out of the file's buffer, whose offset in Node's pool need not be 4-byte aligned.
    const values = new Int32Array(count);
    Buffer.from(values.buffer).set(bytes.subarray(at, at + count * 4));
    at += count * 4;
    return values;
  };
  const starts = take(header.arrays.starts);
  const ids = take(header.arrays.ids);
  const counts = take(header.arrays.counts);
  const lengths = take(header.arrays.lengths);
  if (at !== bytes.length || starts.length !== header.terms.length + 1) throw new Error("malformed snapshot");
  return { json, terms: header.terms, starts, ids, counts, lengths };
}

function mtime(dir: string, name: string): number {
  try {
    return statSync(path.join(dir, name)).mtimeMs;
  } catch {
    return 0;
  }
}
