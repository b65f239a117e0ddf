/**
 * Paragraphs and sentences of an article body, each with offsets into that exact body.
 *
 * Sentence boundaries come from ICU (Intl.Segmenter), which already handles closing quotes,
 * "!" inside a sentence and lower-case continuations ("the E.U. for the first time"). V8 ships
 * ICU without its abbreviation suppressions, so the abbreviations these texts use are
 * suppressed here.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Sentence extends Span {
  /** 1-based paragraph number within the article. */
  paragraph: number;
  /** 1-based sentence number within its paragraph. */
  index: number;
}

export interface Paragraph extends Span {
  /** 1-based. */
  number: number;
  /** Worked out by ICU on first read and kept (see segmentBody). */
  readonly sentences: Sentence[];
}

/** Abbreviations that precede a name or a number, so a sentence never ends on them. */
const NON_TERMINAL = new Set([
  "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
  "cmdr", "rev", "hon", "st", "mt", "ft", "vol", "fig", "art", "sec", "vs", "approx", "jan",
  "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]);

/**
 * Words that start sentences. After a dotted initialism ("U.S."), ICU breaks before any capital;
 * a new sentence is only assumed when one of these follows ("U.S. President" stays one sentence).
 */
const SENTENCE_STARTERS = new Set([
  "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
  "but", "and", "or", "so", "yet", "if", "in", "on", "at", "as", "for", "to", "by", "with", "without",
  "there", "here", "what", "when", "while", "why", "how", "who", "which", "since", "after", "before",
  "although", "though", "even", "still", "instead", "indeed", "moreover", "however", "meanwhile", "now",
  "then", "such", "no", "not", "one", "all", "some", "many", "most", "each", "every", "both", "our",
  "their", "his", "her", "my", "your", "is", "are", "was", "were", "will", "would", "should", "could",
  "can", "may", "might", "must", "do", "does", "did", "first", "second", "finally", "worse", "given",
]);

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Splits a body into paragraphs (separated by blank lines) and their sentences. Sentences are
 * segmented when a paragraph's `sentences` is first read: ICU is the costliest step of indexing,
 * and search only needs the sentences of the paragraphs it returns.
 */
export function segmentBody(body: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const separator = /\n[ \t]*\n\s*/g;
  let start = 0;
  const push = (end: number): void => {
    const trimmed = trimSpan(body, start, end);
    if (trimmed.end > trimmed.start) {
      const number = paragraphs.length + 1;
      paragraphs.push(lazyParagraph(body, trimmed, number));
    }
  };
  for (const match of body.matchAll(separator)) {
    push(match.index);
    start = match.index + match[0].length;
  }
  push(body.length);
  return paragraphs;
}

function lazyParagraph(body: string, span: Span, number: number): Paragraph {
  let sentences: Sentence[] | undefined;
  return {
    start: span.start,
    end: span.end,
    number,
    get sentences() {
      return (sentences ??= segmentSentences(body, span, number));
    },
  };
}

/** Sentences of one paragraph span of `body`. */
export function segmentSentences(body: string, paragraph: Span, paragraphNumber = 1): Sentence[] {
  const text = body.slice(paragraph.start, paragraph.end);
  const spans: Span[] = [];
  for (const segment of segmenter.segment(text)) {
    const span = trimSpan(text, segment.index, segment.index + segment.segment.length);
    if (span.end <= span.start) continue;
    const previous = spans.at(-1);
    if (previous && !endsSentence(text.slice(previous.start, previous.end), text.slice(span.start))) {
      previous.end = span.end;
    } else {
      spans.push(span);
    }
  }
  return spans.map((span, i) => ({
    start: paragraph.start + span.start,
    end: paragraph.start + span.end,
    paragraph: paragraphNumber,
    index: i + 1,
  }));
}

/** Whether ICU's break after `sentence` stands, given the text that follows it. */
function endsSentence(sentence: string, following: string): boolean {
  // Only the sentence's last word matters; look at its tail, not the whole sentence.
  const lastWord = /([\p{L}.]+)\.$/u.exec(sentence.slice(-40))?.[1];
  if (lastWord === undefined) return true;
  if (!lastWord.includes(".") && NON_TERMINAL.has(lastWord.toLowerCase())) return false;
  // "No. 10", "Nos. 3 and 4", but "The answer is no." ends a sentence.
  if (/^Nos?$/.test(lastWord) && /^\d/.test(following)) return false;
  if (/^(?:\p{Lu}\.)+\p{Lu}$/u.test(lastWord)) {
    const nextWord = /^[“"‘']?([\p{L}]+)/u.exec(following)?.[1]?.toLowerCase();
    return nextWord === undefined || SENTENCE_STARTERS.has(nextWord);
  }
  return true;
}

function trimSpan(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  return { start, end };
}
