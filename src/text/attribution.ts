// How a passage's authors and date read in any output: the CLI, Discord, the digest.

/** "A", "A and B", "A, B and C"; "" for none. */
export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** "A and B", "A, B and C", or "author unknown". */
export function byline(authors: readonly string[]): string {
  return authors.length === 0 ? "author unknown" : joinWithAnd(authors);
}

/** The publication date as written in the front matter, or "date unknown". */
export function dateText(published: string | null): string {
  return published ?? "date unknown";
}
