/**
 * A worker thread's part of a parallel index build (parallel-count.ts): counts the index terms
 * of the texts in `workerData.texts` and posts back their TermCounts, the arrays transferred,
 * not copied. Started through typescript-worker.mjs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tokenizerOptions } from "../text/tokenize.js";
import { countTerms } from "./term-counts.js";

const { texts } = workerData as { texts: string[] };
const counts = countTerms(texts, tokenizerOptions);
const arrays = [counts.rowTerms, counts.rowTexts, counts.rowCounts, counts.fieldLengths];
parentPort?.postMessage(counts, arrays.map((array) => array.buffer as ArrayBuffer));
