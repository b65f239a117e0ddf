import { describe, expect, it } from "vitest";
import { CorpusDirError, loadCorpus } from "../../src/corpus/load.js";

describe("loadCorpus on a folder with broken files", () => {
  it("loads the valid article and names file, field and reason for each broken one (the first file by name keeps a shared id)", async () => {
    const { articles, problems } = await loadCorpus("tests/fixtures/broken-corpus");
    expect(articles.map((a) => a.id)).toEqual(["good-article"]);
    const byFile = Object.fromEntries(problems.map((p) => [p.file, p]));
    expect(byFile["bad-date.md"]).toMatchObject({ field: "published" });
    expect(byFile["no-front-matter.md"]).toMatchObject({ field: "front matter" });
    expect(byFile["other-duplicate-id.md"]).toMatchObject({ field: "id" });
    expect(byFile["other-duplicate-id.md"]?.reason).toContain("good.md");
    expect(byFile["leftover-boilerplate.md"]).toMatchObject({ field: "body" });
    expect(byFile["leftover-boilerplate.md"]?.reason).toContain("Exit mobile version");
    expect(byFile["gap-count.md"]).toMatchObject({ field: "gaps" });
    expect(byFile["empty-body.md"]).toMatchObject({ field: "body", reason: "is empty" });
    expect(problems).toHaveLength(6);
  });

  it("reports a missing folder as such", async () => {
    await expect(loadCorpus("tests/fixtures/no-such-folder")).rejects.toBeInstanceOf(CorpusDirError);
  });
});
