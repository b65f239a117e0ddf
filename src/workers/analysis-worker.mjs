// The entry of the analysis worker thread. Its code is TypeScript: Node 20 applies tsx's module
// hooks to the main thread only, so the worker registers tsx itself before loading the task.
import { register } from "tsx/esm/api";

register();
const task = await import("./analysis-task.ts");
export default task.default;
