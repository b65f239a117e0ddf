import { describe, expect, it } from "vitest";
import { suggest, surname } from "../../src/text/suggest.js";

const AUTHORS = ["Alexander Vershbow", "Hans Binnendijk", "Alena Getmanchuk", "Daniel Fried"];

describe("suggest", () => {
  it("offers the name whose surname was mistyped", () => {
    expect(suggest("vershbo", AUTHORS)).toEqual(["Alexander Vershbow"]);
  });

  it("puts names containing what was typed before close spellings", () => {
    expect(suggest("binnen", AUTHORS)[0]).toBe("Hans Binnendijk");
  });

  it("still offers the closest name when nothing is near, and nothing for an empty input", () => {
    expect(suggest("zzzzzzzzzz", AUTHORS)).toHaveLength(1);
    expect(suggest("  ", AUTHORS)).toEqual([]);
  });

  it("reads a surname as the last word, in lower case", () => {
    expect(surname("  Alena  Getmanchuk ")).toBe("getmanchuk");
  });
});
