// A worker thread that checks a share of a page of audit links (core/audit-chain.ts
// findBrokenLink) under the audit key, so that verification uses every core: each link covers its
// own line and the previous link stored with it, so shares of a page are checked independently.
// The key arrives once, transferred in workerData (never through a message that could be logged),
// and is zeroed when the worker is told to stop.
import { createHmac } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { findBrokenLink, type LinkFunction, type LinkRun } from "../core/audit-chain.js";

/** A run of consecutive lines of a page: their bytes (transferred, not copied), their links, the link before them. */
export interface LinkShare {
  readonly id: number;
  readonly lines: Uint8Array;
  readonly count: number;
  readonly links: string;
  readonly previous: string;
}

const key = Buffer.from((workerData as { key: ArrayBuffer }).key);
const link: LinkFunction = (line) => createHmac("sha256", key).update(line).digest("hex");

parentPort?.on("message", (message: LinkShare | "stop") => {
  if (message === "stop") {
    key.fill(0);
    parentPort?.close();
    return;
  }
  const page: LinkRun = { count: message.count, lines: message.lines, links: message.links };
  parentPort?.postMessage({ id: message.id, index: findBrokenLink(page, message.previous, link) });
});
