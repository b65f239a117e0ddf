// Errors of what a user asked for, thrown by the engine and analysis, told apart by the
// interaction boundary and the CLI.

export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(
    readonly kind: "article" | "author",
    readonly input: string,
    readonly suggestions: string[],
  ) {
    super(`unknown ${kind} "${input}"${suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : ""}`);
  }
}

export class QueryError extends Error {
  override name = "QueryError";
}

/** The passage is not an exact slice of its article: never shown, always a bug. */
export class MisquoteError extends Error {
  override name = "MisquoteError";
}
