/**
 * The masked links Discord would render in `text`: an unescaped "[" and, later, an unescaped
 * "](". A backslash escapes the one character after it, so "\\[" (an escaped backslash) still
 * opens a link; a `code span` shows what is in it as typed, so it is skipped. Used to check
 * that no corpus or user text reaches a message as a live link.
 */
export function liveMaskedLinks(text: string): string[] {
  const found: string[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "\\") {
      i += 1;
      continue;
    }
    if (c === "`") {
      const run = /^`+/.exec(text.slice(i))?.[0] ?? "`";
      const close = text.indexOf(run, i + run.length);
      i = close >= 0 ? close + run.length - 1 : i + run.length - 1;
      continue;
    }
    if (c === "[") {
      if (open < 0) open = i;
    } else if (c === "]" && text[i + 1] === "(" && open >= 0) {
      const close = text.indexOf(")", i);
      found.push(text.slice(open, close < 0 ? undefined : close + 1));
      open = -1;
    }
  }
  return found;
}

/** The parts of an embed where Discord renders Markdown (footer and author name are plain text). */
export function markdownParts(embed: { title?: string; description?: string; fields?: { name: string; value: string }[] }): string[] {
  return [embed.title ?? "", embed.description ?? "", ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])];
}
