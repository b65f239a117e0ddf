import { z } from "zod";
import { publishedFieldSchema } from "./dates.js";

/** A stable, URL-safe slug: the article's id in citations and commands. */
export const articleIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lowercase slug (a-z, 0-9, single hyphens)");

/**
 * Front matter of one corpus article. Everything here is metadata: none of it is quotable,
 * so author bios live here rather than in the body.
 */
export const articleMetaSchema = z
  .object({
    id: articleIdSchema,
    title: z.string().trim().min(1),
    /** Why the title is what it is, when the source had none and an editor supplied one. */
    title_note: z.string().min(1).optional(),
    /** Named authors; an editorial board counts as one author. Empty when the text names nobody. */
    authors: z.array(z.string().trim().min(1)),
    outlet: z.string().trim().min(1),
    /**
     * A printed day "YYYY-MM-DD"; or a day, month, year or range with `inferred` and `evidence`
     * (see dates.ts); or null when the text gives no clue (then `published_note` says so).
     */
    published: publishedFieldSchema,
    published_note: z.string().min(1).optional(),
    source: z
      .object({
        /** Where the text was taken from, e.g. the reposting site. */
        site: z.string().min(1),
        /** The raw file the body was cleaned from. */
        seed: z.string().min(1).optional(),
        url: z.url().optional(),
      })
      .strict(),
    /** How many places in the body lost words (stripped hyperlinks); each is marked `[…]`. */
    gaps: z.number().int().nonnegative().default(0),
    bios: z.array(z.string().min(1)).default([]),
    notes: z.string().default(""),
  })
  .strict()
  .superRefine((meta, ctx) => {
    if (meta.published === null && meta.published_note === undefined) {
      ctx.addIssue({ code: "custom", path: ["published_note"], message: "required when published is null" });
    }
  });

export type ArticleMeta = z.output<typeof articleMetaSchema>;

/** The marker an editor puts in the body where the source lost words. */
export const GAP_MARKER = "[…]";
