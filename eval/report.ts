import type { RankSummary } from "./metrics.js";
import type { SystemFigures } from "./own-set.js";

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => /^[\d.,]+(?: ?\w+)?$/.test(row[i] ?? "")));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export const fixed3 = (value: number): string => value.toFixed(3);

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Rows of the own-set table: one per system and query kind. */
export function ownSetRows(systems: Readonly<Record<string, SystemFigures>>): string[][] {
  const rows: string[][] = [];
  for (const [name, figures] of Object.entries(systems)) {
    for (const kind of ["all", "direct", "paraphrase"] as const) {
      const summary: RankSummary = figures[kind];
      rows.push([name, kind, String(summary.n), fixed3(summary.hit1), fixed3(summary.hit3), fixed3(summary.mrr)]);
    }
  }
  return rows;
}

/** One line of text, at most `max` characters. */
export function clip(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
