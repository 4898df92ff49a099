// The import worker after a slow start (four seconds before its module is ready), as a thread on
// a loaded machine loads its modules: the pool's time limit counts from a job's take, not from this.
import { setTimeout as sleep } from "node:timers/promises";

await sleep(4000);
const { default: readInWorker } = await import("./import-worker.mjs");
export default readInWorker;
