/**
 * The multi-topic synthetic corpus: a closer stand-in for 10,000 op-eds on many subjects than
 * the single-topic corpus of synthetic.ts, where every article is drawn from the vocabulary of
 * the five shipped op-eds (all about one war), so every content word is in most paragraphs.
 *
 * Here a share of the articles (`realShare`, default 10%: one big running story) is drawn, as
 * there, from the real op-eds' vocabulary; every other article belongs to one of `topics`
 * generated subjects (default 40). A subject is a random subset of `topicWords` (3,000) of a
 * generated vocabulary of `vocabularyWords` (30,000) invented words, in a random order of its
 * own, ranked after the words every article shares: the real corpus's function words ("the",
 * "of", …) and `generalWords` (300) common invented words. Words are drawn with one Zipf law
 * over those ranks, so function words are about half of the text, as in the real articles.
 * Shapes (length, paragraphs, sentences, quotes, metadata) are those of synthetic.ts, and an
 * article of the real share is the same article as in the single-topic corpus.
 *
 * The benchmark's queries use the real op-eds' words, so here they find paragraphs in the real
 * share only, as queries about one subject would in a corpus of many.
 */
import type { Article } from "../src/corpus/load.js";
import { indexTerm } from "../src/text/tokenize.js";
import { deriveSeed, Rng, ZipfSampler } from "./random.js";
import { authorPool, buildVocabulary, capitalize, generateArticle, pseudoWord, SHAPE, type ArticleShape, type Vocabulary, type WordSource } from "./synthetic.js";

export interface TopicalOptions {
  seed: number;
  count: number;
  /** Share of articles drawn from the real op-eds' vocabulary. */
  realShare?: number;
  topics?: number;
  /** Words of one topic (a random subset of the generated vocabulary). */
  topicWords?: number;
  /** Generated words that topics are drawn from. */
  vocabularyWords?: number;
  /** Generated words every topic shares, ranked right after the function words. */
  generalWords?: number;
}

export interface TopicalCorpus {
  articles: Article[];
  shapes: ArticleShape[];
  /** Per article: its topic number, or -1 for the real vocabulary. */
  topicOf: number[];
}

/** The word sources of a multi-topic corpus: the real vocabulary, and one source per topic. */
export interface Topics {
  real: Vocabulary;
  topics: WordSource[];
}

export function buildTopics(bodies: readonly string[], options: Omit<TopicalOptions, "count">): Topics {
  const real = buildVocabulary(bodies, { seed: options.seed });
  const taken = new Set(real.words.map((word) => word.toLowerCase()));
  const functionWords = real.words.slice(0, real.realCount).filter((word) => indexTerm(word) === null);
  const rng = new Rng(deriveSeed(options.seed, 0x7091c));
  const generated: string[] = [];
  const wanted = options.vocabularyWords ?? 30_000;
  while (generated.length < wanted) {
    const word = pseudoWord(rng, rng.int(1, 3));
    if (word.length < 4 || taken.has(word)) continue;
    taken.add(word);
    generated.push(rng.chance(0.15) ? capitalize(word) : word);
  }
  const general = generated.slice(0, options.generalWords ?? 300);
  const pool = generated.slice(general.length);
  const size = Math.min(options.topicWords ?? 3000, pool.length);
  const topics: WordSource[] = [];
  for (let t = 0; t < (options.topics ?? 40); t++) {
    const words = [...functionWords, ...general, ...sample(pool, size, rng)];
    topics.push({ words, sampler: new ZipfSampler(words.length, 1) });
  }
  return { real, topics };
}

/**
 * Generates `count` articles. Article i depends only on (seed, i) and the options, so the first
 * 1,000 articles of a 10,000-article corpus are the 1,000-article corpus.
 */
export function generateTopicalCorpus(bodies: readonly string[], options: TopicalOptions): TopicalCorpus {
  const { real, topics } = buildTopics(bodies, options);
  const authors = authorPool(options.seed, SHAPE.authorPool);
  const realShare = options.realShare ?? 0.1;
  const corpus: TopicalCorpus = { articles: [], shapes: [], topicOf: [] };
  for (let i = 0; i < options.count; i++) {
    const pick = new Rng(deriveSeed(options.seed ^ 0x7091c, i + 1));
    const topic = pick.chance(realShare) ? -1 : pick.int(0, topics.length - 1);
    const source = topic === -1 ? real : (topics[topic] ?? real);
    const { article, shape } = generateArticle(source, authors, new Rng(deriveSeed(options.seed, i + 1)), i);
    corpus.articles.push(article);
    corpus.shapes.push(shape);
    corpus.topicOf.push(topic);
  }
  return corpus;
}

/** `size` distinct items of `items` in random order (a partial Fisher–Yates shuffle). */
function sample<T>(items: readonly T[], size: number, rng: Rng): T[] {
  const copy = [...items];
  for (let i = 0; i < size; i++) {
    const j = rng.int(i, copy.length - 1);
    const a = copy[i];
    const b = copy[j];
    if (a === undefined || b === undefined) break;
    copy[i] = b;
    copy[j] = a;
  }
  return copy.slice(0, size);
}
