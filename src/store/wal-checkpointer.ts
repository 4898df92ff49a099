// Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits also
// checkpoints (every 1,000 WAL pages): it copies those pages into the database file and syncs
// both files, synchronously, inside that COMMIT — a stall of several milliseconds for every
// request in flight, every few batches of audit events. The server instead turns automatic
// checkpoints off and runs PASSIVE checkpoints (https://sqlite.org/c3ref/wal_checkpoint_v2.html:
// they never block writers or readers) on a connection of their own in a worker thread, at most
// every `intervalMs` while something is being written, and once more when the store closes.
//
// The worker is started from source text (Worker's `eval` option) so that it runs the same from
// the compiled dist/ and from the TypeScript sources under the test runner; it loads the same
// better-sqlite3 build as the server (sqlite-module.ts), by absolute path.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { sqliteModuleName } from "./sqlite-module.js";

export interface WalCheckpointer {
  /** Says that something was written: a checkpoint follows within `intervalMs`. */
  nudge(): void;
  /** Runs a last checkpoint and stops the worker. */
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Sqlite = require(workerData.modulePath);
// fileMustExist: a file deleted under the server must never be re-created empty by its checkpointer.
const db = new Sqlite(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
parentPort.on("message", (message) => {
  checkpoint();
  if (message === "stop") {
    db.close();
    parentPort.close();
  }
});
`;

export function createWalCheckpointer(file: string, options: { intervalMs: number; onError: (message: string) => void }): WalCheckpointer {
  let worker: Worker | undefined;
  let exited: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let isClosed = false;

  function start(): Worker {
    const modulePath = createRequire(import.meta.url).resolve(sqliteModuleName);
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, modulePath } });
    started.on("message", (message: { error?: string }) => {
      if (message.error !== undefined) options.onError(message.error);
    });
    started.on("error", (error) => options.onError(error.message));
    // The worker holds no request: it must not keep the process alive on its own.
    started.unref();
    exited = new Promise((resolve) => started.once("exit", () => resolve()));
    return started;
  }

  return {
    nudge() {
      if (isClosed || timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        worker ??= start();
        worker.postMessage("checkpoint");
      }, options.intervalMs);
      timer.unref();
    },
    async close() {
      isClosed = true;
      clearTimeout(timer);
      timer = undefined;
      if (worker === undefined) return;
      // Unreferenced, the worker would let the event loop empty while the last checkpoint runs:
      // the process would then end with "unsettled top-level await" (exit 13) before closing.
      worker.ref();
      worker.postMessage("stop");
      await exited;
      worker = undefined;
    },
  };
}
