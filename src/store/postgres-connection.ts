// Opens PostgreSQL through a pg pool: sessions bounded in time and named after their node, lost
// connections replaced rather than fatal, and every error of pg reaching the store through
// database-faults.ts. The only module that knows about pg.
import os from "node:os";
import pg from "pg";
import { Kysely, type PostgresCursor, type PostgresPool, type PostgresPoolClient } from "kysely";
import { problem, unavailable } from "../core/errors.js";
import { postgresCapabilities } from "./dialect.js";
import { rethrowAsDomainError } from "./database-faults.js";
import { CurrentSchemaPostgresDialect } from "./postgres-introspector.js";
import type { Connection } from "./connect.js";
import type { Database } from "./schema.js";

const PG_INT8_OID = 20;
/** Connections per node; several nodes share the server's max_connections. */
const POOL_MAX = 10;

/**
 * Every session's time bounds, so that no request waits without end behind a lock or a runaway
 * statement: a code request normally holds a lock for milliseconds, so a wait of seconds means
 * something is wrong and the person is better told (503) than kept waiting. Migrations lift them
 * (see dialect.ts). A database URL's own `options=-c …` come later and win.
 */
const SESSION_TIME_BOUNDS = {
  lock_timeout: "5s",
  statement_timeout: "15s",
  idle_in_transaction_session_timeout: "30s",
} as const;

/** Like libpq, a URL without a user name connects as the operating-system user. */
export function withDefaultUser(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== "") return url;
    parsed.username = encodeURIComponent(os.userInfo().username);
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * The session's startup options: the time bounds and schema first, then the URL's own `options`,
 * which pg would otherwise put in place of ours.
 */
function sessionStartup(url: string, schema: string | undefined): { connectionString: string; options: string } {
  const ours = [...Object.entries(SESSION_TIME_BOUNDS).map(([name, value]) => `-c ${name}=${value}`), ...(schema === undefined ? [] : [`-c search_path=${schema}`])];
  try {
    const parsed = new URL(url);
    const theirs = parsed.searchParams.get("options");
    parsed.searchParams.delete("options");
    return { connectionString: parsed.toString(), options: [...ours, ...(theirs === null ? [] : [theirs])].join(" ") };
  } catch {
    return { connectionString: url, options: ours.join(" ") };
  }
}

/** Names this process's sessions, so an operator (or a test) can find its backends in pg_stat_activity. */
const applicationName = (): string => `watchword:${process.pid}@${os.hostname()}`;

/**
 * The pool as Kysely sees it, with pg's errors turned into domain errors. pg emits 'error' on a
 * client whose connection ends (pg_terminate_backend, a restart, a failover, a proxy closing idle
 * connections); an 'error' event without a listener ends the process, so there always is one.
 */
function faultTolerantPool(pool: pg.Pool): PostgresPool {
  pool.on("error", (error) => {
    // An idle connection ended: pg-pool has dropped it and opens a new one when one is needed.
    process.emitWarning(`A PostgreSQL connection was lost (${error.message.slice(0, 200)}); a new one is opened when needed.`, "WatchwordWarning");
  });
  // Every client has its listener from birth: pg-pool hands a new client out from inside the
  // socket's data handler, which may go on to parse the server's goodbye before our code runs.
  // While a client is checked out, the query under way (or the next one) fails and reports the
  // loss as `unavailable`, and on release pg-pool sees that the client is broken and drops it.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        rethrowAsDomainError(error);
      }
      let wrapped = clients.get(client);
      if (wrapped === undefined) {
        // Kysely streams through a cursor (unused here) and runs everything else as text.
        const query = (text: string | PostgresCursor<unknown>, parameters?: readonly unknown[]): unknown =>
          typeof text === "string" ? client.query(text, parameters as unknown[]).catch(rethrowAsDomainError) : client.query(text as never);
        wrapped = { query: query as PostgresPoolClient["query"], release: () => client.release() };
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

export function openPostgres(url: string, schema: string | undefined, description: string): Connection {
  const pool = new pg.Pool({
    ...sessionStartup(withDefaultUser(url), schema),
    application_name: applicationName(),
    max: POOL_MAX,
    connectionTimeoutMillis: 5000,
    // Notices a peer that vanished without closing (a failover) on idle connections too.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Times are bigint milliseconds: within 2^53, so a JavaScript number holds them exactly.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: faultTolerantPool(pool) }) });
  return {
    db,
    dialect: postgresCapabilities,
    description,
    durable: () => Promise.resolve(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POOL_MAX }),
    close: () => db.destroy(),
  };
}

/**
 * The advisory lock that says "a Watchword node serves this schema": every node holds it shared
 * for as long as it runs, `watchword restore` takes it exclusively (postgres-backup.ts). The key is
 * a constant class and the hash of the schema's name, so vaults in other schemas never meet.
 */
export const SERVE_LOCK_CLASS = 0x5757;
export const serveLockSql = (mode: "shared" | "exclusive"): string =>
  `select pg_try_advisory_lock${mode === "shared" ? "_shared" : ""}(${SERVE_LOCK_CLASS}, hashtext(current_schema())) as held`;

export interface ServeLock {
  release(): Promise<void>;
}

/**
 * Holds the serve lock shared on a session of its own, outside the pool (a pooled session may be
 * closed when idle). If that session is lost (a restart, a failover), it is opened again and the
 * lock taken again; `onLost` is told meanwhile. Refuses with restore_in_progress when a restore
 * holds the lock.
 */
export async function holdPostgresServeLock(url: string, schema: string | undefined, description: string, onLost: (reason: string) => void): Promise<ServeLock> {
  let client: pg.Client | undefined;
  let isReleased = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ ...sessionStartup(withDefaultUser(url), schema), application_name: `${applicationName()}:serve-lock` });
    next.on("error", () => undefined);
    await next.connect();
    const held = (await next.query<{ held: boolean }>(serveLockSql("shared"))).rows[0]?.held === true;
    if (!held) {
      await next.end().catch(() => undefined);
      throw unavailable(problem("restore_in_progress", { database: description }));
    }
    next.on("end", () => {
      if (isReleased) return;
      onLost("the session holding the serve lock ended");
      const again = () => {
        retry = setTimeout(() => {
          connect().catch((error: unknown) => {
            onLost(error instanceof Error ? error.message.slice(0, 200) : String(error));
            again();
          });
        }, 1000);
        retry.unref();
      };
      again();
    });
    client = next;
  };
  try {
    await connect();
  } catch (error) {
    if (error instanceof Error && error.name === "WatchwordError") throw error;
    rethrowAsDomainError(error);
  }
  return {
    async release() {
      isReleased = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
