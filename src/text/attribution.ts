// How a passage's authors and date read in any output: the CLI, Discord, the digest.
import { dateOf, type PublicationDate } from "../corpus/dates.js";

/** "A", "A and B", "A, B and C"; "" for none. */
export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** "A and B", "A, B and C", or "author unknown". */
export function byline(authors: readonly string[]): string {
  return authors.length === 0 ? "author unknown" : joinWithAnd(authors);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Year, month (1-12) and day of a YYYY-MM-DD string. */
const parts = (day: string): [string, string, number] => [day.slice(0, 4), MONTHS[Number(day.slice(5, 7)) - 1] ?? "", Number(day.slice(8, 10))];

/** A range of days as people write it: "19–25 May 2025", "30 Apr – 6 May 2025", "28 Dec 2024 – 3 Jan 2025". */
function dayRange(start: string, end: string): string {
  const [y1, m1, d1] = parts(start);
  const [y2, m2, d2] = parts(end);
  if (start === end) return `${d1} ${m1} ${y1}`;
  if (y1 === y2 && m1 === m2) return `${d1}–${d2} ${m1} ${y1}`;
  if (y1 === y2) return `${d1} ${m1} – ${d2} ${m2} ${y1}`;
  return `${d1} ${m1} ${y1} – ${d2} ${m2} ${y2}`;
}

/** A range of months: "Dec 2024", "Mar – Dec 2025", "Nov 2024 – Jan 2025". */
function monthRange(start: string, end: string): string {
  const [y1, m1] = parts(start);
  const [y2, m2] = parts(end);
  if (y1 === y2 && m1 === m2) return `${m1} ${y1}`;
  if (y1 === y2) return `${m1} – ${m2} ${y1}`;
  return `${m1} ${y1} – ${m2} ${y2}`;
}

/** Ranges up to this many days read as days; longer ones as months (or years), which is what a reader needs of them. */
const DAYS_SHOWN_UP_TO = 31;

const spanDays = (start: string, end: string): number => (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;

/** A date at its precision, without the "≈": "2 May 2025", "May 2025", "2025", "Nov 2024 – Jan 2025". */
function dateLabel(date: PublicationDate): string {
  const { start, end } = date;
  switch (date.precision) {
    case "day":
      return date.inferred ? dayRange(start, end) : start;
    case "month":
      return monthRange(start, end);
    case "year":
      return start.slice(0, 4);
    case "range":
      if (start.slice(5) === "01-01" && end.slice(5) === "12-31") return start.slice(0, 4) === end.slice(0, 4) ? start.slice(0, 4) : `${start.slice(0, 4)} – ${end.slice(0, 4)}`;
      return spanDays(start, end) <= DAYS_SHOWN_UP_TO && !(start.slice(8) === "01" && end === lastOfMonth(end))
        ? dayRange(start, end)
        : monthRange(start, end);
  }
}

const lastOfMonth = (day: string): string => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * The publication date as every output shows it: a printed day as written ("2022-04-01"), a
 * printed month or year in words ("May 2025"), an inferred date marked as such ("≈ May 2025,
 * from the text", "≈ Nov 2024 – Jan 2025, from the text"), or "date unknown".
 */
export function dateText(item: { published: string | null; date?: PublicationDate | null | undefined }): string {
  const date = dateOf(item);
  if (date === null) return "date unknown";
  const label = dateLabel(date);
  return date.inferred ? `≈ ${label}, from the text` : label;
}

/** The year for a short label: "2022", an inferred one "≈2025", a range across years "≈2024–2025"; "" when unknown. */
export function dateYear(item: { published: string | null; date?: PublicationDate | null | undefined }): string {
  const date = dateOf(item);
  if (date === null) return "";
  const years = date.start.slice(0, 4) === date.end.slice(0, 4) ? date.start.slice(0, 4) : `${date.start.slice(0, 4)}–${date.end.slice(0, 4)}`;
  return date.inferred ? `≈${years}` : years;
}
