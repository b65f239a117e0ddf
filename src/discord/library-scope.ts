import type { BuiltDigest, DigestInput } from "../digest/content.js";
import type { DigestLibrary } from "../digest/scheduler.js";
import type { HybridSearch } from "../embeddings/hybrid.js";
import type { Engine } from "../engine.js";
import type { LibraryView, ServerLibraries } from "../library/server-libraries.js";
import type { Analysis } from "../workers/analysis-pool.js";
import type { BotContext } from "./command.js";

/**
 * What a server's interactions run on: its library's engine, the analysis thread asked about
 * that library, and hybrid search over it. Built once per library view and dropped with it.
 */
export class LibraryScopes {
  private readonly analyses = new WeakMap<LibraryView, { base: Analysis; scoped: Analysis }>();
  private readonly hybrids = new WeakMap<LibraryView, HybridSearch>();

  constructor(
    readonly libraries: ServerLibraries,
    /** Hybrid search over another engine, when embeddings are configured. */
    private readonly hybridFor?: (engine: Engine) => HybridSearch | undefined,
  ) {}

  /** The context a server's interaction runs with; `ctx` itself outside a server or for one without articles. */
  async scope(ctx: BotContext, guildId: string | null, beforeBuild?: () => Promise<void>): Promise<BotContext> {
    if (guildId === null) return ctx;
    const view = await this.libraries.view(guildId, beforeBuild);
    if (view.serverArticles.length === 0) return ctx;
    const scoped: BotContext = { ...ctx, engine: view.engine, analysis: this.analysisOf(view, ctx.analysis) };
    delete scoped.hybrid;
    const hybrid = ctx.hybrid ? this.hybridOf(view) : undefined;
    if (hybrid) scoped.hybrid = hybrid;
    return scoped;
  }

  /** A view left the cache: its background embedding stops. */
  drop(view: LibraryView): void {
    void this.hybrids.get(view)?.stop();
    this.hybrids.delete(view);
  }

  /** The digest's side: a server's engine, and its digest built on the analysis thread. */
  digestLibrary(analysis: () => Analysis): DigestLibrary {
    return {
      forGuild: async (guildId) => {
        const view = await this.libraries.view(guildId);
        if (view.serverArticles.length === 0) return undefined;
        const scoped = this.analysisOf(view, analysis());
        return { engine: view.engine, compose: (input: DigestInput): Promise<BuiltDigest> => scoped.digest(input) };
      },
      addedBetween: (guildId, from, until) => this.libraries.store.addedBetween(guildId, from, until),
    };
  }

  private analysisOf(view: LibraryView, base: Analysis): Analysis {
    const known = this.analyses.get(view);
    // The analysis thread is replaced when the shared corpus reloads: ask the current one.
    if (known?.base === base) return known.scoped;
    const scoped = base.forLibrary(view.key, view.serverArticles);
    this.analyses.set(view, { base, scoped });
    return scoped;
  }

  private hybridOf(view: LibraryView): HybridSearch | undefined {
    let hybrid = this.hybrids.get(view);
    if (!hybrid && this.hybridFor) {
      hybrid = this.hybridFor(view.engine);
      if (hybrid) {
        hybrid.start();
        this.hybrids.set(view, hybrid);
      }
    }
    return hybrid;
  }
}
