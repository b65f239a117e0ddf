/**
 * Lines that scraped op-ed pages carry but no author wrote. Ingest drops them; the corpus
 * checker rejects a body that still contains one. Each pattern matches a whole (trimmed) line.
 */
export const BOILERPLATE_LINE_PATTERNS: readonly RegExp[] = [
  /^exit mobile version$/i,
  /^read the full article here\.?$/i,
  /^related posts:?$/i,
  /^leave a comment$/i,
  /^privacy & cookies policy$/i,
  /^this website uses cookies\b/i,
  /\bwe'll assume you're ok with this\b/i,
  /^more from [\w ]+:?$/i,
  /^source: ?source$/i,
  /^this article was generated from an automated news agency feed\b/i,
  /^(?:\* ?){3}$/,
  /^advertisement$/i,
  /^accept read more$/i,
  /^skip to (?:main )?content$/i,
  /^share this (?:article|story):?$/i,
  /^related (?:articles|stories):?$/i,
  /^continue reading\.?$/i,
];

/** The first boilerplate line found in `text`, or undefined. */
export function findBoilerplate(text: string): { line: number; text: string } | undefined {
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line && BOILERPLATE_LINE_PATTERNS.some((pattern) => pattern.test(line))) {
      return { line: index + 1, text: line };
    }
  }
  return undefined;
}
