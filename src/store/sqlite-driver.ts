// Kysely's driver for the embedded SQLite file, in place of Kysely's own SqliteDriver: the one place
// that waits for another process's write lock, and the one place every write passes through.
//
// better-sqlite3 is synchronous: with a busy_timeout, a statement that meets another process's write
// lock (a `watchword user add`, a sqlite3 shell left in a transaction) sleeps inside SQLite and freezes
// the whole event loop for as long as the timeout (a /healthz took 19 s). So the connection runs with
// busy_timeout 0, and SQLITE_BUSY is retried here, after timers, with the connection handed back to
// other queries meanwhile (reads never need the write lock in WAL mode), for at most `busyWaitMs`;
// then the caller gets a 503 that says why. Kysely's driver has no seam for either, hence this file.
import { SelectQueryNode, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase, type SqliteStatement } from "kysely";
import { isWatchwordError, problem, unavailable, type WatchwordError } from "../core/errors.js";

/** What the driver needs from the file: better-sqlite3's handle, as the statement cache wraps it. */
export interface SqliteHandle extends SqliteDatabase {
  /** better-sqlite3's `inTransaction`: true between BEGIN and COMMIT/ROLLBACK. */
  readonly inTransaction: boolean;
}

export interface SqliteDriverOptions {
  readonly handle: SqliteHandle;
  /** Longest wait for another connection's write lock before a write gives up. */
  readonly busyWaitMs: number;
  /** Throws when the file is no longer the one opened (see sqlite-file-health.ts); runs before every write. */
  readonly beforeWrite: () => void;
  /** Closes what the connection's durability needs (WAL sync, checkpointer), around closing the handle. */
  readonly beforeClose: () => Promise<void>;
  readonly afterClose: () => Promise<void>;
}

export const databaseBusy = (waitedMs: number): WatchwordError =>
  unavailable(problem("database_write_locked", { count: Math.round(waitedMs / 1000) }));

const isBusy = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && error.code.startsWith("SQLITE_BUSY");

/** Statements that change data; only these need the file guard outside a transaction. */
const WRITES = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;
export const isWriteStatement = (statement: SqliteStatement, text: string): boolean => WRITES.test(text) || (!statement.reader && !/^\s*pragma\b/i.test(text));

/** Pauses between tries: quick at first (most locks are held for microseconds), then every 25 ms. */
const BACKOFF_MS = [1, 2, 4, 8, 16, 25];

/** One connection, used by one caller at a time, in the order they asked. */
class ConnectionLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];
  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  get isHeld(): boolean {
    return this.#held;
  }
  get waitingCount(): number {
    return this.#waiting.length;
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#held = false;
  }
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, for at most `boundMs`, then throws
 * databaseBusy. With `lock`, the connection is given back to other callers during each pause: only
 * for attempts that leave nothing open behind them (a single statement, a BEGIN that failed).
 * The first try runs at once: that is the path of every query that meets no lock.
 */
function untilNotBusy<T>(attempt: () => T, boundMs: number, lock: ConnectionLock | undefined): Promise<T> {
  try {
    return Promise.resolve(attempt());
  } catch (error) {
    if (!isBusy(error)) return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return retryWhileBusy(attempt, boundMs, lock);
}

async function retryWhileBusy<T>(attempt: () => T, boundMs: number, lock: ConnectionLock | undefined): Promise<T> {
  const started = performance.now();
  for (let tries = 0; ; tries += 1) {
    const waited = performance.now() - started;
    if (waited >= boundMs) throw databaseBusy(waited);
    const pause = Math.min(BACKOFF_MS[Math.min(tries, BACKOFF_MS.length - 1)]!, boundMs - waited);
    lock?.release();
    await new Promise((resolve) => setTimeout(resolve, pause));
    await lock?.acquire();
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }
}

const run = (handle: SqliteDatabase, sql: string, parameters: readonly unknown[] = []): QueryResult<unknown> =>
  runStatement(handle.prepare(sql), parameters);

function runStatement(statement: SqliteStatement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: changes === undefined || changes === null ? undefined : BigInt(changes),
    insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid),
    rows: [],
  };
}

