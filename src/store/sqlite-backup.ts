// Backing up and putting back the embedded SQLite file. The copy is made with SQLite's online
// backup API (better-sqlite3's backup()) from a read-only connection, so the server goes on
// serving meanwhile; a restore stages the backup's file beside the live one, prepares it there,
// and renames it into place while holding the live file exclusively (no server can have it open).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { constants } from "node:fs";
import { problem, unavailable } from "../core/errors.js";
import { sqliteFile } from "./connect.js";
import { loadSqlite, type SqliteConnection } from "./sqlite-module.js";

/** Pages copied per step of the backup API: every page in one step, so a write by the server meanwhile cannot make the copy start over. */
const ALL_PAGES = 1 << 30;

/**
 * Copies the live database to `to` as one consistent snapshot, checks the copy with
 * `PRAGMA integrity_check` and leaves it a single file (rollback journal, no WAL beside it).
 */
export async function copySqliteDatabase(dataDir: string, to: string): Promise<void> {
  const Sqlite = loadSqlite();
  const source = new Sqlite(sqliteFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    await source.backup(to, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  const copy = new Sqlite(to);
  try {
    copy.pragma("journal_mode = DELETE");
    const verdict = copy.pragma("integrity_check", { simple: true }) as unknown;
    if (verdict !== "ok") throw unavailable(problem("backup_copy_damaged", { reason: String(verdict).slice(0, 200) }));
  } finally {
    copy.close();
  }
}

/** Whether a file (a staged database) passes `PRAGMA integrity_check`; the reason when not. */
export function checkSqliteFile(file: string): string | undefined {
  const Sqlite = loadSqlite();
  let database: SqliteConnection | undefined;
  try {
    database = new Sqlite(file, { fileMustExist: true });
    const verdict = database.pragma("integrity_check", { simple: true }) as unknown;
    return verdict === "ok" ? undefined : String(verdict).slice(0, 200);
  } catch (error) {
    return error instanceof Error ? error.message.slice(0, 200) : String(error);
  } finally {
    database?.close();
  }
}

/** The live file held exclusively for a restore; undefined where there is no database yet. */
export interface ExclusiveHold {
  /** Replaces the live database with `staged` (a file on the same file system) and lets go. */
  replaceWith(staged: string): Promise<void>;
  release(): void;
}

const isBusy = (error: unknown): boolean => typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && error.code.startsWith("SQLITE_BUSY");

/**
 * Takes the live database in EXCLUSIVE locking mode. In WAL mode every connection keeps a shared
 * lock for as long as it is open, idle or not, so this fails at once while a `watchword serve` (or
 * any other process) has the file open: the server need not write a pid file that a crash would
 * leave behind, and the kernel lets go of its locks when it dies. Held, it also keeps a server from
 * starting until the restore is done.
 */
export function holdSqliteExclusively(dataDir: string): ExclusiveHold | undefined {
  const file = sqliteFile(dataDir);
  if (!existsSync(file)) return undefined;
  const Sqlite = loadSqlite();
  const database = new Sqlite(file, { fileMustExist: true });
  try {
    database.pragma("busy_timeout = 0");
    database.pragma("locking_mode = EXCLUSIVE");
    database.exec("begin exclusive");
    database.exec("commit");
    // A server killed mid-flight leaves committed transactions in the WAL: fold them in (they are replaced anyway, but the WAL must not outlive its database).
    database.pragma("wal_checkpoint(TRUNCATE)");
  } catch (error) {
    database.close();
    if (isBusy(error)) throw unavailable(problem("restore_while_serving", { database: `SQLite file ${file}` }));
    throw error;
  }
  let isHeld = true;
  const release = () => {
    if (!isHeld) return;
    isHeld = false;
    database.close();
  };
  return {
    async replaceWith(staged) {
      await replaceFile(staged, file);
      release();
      // The old database's WAL index; the new file starts without one.
      await rm(`${file}-shm`, { force: true });
      await rm(`${file}-wal`, { force: true });
    },
    release,
  };
}

/** Renames `staged` over `file` and syncs the directory, so the new name survives a crash. */
async function replaceFile(staged: string, file: string): Promise<void> {
  const handle = await open(staged, constants.O_RDONLY);
  await handle.sync().finally(() => handle.close());
  await rename(staged, file);
  const directory = await open(path.dirname(file), constants.O_RDONLY);
  await directory.sync().finally(() => directory.close());
}

/** A new directory in the data directory (the same file system as the live file) for staging a restore. */
export async function makeStagingDirectory(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const directory = path.join(dataDir, `.restore-${randomBytes(4).toString("hex")}`);
  await mkdir(directory, { mode: 0o700 });
  return directory;
}

/** Puts a staged database into an empty data directory (a restore onto a new machine). */
export async function placeSqliteFile(staged: string, dataDir: string): Promise<void> {
  await replaceFile(staged, sqliteFile(dataDir));
}
