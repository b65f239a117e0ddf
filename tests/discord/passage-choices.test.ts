import { beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/discord/command.js";
import { chosenPassage, excerpt, passageByCitation, passageChoiceName, passageChoices } from "../../src/discord/passage-choices.js";
import { loadEngine, type Engine } from "../../src/engine.js";
import { byline } from "../../src/text/attribution.js";

/** A lone half of a surrogate pair: what a cut in the wrong place leaves behind. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const flat = (text: string) => text.replace(/\s+/g, " ").trim();
/** The pieces of an excerpt between its "…" marks: each must be a verbatim piece of the source. */
const piecesOf = (shown: string) => shown.split("…").map((piece) => piece.trim()).filter(Boolean);

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine({ corpusDir: "corpus" });
});

describe("excerpt", () => {
  it("keeps short text whole, on one line", () => {
    expect(excerpt("Land  for\npeace.", 40)).toBe("Land for peace.");
  });

  it("cuts on a word boundary and marks the cut", () => {
    const shown = excerpt("Ukraine needs security guarantees that deter another invasion", 30);
    expect(shown).toBe("Ukraine needs security…");
    expect(shown.length).toBeLessThanOrEqual(30);
  });

  it("drops a comma left before the cut", () => {
    expect(excerpt("Earlier this month, the new secretary general said more", 21)).toBe("Earlier this month…");
  });

  it("starts near a matched word that would fall past the cut", () => {
    const text = `${"words before the match ".repeat(6)}peacekeepers on the ground and more words after it`;
    const shown = excerpt(text, 60, text.indexOf("peacekeepers"));
    expect(shown.startsWith("…")).toBe(true);
    expect(shown).toContain("peacekeepers");
    expect(shown.length).toBeLessThanOrEqual(60);
  });

  it("never splits a surrogate pair, even with no space to cut at", () => {
    for (let max = 5; max < 40; max++) {
      const shown = excerpt("😀".repeat(50), max);
      expect(shown.length).toBeLessThanOrEqual(max);
      expect(shown).not.toMatch(LONE_SURROGATE);
      const focused = excerpt(`a${"😀".repeat(50)} peace`, max, 101);
      expect(focused.length).toBeLessThanOrEqual(max);
      expect(focused).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe("passageChoiceName", () => {
  it("fits every passage of the corpus in 100 characters, its words verbatim, with the author", () => {
    for (const article of engine.articles()) {
      for (const passage of engine.passages(article.id)) {
        // Put the "matched word" at the end too, the hardest place to show it.
        for (const focus of [0, passage.text.lastIndexOf(" ") + 1]) {
          const name = passageChoiceName({ ...passage, highlights: [{ start: focus, end: focus + 1 }] });
          expect(name.length).toBeLessThanOrEqual(100);
          expect(name).not.toMatch(LONE_SURROGATE);
          const [, words = "", author = ""] = /^“(.*)” — (.*)$/.exec(name) ?? [];
          for (const piece of piecesOf(words)) expect(flat(passage.text)).toContain(piece);
          const expected = passage.authors.length > 0 ? byline(passage.authors) : passage.outlet;
          expect(author === expected || (author.endsWith("…") && expected.startsWith(author.slice(0, -1)))).toBe(true);
        }
      }
    }
  });

  it("clips a long byline so the words keep most of the room", () => {
    const name = passageChoiceName({ text: "Peace needs guarantees. ".repeat(10), authors: ["A Very Long Name Indeed", "Another Very Long Name", "And A Third"], outlet: "X", highlights: [] });
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/ — A Very Long Name Indeed, Another Very…$/);
  });
});

describe("chosen passages", () => {
  it("leaves typed words alone", () => {
    expect(chosenPassage(engine, "peacekeepers")).toBeUndefined();
    expect(chosenPassage(engine, "cite")).toBeUndefined();
  });

  it("finds every passage the search offers by its citation, verified", () => {
    for (const query of ["peacekeep", "sanctions banks", "NATO", "referendum", "land for peace"]) {
      for (const choice of passageChoices(engine, query)) {
        const passage = chosenPassage(engine, choice.value);
        expect(`cite:${passage?.citation ?? ""}`).toBe(choice.value);
        expect(passage?.text).toBe(engine.article(passage?.articleId ?? "").body.slice(passage?.start, passage?.end));
      }
    }
  });

  it("refuses a marker that names no passage", () => {
    for (const bogus of ["cite:", "cite:peacekeepers", "cite:no-such-article:1.1", "cite:make-putin-an-offer-he-cant-refuse:999.1", "cite:make-putin-an-offer-he-cant-refuse:1.3-2"]) {
      expect(() => chosenPassage(engine, bogus), bogus).toThrow(UserError);
    }
    expect(passageByCitation(engine, "Make-Putin:1.1")).toBeUndefined();
  });

  it("offers nothing for under 3 characters or words it can't search", () => {
    expect(passageChoices(engine, "pe")).toEqual([]);
    expect(passageChoices(engine, "  p  ")).toEqual([]);
    expect(passageChoices(engine, "the of")).toEqual([]);
    expect(passageChoices(engine, "peacekeep", { author: "Nobodyhere" })).toEqual([]);
    expect(passageChoices(engine, "pea").length).toBeGreaterThan(0);
  });
});
