import markdownIt, { type MarkdownIt, type StateInline } from "markdown-it";

// Discord's Markdown as HTML, for the playground page. markdown-it parses the inline syntax (emphasis,
// code, strikethrough, links, backslash escapes) with raw HTML off, so any `<…>` the text contains
// is shown as typed; the block syntax is Discord's own, line by line (a `>` quotes one line, not a
// paragraph as in CommonMark). Every character of the text reaches the page escaped.

/** Names of the server's members, channels and roles, for mentions. */
export interface MentionNames {
  user(id: string): string | null;
  channel(id: string): string | null;
  role(id: string): string | null;
}

const TAG = /^<(?:(@!?|@&|#)(\d{15,21})|t:(-?\d{1,13})(?::([tTdDfFR]))?)>/;

function discordTag(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  const match = TAG.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) {
    const token = state.push("discord_tag", "", 0);
    token.meta = { kind: match[1] ?? "t", id: match[2] ?? "", unix: match[3] ?? "", style: match[4] ?? "f" };
    token.content = match[0];
  }
  state.pos += match[0].length;
  return true;
}

function createParser(): MarkdownIt {
  const md = markdownIt("default", { html: false, linkify: true, breaks: true, typographer: false });
  // Discord shows character references and images as typed, and has no tables.
  md.disable(["entity", "image", "table"]);
  md.validateLink = (url) => /^https?:\/\//i.test(url.trim());
  md.inline.ruler.before("autolink", "discord_tag", discordTag);
  const escape = md.utils.escapeHtml;
  md.renderer.rules["discord_tag"] = (tokens, idx, _options, env) => {
    const names = (env as { names: MentionNames }).names;
    const meta = (tokens[idx]?.meta ?? {}) as { kind: string; id: string; unix: string; style: string };
    if (meta.kind === "t") {
      const iso = new Date(Number(meta.unix) * 1000).toISOString();
      return `<time class="timestamp" data-unix="${escape(meta.unix)}" data-style="${escape(meta.style)}" datetime="${iso}">${escape(iso)}</time>`;
    }
    const [prefix, name, fallback] =
      meta.kind === "#" ? ["#", names.channel(meta.id), "unknown"] : meta.kind === "@&" ? ["@", names.role(meta.id), "unknown-role"] : ["@", names.user(meta.id), "unknown-user"];
    return `<span class="mention">${escape(prefix + (name ?? fallback))}</span>`;
  };
  md.renderer.rules["link_open"] = (tokens, idx, options, _env, self) => {
    tokens[idx]?.attrSet("target", "_blank");
    tokens[idx]?.attrSet("rel", "noopener noreferrer nofollow");
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

const md = createParser();

type Block = { kind: "text" | "quote" | "heading" | "subtext" | "bullet" | "numbered"; level?: number; lines: string[] } | { kind: "code"; lang: string; lines: string[] };

/** Splits Discord Markdown into its line-based blocks. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split("\n");
  const add = (kind: Exclude<Block["kind"], "code">, line: string, level?: number) => {
    const last = out.at(-1);
    if (last && last.kind === kind && kind !== "heading" && kind !== "subtext") last.lines.push(line);
    else out.push({ kind, lines: [line], ...(level !== undefined ? { level } : {}) });
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    const fence = /^```(\w*)\s*$/.exec(line);
    const close = fence ? lines.findIndex((l, j) => j > i && l.trimEnd().endsWith("```")) : -1;
    if (fence && close > i) {
      const body = lines.slice(i + 1, close + 1);
      body[body.length - 1] = (body.at(-1) ?? "").replace(/```\s*$/, "");
      if (body.at(-1) === "") body.pop();
      out.push({ kind: "code", lang: fence[1] ?? "", lines: body });
      i = close;
      continue;
    }
    if (line.startsWith(">>> ")) {
      add("quote", line.slice(4));
      for (const rest of lines.slice(i + 1)) add("quote", rest);
      break;
    }
    let m: RegExpExecArray | null;
    if ((m = /^> (.*)$/.exec(line)) || line === ">") add("quote", m?.[1] ?? "");
    else if ((m = /^(#{1,3}) (.+)$/.exec(line))) add("heading", m[2] ?? "", m[1]?.length);
    else if ((m = /^-# (.+)$/.exec(line))) add("subtext", m[1] ?? "");
    else if ((m = /^\s*[-*] (.+)$/.exec(line))) add("bullet", m[1] ?? "");
    else if ((m = /^\s*\d{1,9}\. (.+)$/.exec(line))) add("numbered", m[1] ?? "");
    else add("text", line);
  }
  return out;
}

/** markdown-it writes "<br>\n"; the page keeps white space as typed (as Discord does), which would break twice. */
const lineBreaks = (html: string) => html.replace(/<br>\n/g, "<br>");

/** A whole message or embed text (content, description, field value) as HTML. */
export function renderMarkdown(text: string, names: MentionNames): string {
  if (text === "") return "";
  const env = { names };
  const inline = (s: string) => lineBreaks(md.renderInline(s, env));
  return blocks(text)
    .map((block) => {
      switch (block.kind) {
        case "code":
          return `<pre><code>${md.utils.escapeHtml(block.lines.join("\n"))}</code></pre>`;
        case "quote":
          return `<blockquote>${inline(block.lines.join("\n"))}</blockquote>`;
        case "heading":
          return `<h${(block.level ?? 1) + 2}>${inline(block.lines.join(" "))}</h${(block.level ?? 1) + 2}>`;
        case "subtext":
          return `<small class="subtext">${inline(block.lines.join(" "))}</small>`;
        case "bullet":
        case "numbered": {
          const tag = block.kind === "bullet" ? "ul" : "ol";
          return `<${tag}>${block.lines.map((l) => `<li>${inline(l)}</li>`).join("")}</${tag}>`;
        }
        default:
          return `<div class="line">${inline(block.lines.join("\n"))}</div>`;
      }
    })
    .join("");
}

/** A title or field name: inline Markdown only, as Discord renders them. */
export function renderInlineMarkdown(text: string, names: MentionNames): string {
  return md.renderInline(text.replace(/\n/g, " "), { names });
}

/** Plain text (embed author, footer, button labels), escaped. */
export function escapeHtml(text: string): string {
  return md.utils.escapeHtml(text);
}
