import { isCalendarDay, type PublishedField } from "./dates.js";

// Ingest reads a publication date out of a raw text for a human to confirm: a "Published …" or
// "Updated …" stamp, a dateline ("KYIV, Ukraine, March 3, 2025 — …"), or the dates the text
// mentions. Whatever it finds is written with `inferred: true` and evidence that says where it came
// from; the person running ingest confirms it (a printed date then becomes `published: "YYYY-MM-DD"`)
// or corrects it.

const MONTH_NUMBERS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
/** A month name as printed, capitalised: "March", "Mar.", "Sept.". */
const MONTH = "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const WEEKDAY = "(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, )?";

const DATE_PATTERNS: { pattern: RegExp; day: (m: RegExpMatchArray) => string }[] = [
  // March 3, 2025 · Mar. 3 2025 · Monday, March 3, 2025
  { pattern: new RegExp(`(?<![\\p{L}\\d])${WEEKDAY}${MONTH} (\\d{1,2}),? (\\d{4})(?!\\d)`, "gu"), day: (m) => iso(m[3], m[1], m[2]) },
  // 3 March 2025 · Monday, 3 March 2025
  { pattern: new RegExp(`(?<![\\p{L}\\d])${WEEKDAY}(\\d{1,2}) ${MONTH},? (\\d{4})(?!\\d)`, "gu"), day: (m) => iso(m[3], m[2], m[1]) },
  // 2025-03-03
  { pattern: /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g, day: (m) => `${m[1]}-${m[2]}-${m[3]}` },
];
/** "in February 2022": a month without a day. */
const MONTH_YEAR = new RegExp(`(?<![\\p{L}\\d])${MONTH},? (\\d{4})(?!\\d)`, "gu");

function iso(year: string | undefined, month: string | undefined, day: string | undefined): string {
  const number = MONTH_NUMBERS[(month ?? "").slice(0, 3).toLowerCase()] ?? 0;
  return `${year ?? ""}-${String(number).padStart(2, "0")}-${(day ?? "").padStart(2, "0")}`;
}

/** One date printed in a text: its day (or first day of its month), the words, where they start. */
export interface FoundDate {
  /** YYYY-MM-DD; for a month without a day, its first day. */
  day: string;
  precision: "day" | "month";
  text: string;
  index: number;
}

/** Every real calendar date written out in a text ("March 3, 2025", "3 March 2025", "2025-03-03", "February 2022"), in text order. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const { pattern, day } of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = day(match);
      if (isCalendarDay(value)) found.push({ day: value, precision: "day", text: match[0], index: match.index });
    }
  }
  const covered = (index: number, length: number) => found.some((d) => index < d.index + d.text.length && d.index < index + length);
  for (const match of text.matchAll(MONTH_YEAR)) {
    const value = iso(match[2], match[1], "1");
    if (!covered(match.index, match[0].length) && isCalendarDay(value)) found.push({ day: value, precision: "month", text: match[0], index: match.index });
  }
  return found.sort((a, b) => a.index - b.index);
}

const STAMP_WORDS = "(Published|Posted|First published|Originally published|Updated|Last updated|Last modified)";
/** A time and zone after a stamp's date: "at 10:32 a.m. ET", "10:32 AM EST", "12:00 GMT". */
const TIME = "(?:,? (?:at )?\\d{1,2}(?:[:.]\\d{2})?\\s?(?:[ap]\\.?m\\.?|AM|PM)?(?: [A-Z]{2,4})?)?";

/** A date stamp line: "Published March 3, 2025", "Updated: 2025-03-04 10:00 GMT", "Published 3 March 2025 | Updated 4 March 2025". */
export function matchStampLine(line: string): { published?: FoundDate; updated?: FoundDate } | undefined {
  const parts = line.trim().replace(/\.$/, "").split(/\s+[|·•]\s+/);
  const stamp: { published?: FoundDate; updated?: FoundDate } = {};
  for (const part of parts) {
    const head = new RegExp(`^${STAMP_WORDS}(?: on)?:? `, "i").exec(part);
    if (!head) return undefined;
    const rest = part.slice(head[0].length);
    const [date] = findDates(rest).filter((d) => d.precision === "day");
    if (!date || date.index !== 0 || !new RegExp(`^${TIME}$`, "i").test(rest.slice(date.text.length))) return undefined;
    if (/updated|modified/i.test(head[1] ?? "")) stamp.updated ??= date;
    else stamp.published ??= date;
  }
  return stamp;
}