class SqliteFileConnection implements DatabaseConnection {
  readonly #options: SqliteDriverOptions;
  readonly #lock: ConnectionLock;
  constructor(options: SqliteDriverOptions, lock: ConnectionLock) {
    this.#options = options;
    this.#lock = lock;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { handle, busyWaitMs, beforeWrite } = this.#options;
    const { sql, parameters } = compiled;
    // Inside a transaction the write lock is ours (BEGIN IMMEDIATE) and the guard ran at BEGIN.
    if (handle.inTransaction) return untilNotBusy(() => run(handle, sql, parameters) as QueryResult<R>, busyWaitMs, undefined);
    return untilNotBusy(
      () => {
        const statement = handle.prepare(sql);
        if (isWriteStatement(statement, sql)) beforeWrite();
        return runStatement(statement, parameters) as QueryResult<R>;
      },
      busyWaitMs,
      this.#lock,
    );
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("The SQLite driver streams only SELECT queries.");
    for (const row of this.#options.handle.prepare(compiled.sql).iterate(compiled.parameters)) yield { rows: [row as R] };
  }
}

/**
 * Transactions start with BEGIN IMMEDIATE: a transaction that reads and then writes (a counter, the
 * audit chain head) holds the write lock from its first statement, so another process cannot slip a
 * write in between and no lock upgrade can deadlock.
 *
 * They commit under synchronous=NORMAL, without the blocking fsync: the Store waits for the WAL sync
 * afterwards, off the event loop (wal-sync.ts). Single statements outside a transaction run under
 * synchronous=FULL and are durable when they return. SQLite refuses to change `synchronous` inside a
 * transaction, so it is set before each BEGIN and restored once none is open.
 */
export class SqliteFileDriver implements Driver {
  readonly #options: SqliteDriverOptions;
  readonly #lock = new ConnectionLock();
  readonly #connection: SqliteFileConnection;
  constructor(options: SqliteDriverOptions) {
    this.#options = options;
    this.#connection = new SqliteFileConnection(options, this.#lock);
  }

  async init(): Promise<void> {}

  /** The one connection: idle or in use, and how many callers wait for it. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } {
    return { total: 1, idle: this.#lock.isHeld ? 0 : 1, waiting: this.#lock.waitingCount, max: 1 };
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(): Promise<void> {
    const { handle, busyWaitMs, beforeWrite } = this.#options;
    await untilNotBusy(
      () => {
        beforeWrite();
        run(handle, "pragma synchronous = normal");
        try {
          run(handle, "begin immediate");
        } catch (error) {
          run(handle, "pragma synchronous = full");
          throw error;
        }
      },
      busyWaitMs,
      this.#lock,
    );
  }

  async commitTransaction(): Promise<void> {
    const { handle, busyWaitMs } = this.#options;
    // A COMMIT that meets SQLITE_BUSY leaves the transaction open and may be retried (sqlite.org/lang_transaction.html).
    await untilNotBusy(() => run(handle, "commit"), busyWaitMs, undefined);
    run(handle, "pragma synchronous = full");
  }

  async rollbackTransaction(): Promise<void> {
    const { handle } = this.#options;
    // A failed COMMIT (a full disk) may already have rolled the transaction back.
    if (handle.inTransaction) run(handle, "rollback");
    run(handle, "pragma synchronous = full");
  }

  /**
   * True when this connection can take the write lock right now (or within `waitMs`), for
   * readiness; it writes nothing. False while another process holds the lock.
   */
  async canTakeWriteLock(waitMs: number): Promise<boolean> {
    const { handle } = this.#options;
    await this.#lock.acquire();
    try {
      await untilNotBusy(() => run(handle, "begin immediate"), waitMs, this.#lock);
      run(handle, "rollback");
      return true;
    } catch (error) {
      if (isWatchwordError(error)) return false;
      throw error;
    } finally {
      this.#lock.release();
    }
  }

  async destroy(): Promise<void> {
    await this.#options.beforeClose();
    this.#options.handle.close();
    await this.#options.afterClose();
  }
}
