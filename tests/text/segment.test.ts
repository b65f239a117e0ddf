import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { splitFrontMatter } from "../../src/corpus/frontmatter.js";
import { segmentBody } from "../../src/text/segment.js";

function sentencesOf(body: string): string[] {
  return segmentBody(body).flatMap((p) => p.sentences.map((s) => body.slice(s.start, s.end)));
}

async function corpusBody(id: string): Promise<string> {
  return splitFrontMatter(await readFile(`corpus/${id}.md`, "utf8")).body;
}

describe("segmentBody on real corpus sentences", () => {
  it("keeps 'Lt. Gen.' and 'U.S.' inside their sentence", async () => {
    const sentences = sentencesOf(await corpusBody("make-putin-an-offer-he-cant-refuse"));
    expect(sentences).toContain(
      "Retired Lt. Gen. Keith Kellogg, Trump’s nominee for Ukraine/Russia envoy, seems to realize the importance of generating leverage before negotiations begin.",
    );
    expect(sentences).toContain(
      "Selling out Ukraine by immediately cutting U.S. military aid would be consistent with Trump’s earlier effort last summer to block congressional approval of Ukraine aid for over six months.",
    );
  });

  it("ends a sentence on a closing quote and starts the next one after it", async () => {
    const sentences = sentencesOf(await corpusBody("make-putin-an-offer-he-cant-refuse"));
    expect(sentences).toContain("Or Trump can make Russian President Vladimir Putin, as the Godfather might put it, “an offer he can’t refuse.”");
    expect(sentences).toContain("Trump took that decision in the context of the American election so that he would be seen as a peace candidate seeking to end a “forever war.”");
  });

  it("ends a sentence after 'Inc.' when a new sentence follows", async () => {
    const sentences = sentencesOf(await corpusBody("us-cant-pretend-putin-is-ready-for-peace"));
    expect(sentences).toContain("After purportedly topping 4% last year, growth has sputtered to around 0%, according to Goldman Sachs Group Inc.");
    expect(sentences).toContain("Lower oil prices have dented a major source of budget revenue.");
  });

  it("keeps '$2 billion', 'E.U.' and em-dash asides whole", async () => {
    const sentences = sentencesOf(await corpusBody("more-russia-loses-better-chances-for-diplomacy"));
    expect(sentences).toContain(
      "The United States has already provided more than $2 billion in security aid to Ukraine, including Stinger antiaircraft systems, Javelin antitank missiles, tactical drones, and anti-armor weapons and systems.",
    );
    expect(sentences).toContain(
      "For its part, the European Union agreed to deliver a nearly $1 billion package, approving the shipment of lethal weapons to a country that isn’t part of the E.U. for the first time in its history.",
    );
    expect(sentences).toContain("So far, of the five largest Russian banks, only VTB — the second-largest — has been fully blocked and cut off from SWIFT.");
  });

  it("keeps an exclamation inside dashes and a gap marker inside the sentence", async () => {
    const sentences = sentencesOf(await corpusBody("putin-is-playing-trump-for-a-fool"));
    expect(sentences).toContain(
      "It is hard to take this seriously, though, when Istanbul illustrated — just last week! — that this is already happening.",
    );
    expect(sentences[0]).toBe(
      "U.S. President Donald Trump […] that Russia and Ukraine will “immediately” begin ceasefire talks after he had an “excellent” […] with Russian President Vladimir Putin.",
    );
  });

  it("treats 'No.' before a number as part of the sentence, but not a sentence-final 'no.'", () => {
    expect(sentencesOf("He went to No. 10 Downing Street. Nothing changed.")).toEqual(["He went to No. 10 Downing Street.", "Nothing changed."]);
    expect(sentencesOf("The answer was no. Talks ended.")).toEqual(["The answer was no.", "Talks ended."]);
  });

  it("starts a new sentence after 'U.S.' only when a sentence opener follows", () => {
    expect(sentencesOf("Aid came from the U.S. The Europeans hesitated.")).toEqual(["Aid came from the U.S.", "The Europeans hesitated."]);
    expect(sentencesOf("U.S. President Donald Trump spoke.")).toEqual(["U.S. President Donald Trump spoke."]);
  });

  it("numbers paragraphs and sentences from 1 with offsets into the body", () => {
    const body = "First one. Second one.\n\nThird one.";
    const [p1, p2] = segmentBody(body);
    expect(p1?.sentences.map((s) => [s.paragraph, s.index, body.slice(s.start, s.end)])).toEqual([
      [1, 1, "First one."],
      [1, 2, "Second one."],
    ]);
    expect(p2?.sentences.map((s) => [s.paragraph, s.index, body.slice(s.start, s.end)])).toEqual([[2, 1, "Third one."]]);
  });
});
