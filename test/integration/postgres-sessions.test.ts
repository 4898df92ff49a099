// PostgreSQL sessions as the store opens them: bounded in time, named after their node, the URL's
// own options kept; and what a session's faults become (`unavailable`, with a sentence).
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isWatchwordError } from "../../src/core/errors.js";
import { openDatabase, withDefaultUser, type Connection } from "../../src/store/connect.js";
import { renderProblem } from "../../src/core/problems/catalogue.js";
import { DATABASE_BUSY, DATABASE_UNREACHABLE } from "../../src/store/database-faults.js";
import { createStore, openStore } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";

/** Kysely's migration lock on PostgreSQL (PostgresAdapter's LOCK_ID): what another node's migration holds. */
const KYSELY_MIGRATION_LOCK = "3853314791062309107";

const withOptions = (options: string): string => {
  const url = new URL(withDefaultUser(TEST_DATABASE_URL));
  url.searchParams.set("options", options);
  return url.toString();
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settings(connection: Connection): Promise<Record<string, string>> {
  const { rows } = await sql<Record<string, string>>`select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement,
    current_setting('idle_in_transaction_session_timeout') as idle, current_setting('application_name') as name, current_schema() as schema`.execute(connection.db);
  return rows[0]!;
}

describe.skipIf(!databaseKinds.includes("postgres"))("PostgreSQL sessions", () => {
  let db: TestDatabase;
  const opened: Connection[] = [];
  const open = (databaseUrl: string, postgresSchema?: string): Connection => {
    const connection = openDatabase({ databaseUrl, dataDir: db.dataDir, ...(postgresSchema === undefined ? {} : { postgresSchema }) });
    opened.push(connection);
    return connection;
  };

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await db.drop();
  });

  it("bounds every session's lock, statement and idle-in-transaction time, and names it after its node", async () => {
    const connection = open(TEST_DATABASE_URL, db.postgresSchema);
    const found = await settings(connection);
    expect(found).toMatchObject({ lock: "5s", statement: "15s", idle: "30s", schema: db.postgresSchema });
    expect(found.name).toBe(`watchword:${process.pid}@${os.hostname()}`.slice(0, 63));
  });

  it("keeps the database URL's own options, which win over the bounds", async () => {
    const connection = open(withOptions(`-c search_path=${db.postgresSchema} -c lock_timeout=1500ms`));
    expect(await settings(connection)).toMatchObject({ lock: "1500ms", statement: "15s", schema: db.postgresSchema });
  });

  it("ends a statement past its time-out as unavailable (busy), and the session serves on", async () => {
    const connection = open(withOptions("-c statement_timeout=200ms"));
    const started = Date.now();
    const error: unknown = await sql`select pg_sleep(3)`.execute(connection.db).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isWatchwordError(error) && [error.code, error.message]).toEqual(["unavailable", renderProblem(DATABASE_BUSY)]);
    expect((await sql<{ one: number }>`select 1 as one`.execute(connection.db)).rows).toEqual([{ one: 1 }]);
  });

  it("loses a transaction left idle past its time-out as unavailable, and the next request gets a new session", async () => {
    const connection = open(withOptions("-c idle_in_transaction_session_timeout=200ms"));
    const error: unknown = await connection.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sleep(700);
        await sql`select 1`.execute(trx);
      })
      .catch((e: unknown) => e);
    expect(isWatchwordError(error) && [error.code, error.message]).toEqual(["unavailable", renderProblem(DATABASE_UNREACHABLE)]);
    expect((await sql<{ one: number }>`select 1 as one`.execute(connection.db)).rows).toEqual([{ one: 1 }]);
  });

  it("lets migrations wait for another node's migration past the session's bounds, then restores them", async () => {
    const holder = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL) });
    await holder.connect();
    const fresh = await createTestDatabase("postgres");
    const connection = openDatabase({ databaseUrl: withOptions(`-c search_path=${fresh.postgresSchema} -c statement_timeout=300ms -c lock_timeout=300ms`), dataDir: fresh.dataDir });
    const store = createStore(connection);
    try {
      await holder.query(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK})`);
      const started = Date.now();
      const migrated = store.migrate();
      await sleep(1200);
      await holder.query(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK})`);
      expect((await migrated).length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
      expect(await store.migrationStatus()).toMatchObject({ current: true });
      // The migration's session went back to the pool: it, and every other, is bounded again.
      for (const found of await Promise.all([settings(connection), settings(connection), settings(connection)])) {
        expect(found).toMatchObject({ lock: "300ms", statement: "300ms", idle: "30s" });
      }
    } finally {
      await holder.end();
      await store.close();
      await fresh.drop();
    }
  });

  it("says the database cannot be reached when nothing listens, naming no password", async () => {
    const port = await closedPort();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-unreachable-"));
    const store = openStore({ databaseUrl: `postgres://vault:planted-Pw-31@127.0.0.1:${port}/vault`, dataDir });
    try {
      const error: unknown = await store.ping().catch((e: unknown) => e);
      expect(isWatchwordError(error) && [error.code, error.message]).toEqual(["unavailable", renderProblem(DATABASE_UNREACHABLE)]);
      expect(String((error as Error).stack)).not.toContain("planted-Pw-31");
    } finally {
      await store.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** A port on loopback that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
