// The entry of a worker thread whose code is TypeScript. Node 20 applies tsx's module hooks to
// the main thread only, so the worker registers tsx itself, then loads `workerData.entry` (the
// file URL of the .ts module to run).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
