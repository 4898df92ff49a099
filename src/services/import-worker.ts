// The module an import worker thread runs (through piscina, see import-pool.ts): reads one upload
// and hands back its entries, seeds as transferred bytes. Holds nothing between jobs.
import { parentPort } from "node:worker_threads";
import { Piscina } from "piscina";
import { JOB_STARTED, packFailure, packResult, unpackUpload, type PackedResult, type PackedUpload } from "./import-transfer.js";
import { readUpload } from "./import-reading.js";

// kdbxweb uses WebCrypto when the global `crypto` has `subtle`, and Node runs WebCrypto's work as
// jobs on libuv's thread pool, which the whole process shares (sign-in's argon2 runs there). Without
// it, kdbxweb takes its node:crypto path, which computes on this thread (AES-KDF's millions of
// rounds included). This thread does nothing else, so nothing here needs the global.
Reflect.deleteProperty(globalThis, "crypto");

export default async function readInWorker(upload: PackedUpload): Promise<PackedResult | object> {
  // First of all, so that every job taken says so (the pool starts its clock on this message).
  parentPort?.postMessage(JOB_STARTED);
  const task = unpackUpload(upload);
  try {
    const { result, transfer } = packResult(await readUpload(task));
    // Moved, not copied: the seeds leave this thread with the buffer.
    return Piscina.move({ [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: result } as never);
  } catch (error) {
    return packFailure(error);
  } finally {
    task.password?.destroy();
    task.keyFile?.destroy();
  }
}
