// Whether the SQLite file the server has open is still the file at its path, can be written, and has
// room on its disk: the identity before every write (one stat), everything for /readyz. A file
// deleted or replaced under a running server would otherwise take every later write, audit events
// included, into an inode nobody will ever open again. Never opens or creates the file.
import fs from "node:fs";
import path from "node:path";
import { problem, unavailable, type ProblemText } from "../core/errors.js";

export type StorageCheck = "database_file" | "writable" | "disk_space";

export interface StorageProblem {
  readonly check: StorageCheck;
  /** A sentence for the operator. */
  readonly detail: ProblemText;
}

/** Below this much free space readiness fails, ahead of the writes that would fail on a full disk. */
export const MIN_FREE_BYTES = 4 * 1024 * 1024;

export interface SqliteFileHealth {
  /** Throws unavailable when the path no longer names the file that was opened. */
  assertSameFile(): void;
  /** The first check that fails (same file, writable, room on the disk), or undefined. */
  problem(): Promise<StorageProblem | undefined>;
}

const errorCode = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "unknown error";

/** Call right after opening `file`: its device and inode then are the opened file's. */
export function watchSqliteFile(file: string): SqliteFileHealth {
  const opened = fs.statSync(file);
  const changed = () => problem("database_file_replaced", { file });
  const isSameFile = (): boolean => {
    const now = fs.statSync(file, { throwIfNoEntry: false });
    return now !== undefined && now.ino === opened.ino && now.dev === opened.dev;
  };

  return {
    assertSameFile() {
      if (!isSameFile()) throw unavailable(changed());
    },
    async problem() {
      if (!isSameFile()) return { check: "database_file", detail: changed() };
      try {
        await fs.promises.access(file, fs.constants.W_OK);
      } catch (error) {
        return { check: "writable", detail: problem("database_file_not_writable", { file, reason: errorCode(error) }) };
      }
      const directory = path.dirname(file);
      let free: number;
      try {
        const { bavail, bsize } = await fs.promises.statfs(directory);
        free = bavail * bsize;
      } catch (error) {
        return { check: "disk_space", detail: problem("disk_space_unknown", { directory, reason: errorCode(error) }) };
      }
      if (free < MIN_FREE_BYTES) {
        const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
        return {
          check: "disk_space",
          detail: problem("disk_space_low", { free: mib(free), directory, needed: mib(MIN_FREE_BYTES) }),
        };
      }
      return undefined;
    },
  };
}
