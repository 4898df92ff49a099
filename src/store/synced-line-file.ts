// An append-only file of whole lines, each fsync'd before its write resolves, written one at a
// time in order: the audit checkpoint file and the HOTP high-water marks. The file and its
// directory are private (600, 700); a new file's name is made durable by syncing its directory.
import { constants } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import path from "node:path";

export interface SyncedLineFile {
  /** Resolves once the line is on disk; rejects with what `refuse` made of the failure. */
  append(line: string): Promise<void>;
  /** Waits for the writes under way, then closes the file. */
  close(): Promise<void>;
}

export function openSyncedLineFile(file: string, refuse: (error: unknown) => Error): SyncedLineFile {
  let handle: FileHandle | undefined;
  let queue: Promise<void> = Promise.resolve();
  const openOnce = async (): Promise<FileHandle> => {
    if (handle !== undefined) return handle;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    if (process.platform !== "win32") {
      const directory = await open(path.dirname(file), constants.O_RDONLY);
      await directory.sync().finally(() => directory.close());
    }
    return handle;
  };
  const write = async (line: string): Promise<void> => {
    try {
      const target = await openOnce();
      await target.appendFile(`${line}\n`, "utf8");
      await target.sync();
    } catch (error) {
      throw refuse(error);
    }
  };
  return {
    append(line) {
      const next = queue.then(() => write(line));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      await handle?.close();
      handle = undefined;
    },
  };
}
