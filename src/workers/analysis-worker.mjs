// The entry of the analysis worker thread when Agora runs from TypeScript (tsx, vitest): Node 20
// applies tsx's module hooks to the main thread only, so the worker registers tsx itself before
// loading the task. Compiled code (dist/) loads analysis-task.js directly (see analysis-pool.ts).
import { register } from "tsx/esm/api";

register();
const task = await import("./analysis-task.ts");
export default task.default;
