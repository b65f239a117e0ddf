import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitFrontMatter } from "../../src/corpus/frontmatter.js";
import { articleMetaSchema } from "../../src/corpus/schema.js";

// Every quote in a note must be verbatim, like every quote the bot shows.
//
// The notes are title_note, published_note, published.evidence and notes. A quoted stretch is text
// inside '…' (straight single quotes: apostrophes in notes are written ’), ‘…’, “…” or "…". Each is
// a quote of the body unless the note says it quotes text that is NOT in the body: a stretch the
// cleaning removed (a byline, a site name, a stray space before a full stop) or the seed's own
// layout. That is told apart by the sentence of the note it stands in: a sentence that says
// "removed" may quote removed text. So:
//
// - a quote found verbatim in the body passes (an ellipsis "…" in it, outside a gap mark "[…]",
//   stands for skipped words: each piece must occur in the body, in order);
// - a quote not in the body passes only in a sentence that says "removed" (the rule editors follow:
//   name the removal where you quote what was removed);
// - anything else is a misquote: "topped 4% last year" where the body says "After purportedly
//   topping 4% last year" fails, as does a quote that changed a capital letter.
//
// This checks the project's own corpus files only (a server's corpus may write its notes otherwise).
// It cannot check a removed quote against the seed it came from (the seeds are not in the project),
// so removed text is left to the editor and the note's own word.

interface NoteQuote {
  text: string;
  /** The sentence of the note the quote stands in, quotes included. */
  sentence: string;
}

const QUOTE_PATTERNS = [
  // A straight quote opens after a space, a bracket or a slash and closes before a space or punctuation.
  /(?<=^|[\s([/])'(.+?)'(?=$|[\s.,;:!?)\]])/g,
  /‘(.+?)’(?![\p{L}])/gu,
  /“(.+?)”/g,
  /(?<=^|[\s([/])"(.+?)"(?=$|[\s.,;:!?)\]])/g,
];

/** The quoted stretches of a note, each with the sentence it stands in. */
function noteQuotes(note: string): NoteQuote[] {
  const found: { start: number; end: number; text: string }[] = [];
  for (const pattern of QUOTE_PATTERNS) {
    for (const match of note.matchAll(pattern)) found.push({ start: match.index, end: match.index + match[0].length, text: match[1] ?? "" });
  }
  // Sentences are split with the quotes masked out, so a full stop inside a quote ends nothing.
  let masked = note;
  for (const { start, end } of found) masked = masked.slice(0, start) + "x".repeat(end - start) + masked.slice(end);
  const bounds: number[] = [0];
  for (const match of masked.matchAll(/[.!?](?:\s+)(?=\S)/g)) bounds.push(match.index + match[0].length);
  bounds.push(note.length);
  return found
    .sort((a, b) => a.start - b.start)
    .map(({ start, text }) => {
      const i = bounds.findLastIndex((bound) => bound <= start);
      return { text, sentence: note.slice(bounds[i], bounds[i + 1]) };
    });
}

/** Whether a quote occurs in the body; "…" outside "[…]" skips words between pieces that occur in order. */
function quotedInBody(quote: string, body: string): boolean {
  const pieces = quote.split(/(?<!\[)…(?!\])/).map((piece) => piece.trim()).filter((piece) => piece !== "");
  let from = 0;
  for (const piece of pieces) {
    const at = body.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return pieces.length > 0;
}

const SAYS_REMOVED = /\bremoved\b/i;

/** The misquotes in one file's notes: "field: 'quote'". */
function misquotes(notes: Record<string, string | undefined>, body: string): string[] {
  const problems: string[] = [];
  for (const [field, note] of Object.entries(notes)) {
    if (note === undefined) continue;
    for (const { text, sentence } of noteQuotes(note)) {
      if (quotedInBody(text, body)) continue;
      if (SAYS_REMOVED.test(sentence)) continue;
      problems.push(`${field}: '${text}' is not in the body`);
    }
  }
  return problems;
}

const CORPUS = "corpus";

describe("quotes in the notes of the shipped corpus", () => {
  const files = readdirSync(CORPUS).filter((name) => name.endsWith(".md")).sort();

  it("finds the corpus files, and quotes in their notes", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(`${file}: every quote of the body in a note occurs in the body`, () => {
      const { data, body } = splitFrontMatter(readFileSync(path.join(CORPUS, file), "utf8"));
      const meta = articleMetaSchema.parse(data);
      const evidence = meta.published !== null && typeof meta.published === "object" ? meta.published.evidence : undefined;
      const notes = { title_note: meta.title_note, published_note: meta.published_note, "published.evidence": evidence, notes: meta.notes };
      expect(Object.values(notes).flatMap((note) => (note ? noteQuotes(note) : [])).length, file).toBeGreaterThan(0);
      expect(misquotes(notes, body)).toEqual([]);
    });
  }
});

describe("the note quote check", () => {
  const body = "Second, Russia’s advantages aren’t as decisive as they appear. After purportedly topping 4% last year, growth has sputtered to around 0%.\n\nThe end […] came.";

  it("finds quotes in every style, each with its sentence", () => {
    expect(noteQuotes("It says 'a b' and “c d”. Then ‘e’s f’ and \"g\"; it’s fine. Removed: 'x.', 'y'.")).toEqual([
      { text: "a b", sentence: "It says 'a b' and “c d”. " },
      { text: "c d", sentence: "It says 'a b' and “c d”. " },
      { text: "e’s f", sentence: "Then ‘e’s f’ and \"g\"; it’s fine. " },
      { text: "g", sentence: "Then ‘e’s f’ and \"g\"; it’s fine. " },
      { text: "x.", sentence: "Removed: 'x.', 'y'." },
      { text: "y", sentence: "Removed: 'x.', 'y'." },
    ]);
  });

  it("catches the audited slip, a changed capital and a quote of removed text where no removal is named", () => {
    expect(misquotes({ published_note: "Growth that 'topped 4% last year'." }, body)).toEqual(["published_note: 'topped 4% last year' is not in the body"]);
    expect(misquotes({ published_note: "Growth 'After purportedly topping 4% last year'." }, body)).toEqual([]);
    expect(misquotes({ notes: "It says 'second, Russia’s advantages'." }, body)).toEqual(["notes: 'second, Russia’s advantages' is not in the body"]);
    expect(misquotes({ notes: "The byline 'by Vern Evans' was the reposter's." }, body)).toEqual(["notes: 'by Vern Evans' is not in the body"]);
    expect(misquotes({ notes: "Removed the byline 'by Vern Evans'. It says “as decisive as they appear”." }, body)).toEqual([]);
  });

  it("reads an ellipsis as skipped words, and a gap mark as part of the body", () => {
    expect(quotedInBody("…growth has sputtered to around 0%.", body)).toBe(true);
    expect(quotedInBody("Second, … as they appear", body)).toBe(true);
    expect(quotedInBody("as they appear … Second,", body)).toBe(false);
    expect(quotedInBody("The end […] came.", body)).toBe(true);
  });
});
