// The import worker, loaded from the TypeScript sources through tsx, for servers that tests run
// from src/ (test-app.ts); the built server's worker is dist/node/services/import-worker.js.
import { register } from "tsx/esm/api";

register();
const { default: readInWorker } = await import("../../src/services/import-worker.ts");
export default readInWorker;
