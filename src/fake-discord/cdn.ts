import { snowflake } from "./payloads.js";
import type { APIAttachment } from "discord.js";

interface StoredFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/**
 * Discord's CDN for attachments a member uploads with a command (an `Attachment` option): the
 * file is served at its `url` on the fake's own port, as cdn.discordapp.com serves it, so the
 * bot downloads it over HTTP like any attachment.
 */
export class FakeCdn {
  private readonly files = new Map<string, StoredFile>();

  /** Stores a file and returns the attachment object an interaction's `resolved.attachments` carries. */
  upload(origin: string, name: string, content: string | Buffer, contentType: string): APIAttachment {
    const id = snowflake();
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    this.files.set(`${id}/${name}`, { name, contentType, data });
    return { id, filename: name, size: data.length, url: `${origin}/attachments/${id}/${encodeURIComponent(name)}`, proxy_url: `${origin}/attachments/${id}/${encodeURIComponent(name)}`, content_type: contentType };
  }

  /** The stored file at a `/attachments/<id>/<name>` path, or undefined. */
  file(path: string): StoredFile | undefined {
    const match = /^\/attachments\/(\d+)\/([^/]+)$/.exec(path);
    return match ? this.files.get(`${match[1] ?? ""}/${decodeURIComponent(match[2] ?? "")}`) : undefined;
  }
}