/** A dateline opening the first paragraph: "KYIV, Ukraine, March 3, 2025 —", "WASHINGTON, 3 March 2025 (Reuters) -". */
export function matchDateline(paragraph: string): { date: FoundDate; text: string } | undefined {
  const [date] = findDates(paragraph.slice(0, 80));
  if (!date || date.precision !== "day") return undefined;
  // Before the date, only a place: "KYIV, Ukraine, ", "WASHINGTON, ".
  if (!/^[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)*(?:, \p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*)*)*,? $/u.test(paragraph.slice(0, date.index))) return undefined;
  const tail = /^(?: \([^)]{1,40}\))? ?[—–-]{1,2}/.exec(paragraph.slice(date.index + date.text.length));
  if (!tail) return undefined;
  return { date, text: paragraph.slice(0, date.index + date.text.length + tail[0].length) };
}

export interface DateProposal {
  /** What ingest writes as `published`: always `inferred: true`, with the evidence. */
  published: Exclude<PublishedField, string | null>;
  /** Where it came from. */
  source: "published stamp" | "dateline" | "updated stamp" | "mentioned dates";
}

const PROPOSED = "Proposed at ingest, to confirm:";
const DAYS_AFTER_MENTION = 30;

const lastOfMonth = (day: string): string => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).toISOString().slice(0, 10);
const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The date ingest proposes for a text, best evidence first: a "Published" stamp line (removed from
 * the body), a dateline, an "Updated" stamp (the last update: published then or before, and not
 * before the latest date the text mentions), and last the latest date the text mentions (published
 * on or after it, usually within weeks: the range runs 30 days on). Undefined when the text has none.
 */
export function proposeDate(input: { stamps: readonly { line: string; published?: FoundDate; updated?: FoundDate }[]; body: string }): DateProposal | undefined {
  const published = input.stamps.find((stamp) => stamp.published);
  if (published?.published) {
    return {
      source: "published stamp",
      published: { day: published.published.day, inferred: true, evidence: `${PROPOSED} the raw text's line '${published.line}' was removed from the body as a date stamp.` },
    };
  }
  const firstParagraph = input.body.split("\n\n")[0] ?? "";
  const dateline = matchDateline(firstParagraph);
  if (dateline) {
    return { source: "dateline", published: { day: dateline.date.day, inferred: true, evidence: `${PROPOSED} the dateline '${dateline.text}'.` } };
  }
  const mentions = findDates(input.body);
  const latest = mentions.reduce<FoundDate | undefined>((best, d) => (best === undefined || d.day > best.day ? d : best), undefined);
  const updated = input.stamps.find((stamp) => stamp.updated);
  if (updated?.updated) {
    const to = updated.updated.day;
    const from = latest !== undefined && latest.day <= to ? latest : undefined;
    const evidence = `${PROPOSED} the raw text's line '${updated.line}' was removed from the body as a date stamp; it gives the last update, and the first publication may be earlier${from ? `, though not before the latest date the text mentions, '${from.text}'` : ""}.`;
    return { source: "updated stamp", published: from && from.day < to ? { from: from.day, to, inferred: true, evidence } : { day: to, inferred: true, evidence } };
  }
  if (latest) {
    return {
      source: "mentioned dates",
      published: {
        from: latest.day,
        to: addDays(latest.precision === "month" ? lastOfMonth(latest.day) : latest.day, DAYS_AFTER_MENTION),
        inferred: true,
        evidence: `${PROPOSED} the latest date the text mentions is '${latest.text}'; a text is published on or after the dates it mentions (unless it announces them), usually within weeks.`,
      },
    };
  }
  return undefined;
}
