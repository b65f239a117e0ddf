import { closest, distance } from "fastest-levenshtein";

// Name suggestions for what a user mistyped: the closest article ids or author names.

/** The last word of a name, lower case: "Alexander Vershbow" → "vershbow". */
export function surname(fullName: string): string {
  return fullName.trim().split(/\s+/).at(-1)?.toLowerCase() ?? "";
}

/** Up to three known names closest to what was typed: substring matches first, then edit distance. */
export function suggest(input: string, candidates: readonly string[]): string[] {
  const wanted = input.trim().toLowerCase();
  if (wanted === "" || candidates.length === 0) return [];
  const containing = candidates.filter((c) => c.toLowerCase().includes(wanted) || wanted.includes(surname(c)));
  const ranked = [...candidates]
    .map((candidate) => ({ candidate, d: Math.min(distance(wanted, candidate.toLowerCase()), distance(wanted, surname(candidate))) }))
    .filter(({ candidate, d }) => d <= Math.max(2, Math.floor(Math.min(wanted.length, candidate.length) / 2)))
    .sort((a, b) => a.d - b.d)
    .map(({ candidate }) => candidate);
  const out = [...new Set([...containing, ...ranked])].slice(0, 3);
  return out.length > 0 ? out : [closest(wanted, [...candidates])];
}
