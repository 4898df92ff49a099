// Opens the database the configuration names: the embedded SQLite file (WAL, durable commits)
// or a PostgreSQL server (postgres-connection.ts). The only place that knows about better-sqlite3.
import fs from "node:fs";
import path from "node:path";
import { Kysely, SqliteDialect, type SqliteStatement, type Driver } from "kysely";
import { problem, unavailable } from "../core/errors.js";
import { sqliteCapabilities, type DialectCapabilities } from "./dialect.js";
import { openPostgres } from "./postgres-connection.js";
import { loadSqlite, type SqliteConnection } from "./sqlite-module.js";
import { isWriteStatement, SqliteFileDriver, type SqliteHandle } from "./sqlite-driver.js";
import { watchSqliteFile, type StorageProblem } from "./sqlite-file-health.js";
import { createWalCheckpointer, type WalCheckpointer } from "./wal-checkpointer.js";
import { createWalSync } from "./wal-sync.js";
import type { Database } from "./schema.js";

export interface DatabaseTarget {
  /** postgres://… or undefined for SQLite. */
  readonly databaseUrl: string | undefined;
  /** Used for SQLite: the file lives here as watchword.db. */
  readonly dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  readonly postgresSchema?: string;
  /** SQLite: checkpoint the WAL in a worker thread instead of inside commits (the server does). */
  readonly backgroundCheckpoints?: boolean;
}

export interface Connection {
  readonly db: Kysely<Database>;
  readonly dialect: DialectCapabilities;
  /** A description for logs and errors, never containing a password. */
  readonly description: string;
  /**
   * Resolves once every transaction committed so far is on disk. PostgreSQL commits are durable
   * when they return; SQLite transactions sync asynchronously (see wal-sync.ts).
   */
  readonly durable: () => Promise<void>;
  /**
   * SQLite only: the first storage check that fails (the file is still the one opened, writable,
   * its disk has room, no other process holds the write lock), or undefined.
   */
  readonly storageProblem?: () => Promise<StorageProblem | undefined>;
  /** Closes everything the connection opened, whether or not a query ever ran. */
  readonly close: () => Promise<void>;
  /** The connections open, idle, and the callers waiting for one (for the metrics). */
  readonly poolStats: () => PoolStats;
  /** SQLite only: what the look-up cache needs to know when to forget (see lookup-cache.ts). */
  readonly changes?: {
    /** `PRAGMA data_version`: changes when another connection or process has committed. */
    readonly foreignVersion: () => number;
    /** Called after each statement of this connection that may change a cached look-up. */
    onLocalWrite(listener: () => void): void;
  };
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  /** The most the pool opens. */
  readonly max: number;
}

export { withDefaultUser } from "./postgres-connection.js";

export const sqliteFile = (dataDir: string): string => path.join(dataDir, "watchword.db");

/**
 * "The database file …" when the target certainly holds no database yet, checked without opening
 * it (opening a SQLite file creates it); undefined otherwise. A PostgreSQL schema can be told
 * empty only once connected (the migration status says so).
 */
export function absentDatabase(target: DatabaseTarget): string | undefined {
  if (target.databaseUrl !== undefined) return undefined;
  const file = sqliteFile(target.dataDir);
  return fs.existsSync(file) ? undefined : `The database file ${file}`;
}

/** A database URL with any password replaced, safe for logs and errors. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}

/** Writes that cannot change a session, user or entry: the audit log's, and transaction control. */
const LEAVES_LOOKUPS_ALONE = /^(insert into audit_events |update "audit_head" |pragma synchronous|begin|commit|rollback|savepoint|release)/i;

/** Reports every other write statement after it runs, for the look-up cache. */
function reportingWrites(statement: SqliteStatement, text: string, onWrite: () => void): SqliteStatement {
  // better-sqlite3 counts an UPDATE … RETURNING as a reader, since it returns rows.
  if (!isWriteStatement(statement, text) || LEAVES_LOOKUPS_ALONE.test(text)) return statement;
  const reporting = <T>(run: () => T): T => {
    try {
      return run();
    } finally {
      onWrite();
    }
  };
  return {
    reader: statement.reader,
    all: (parameters) => reporting(() => statement.all(parameters)),
    iterate: (parameters) => reporting(() => statement.iterate(parameters)),
    run: (parameters) => reporting(() => statement.run(parameters)),
  };
}

/**
 * Kysely prepares every query afresh; compiling SQL was a third of the code endpoint's CPU time.
 * Statements are reusable in better-sqlite3 and each runs to completion synchronously (the driver
 * hands the single connection to one caller at a time), so the most recently used 256 are kept,
 * keyed by their SQL text.
 */
