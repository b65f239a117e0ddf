import { z } from "zod";

// When an article was published, at the precision its text allows. The front matter's `published`
// is one of:
//
//   published: "2025-05-02"                 a day printed in the text (the original form)
//   published: null                         unknown; published_note says why
//   published: { day: "2025-05-02", inferred: true, evidence: "…" }
//   published: { month: "2025-05", inferred: true, evidence: "…" }
//   published: { year: "2025", inferred: false }            (a year printed without a day)
//   published: { from: "2024-12", to: "2025-01-20", inferred: true, evidence: "…" }
//
// `inferred: true` means worked out from clues in the text (events it mentions, "last week"), not
// printed; `evidence` then quotes those clues verbatim and says what they imply. A range's ends
// may each be a day, a month or a year; the range covers from the first day of `from` to the last
// day of `to`.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

/** A real calendar day written YYYY-MM-DD. */
export function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const isBound = (value: string): boolean => isCalendarDay(value) || MONTH.test(value) || YEAR.test(value);

/** First day a day, month or year covers. */
function firstDay(value: string): string {
  if (YEAR.test(value)) return `${value}-01-01`;
  if (MONTH.test(value)) return `${value}-01`;
  return value;
}

/** Last day a day, month or year covers. */
function lastDay(value: string): string {
  if (YEAR.test(value)) return `${value}-12-31`;
  if (MONTH.test(value)) {
    const [year, month] = value.split("-").map(Number) as [number, number];
    // Day 0 of the next month is the last day of this one.
    return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  }
  return value;
}

const dayString = z.string().refine(isCalendarDay, "must be a date as YYYY-MM-DD (a real calendar day)");
const boundString = z.string().refine(isBound, "must be a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)");

const PRECISIONS = ["day", "month", "year"] as const;
const INFERRED_MESSAGE = "must be true (worked out from clues in the text) or false (printed in the text)";

const datedObjectSchema = z
  .object({
    day: dayString.optional(),
    month: z.string().regex(MONTH, "must be a month as YYYY-MM").optional(),
    year: z.string().regex(YEAR, "must be a year as YYYY").optional(),
    from: boundString.optional(),
    to: boundString.optional(),
    // Required (see below); optional here so that leaving it out is reported at `inferred`, not as
    // a published value of no known form.
    inferred: z.boolean({ error: INFERRED_MESSAGE }).optional(),
    evidence: z.string().trim().min(1, "must not be empty").optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const given = PRECISIONS.filter((key) => value[key] !== undefined);
    const range = value.from !== undefined || value.to !== undefined;
    if (range && (value.from === undefined || value.to === undefined)) {
      ctx.addIssue({ code: "custom", path: [value.from === undefined ? "from" : "to"], message: "a range needs both from and to" });
    }
    if (given.length + (range ? 1 : 0) !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `give exactly one of day, month, year, or from + to (got ${[...given, ...(range ? ["from/to"] : [])].join(", ") || "none"})`,
      });
    }
    if (value.from !== undefined && value.to !== undefined && isBound(value.from) && isBound(value.to) && firstDay(value.from) > lastDay(value.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `must not be before from (${value.from})` });
    }
    if (value.inferred === undefined) ctx.addIssue({ code: "custom", path: ["inferred"], message: INFERRED_MESSAGE });
    if (value.inferred === true && value.evidence === undefined) {
      ctx.addIssue({ code: "custom", path: ["evidence"], message: "required when inferred is true: quote the clues in the text and say what they imply" });
    }
  });

/** The front matter's `published` field, as written. */
export const publishedFieldSchema = z.union([z.null(), dayString, datedObjectSchema], {
  error: 'must be a date as "YYYY-MM-DD", null, or an object such as { month: "2025-05", inferred: true, evidence: "…" }',
});

export type PublishedField = z.output<typeof publishedFieldSchema>;

/** A publication date at its precision, normalised for display, ordering and filtering. */
export interface PublicationDate {
  precision: "day" | "month" | "year" | "range";
  /** As written: "2025-05-02", "2025-05", "2025", or a range as an ISO 8601 interval "2024-12/2025-01-20". */
  value: string;
  /** First and last day it can be, inclusive (YYYY-MM-DD). */
  start: string;
  end: string;
  /** Worked out from clues in the text rather than printed in it. */
  inferred: boolean;
  /** The clues, quoted, and what they imply; null when the date is printed. */
  evidence: string | null;
}

/** The normalised date of a `published` field; null when it is unknown. */
export function publicationDate(field: PublishedField): PublicationDate | null {
  if (field === null) return null;
  if (typeof field === "string") return { precision: "day", value: field, start: field, end: field, inferred: false, evidence: null };
  const evidence = field.evidence ?? null;
  const inferred = field.inferred ?? false;
  if (field.from !== undefined && field.to !== undefined) {
    return { precision: "range", value: `${field.from}/${field.to}`, start: firstDay(field.from), end: lastDay(field.to), inferred, evidence };
  }
  const precision = PRECISIONS.find((key) => field[key] !== undefined) ?? "day";
  const value = field[precision] ?? "";
  return { precision, value, start: firstDay(value), end: lastDay(value), inferred, evidence };
}

/**
 * The `published` string of the loaded article and of JSON output: the day printed in the text
 * (YYYY-MM-DD), else null. It is never an inferred or coarser date, so readers that took it as
 * "the date the text prints" keep reading it so; `date` carries everything else.
 */
export function printedDay(field: PublishedField): string | null {
  if (field === null || typeof field === "string") return field;
  return field.day !== undefined && field.inferred === false ? field.day : null;
}

/**
 * The date of an article or passage: its `date` when it has one (articles from corpus files do),
 * else the printed day in `published` (articles and passages built in code, stored digests).
 */
export function dateOf(item: { published: string | null; date?: PublicationDate | null | undefined }): PublicationDate | null {
  if (item.date !== undefined) return item.date;
  return item.published === null ? null : publicationDate(item.published);
}

/**
 * The key dates sort by: the first day the date can be, then its last day (of two dates that
 * start on the same day, the narrower comes first). Undated: null, which sorts last.
 *
 * Why the start and not a range's midpoint: an inferred range is bounded below by the latest event
 * the text mentions (a hard bound: it cannot be older) and above by how long the wording stays
 * true ("more than three years", "President-elect"), which is soft and often generous. Opinion
 * pieces are written soon after the events they answer, so the earliest possible day is the best
 * single guess; a midpoint would push a piece later by half its uncertainty.
 */
export function dateSortKey(date: PublicationDate | null): string | null {
  return date === null ? null : `${date.start}/${date.end}`;
}

/** The sort key of an article or passage (see dateSortKey). */
export function articleSortKey(item: { published: string | null; date?: PublicationDate | null | undefined }): string | null {
  return dateSortKey(dateOf(item));
}

/**
 * Whether a date may fall within an inclusive range of days (either end open): a range, month or
 * year counts when it overlaps, since the article may have been published inside it. Undated
 * articles are outside every range.
 */
export function overlapsRange(date: PublicationDate | null, from: string | undefined, to: string | undefined): boolean {
  if (date === null) return false;
  return (from === undefined || date.end >= from) && (to === undefined || date.start <= to);
}
