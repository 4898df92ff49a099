// Files the client verbs upload (export files, QR images): read whole, with a size limit checked
// before reading, and errors that name the file.
import fs from "node:fs/promises";
import { invalidInput, notFound, WatchwordError } from "../core/errors.js";

/** The server takes 30 MB of base64; 10 MiB of file is well inside that and far above any real export. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const mebibytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

export async function readInputFile(file: string, limit = MAX_UPLOAD_BYTES): Promise<Buffer> {
  let handle;
  try {
    handle = await fs.open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw notFound(`No file named ${file}.`);
    if (code === "EACCES" || code === "EPERM") throw new WatchwordError("forbidden", `Cannot read ${file}: permission denied.`);
    if (code === "EISDIR") throw invalidInput(`${file} is a directory, not a file.`, "file");
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw invalidInput(`${file} is not a regular file.`, "file");
    if (stat.size > limit) {
      throw new WatchwordError("payload_too_large", `${file} is ${mebibytes(stat.size)}; the limit is ${mebibytes(limit)}.`);
    }
    if (stat.size === 0) throw invalidInput(`${file} is empty.`, "file");
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
