// How a passage's authors and date read in any output: the CLI, Discord, the digest.

/** "A and B", "A, B and C", or "author unknown". */
export function byline(authors: readonly string[]): string {
  if (authors.length === 0) return "author unknown";
  if (authors.length === 1) return authors[0] ?? "";
  return `${authors.slice(0, -1).join(", ")} and ${authors.at(-1) ?? ""}`;
}

/** The publication date as written in the front matter, or "date unknown". */
export function dateText(published: string | null): string {
  return published ?? "date unknown";
}