function withStatementCache(database: SqliteConnection, onWrite: () => void, size = 256): SqliteHandle {
  const cache = new Map<string, SqliteStatement>();
  return {
    get inTransaction() {
      return database.inTransaction;
    },
    close() {
      cache.clear();
      database.close();
    },
    prepare(text) {
      let statement = cache.get(text);
      if (statement !== undefined) {
        cache.delete(text);
      } else {
        statement = reportingWrites(database.prepare(text) as unknown as SqliteStatement, text, onWrite);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/** Kysely's SQLite dialect (its compiler and adapter) over our own driver. */
class FileSqliteDialect extends SqliteDialect {
  readonly #driver: SqliteFileDriver;
  constructor(handle: SqliteHandle, driver: SqliteFileDriver) {
    super({ database: handle });
    this.#driver = driver;
  }
  override createDriver(): Driver {
    return this.#driver;
  }
}

/** How often, at most, the background checkpointer runs while something is being written. */
const CHECKPOINT_INTERVAL_MS = 100;
/** How long a write waits for another process's write lock before it fails with 503 (the old busy_timeout, now off the event loop). */
const BUSY_WAIT_MS = 5000;
/** How long readiness waits for the write lock before it says another process holds it. */
const READINESS_LOCK_WAIT_MS = 200;

function openSqlite(dataDir: string, backgroundCheckpoints: boolean): Connection {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = sqliteFile(dataDir);
  const Sqlite = loadSqlite();
  const database = new Sqlite(file);
  const health = watchSqliteFile(file);
  // The file holds password hashes and sealed secrets: readable by the owner only.
  fs.chmodSync(file, 0o600);
  // WAL with synchronous=FULL: a single write is on disk when it returns. Transactions commit
  // under NORMAL and are synced off the event loop before the Store reports them done.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  const walSync = createWalSync(`${file}-wal`);
  let checkpointer: WalCheckpointer | undefined;
  if (backgroundCheckpoints) {
    database.pragma("wal_autocheckpoint = 0");
    checkpointer = createWalCheckpointer(file, {
      intervalMs: CHECKPOINT_INTERVAL_MS,
      onError: (message) => process.emitWarning(`The WAL checkpoint of ${file} failed: ${message}`, "WatchwordWarning"),
    });
  }
  database.pragma("foreign_keys = ON");
  // Deleted and overwritten content (an old seed's ciphertext) is zeroed, not left in free pages.
  database.pragma("secure_delete = ON");
  // From here on a lock held by another process is waited for by the driver, off the event loop.
  database.pragma("busy_timeout = 0");
  const dataVersion = database.prepare("pragma data_version").pluck();
  const writeListeners: (() => void)[] = [];
  const onWrite = () => {
    checkpointer?.nudge();
    for (const listener of writeListeners) listener();
  };
  const handle = withStatementCache(database, onWrite);
  const driver = new SqliteFileDriver({
    handle,
    busyWaitMs: BUSY_WAIT_MS,
    beforeWrite: health.assertSameFile,
    beforeClose: () => walSync.close(),
    // After the server's own connection: the checkpointer's is then the last, which folds the WAL
    // into the database file as it closes.
    afterClose: async () => await checkpointer?.close(),
  });
  const db = new Kysely<Database>({ dialect: new FileSqliteDialect(handle, driver) });
  return {
    db,
    dialect: sqliteCapabilities,
    description: `SQLite file ${file}`,
    async storageProblem() {
      const failed = await health.problem();
      if (failed !== undefined) return failed;
      if (await driver.canTakeWriteLock(READINESS_LOCK_WAIT_MS)) return undefined;
      return { check: "writable", detail: problem("database_write_lock_held") };
    },
    // One connection, handed to one caller at a time: "waiting" is the queue behind it.
    poolStats: () => driver.poolStats(),
    durable: () => {
      checkpointer?.nudge();
      return walSync.sync();
    },
    async close() {
      await db.destroy();
      // Kysely closes the database only if a query ran; the handle was opened above regardless.
      if (database.open) database.close();
      await walSync.close();
      await checkpointer?.close();
    },
    changes: {
      foreignVersion: () => dataVersion.get() as number,
      onLocalWrite: (listener) => void writeListeners.push(listener),
    },
  };
}

export function openDatabase(target: DatabaseTarget): Connection {
  if (target.databaseUrl === undefined) return openSqlite(target.dataDir, target.backgroundCheckpoints ?? false);
  if (target.postgresSchema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(target.postgresSchema)) {
    throw unavailable(problem("postgres_schema_invalid"));
  }
  return openPostgres(target.databaseUrl, target.postgresSchema, `PostgreSQL ${describeDatabaseUrl(target.databaseUrl)}`);
}
