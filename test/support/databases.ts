// Runs a suite once per database: the embedded SQLite file and PostgreSQL (each test file gets
// its own PostgreSQL schema, so runs never collide). Under CI=true PostgreSQL must be reachable.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withDefaultUser } from "../../src/store/connect.js";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/test";
const connectionString = withDefaultUser(TEST_DATABASE_URL);
export const isCi = process.env.CI === "true";

export type DatabaseKind = "sqlite" | "postgres";

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresProblem = await probePostgres();
if (postgresProblem !== undefined && isCi) {
  throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is required under CI=true but cannot be reached: ${postgresProblem}`);
}
if (postgresProblem !== undefined) {
  process.stderr.write(`PostgreSQL tests are SKIPPED: ${TEST_DATABASE_URL} cannot be reached (${postgresProblem}).\n`);
}

/** The kinds to run against: both, or SQLite alone (said loudly) when PostgreSQL is absent outside CI. */
export const databaseKinds: DatabaseKind[] = postgresProblem === undefined ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly postgresSchema: string | undefined;
  /** Removes the data directory and drops the PostgreSQL schema. */
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-test-"));
  if (kind === "sqlite") {
    return { kind, dataDir, databaseUrl: undefined, postgresSchema: undefined, drop: () => fs.rm(dataDir, { recursive: true, force: true }) };
  }
  const schema = `ww_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    kind,
    dataDir,
    databaseUrl: TEST_DATABASE_URL,
    postgresSchema: schema,
    async drop() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table in the test database, as one string, to search for planted secrets. */
export async function dumpDatabase(db: TestDatabase): Promise<string> {
  if (db.kind === "sqlite") {
    const files = await fs.readdir(db.dataDir);
    const contents = await Promise.all(
      files.filter((f) => f.startsWith("watchword.db")).map((f) => fs.readFile(path.join(db.dataDir, f))),
    );
    return Buffer.concat(contents).toString("latin1");
  }
  const client = new pg.Client({ connectionString, options: `-c search_path=${db.postgresSchema}` });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1",
      [db.postgresSchema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select * from "${table_name}"`);
      parts.push(JSON.stringify(rows.rows, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString("latin1") : value)));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}
