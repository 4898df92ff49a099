// A PostgreSQL database that other applications (or other Watchword vaults, each in its schema)
// share: schemas created and dropped beside ours while migrations run must not fail them. Kysely's
// own introspection read every schema's tables by name, and a schema dropped meanwhile made
// `migrate` fail with "schema … does not exist" (seen in CI, where each test file has a schema).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, withDefaultUser } from "../../src/store/connect.js";
import { migrateToLatest, readMigrationStatus } from "../../src/store/migrate.js";
import { TEST_DATABASE_URL, createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const ROUNDS = 6;

describe.runIf(databaseKinds.includes("postgres"))("migrations in a PostgreSQL database other schemas come and go in", () => {
  const databases: TestDatabase[] = [];
  let churn: pg.Client;

  beforeAll(async () => {
    churn = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL) });
    await churn.connect();
  });
  afterAll(async () => {
    await churn?.end();
    for (const db of databases) await db.drop();
  });

  it("migrate and the migration status never trip over a schema dropped beside them", { timeout: 120_000 }, async () => {
    let isDone = false;
    let churned = 0;
    // Another tenant of the database: schemas with tables, created and dropped as fast as it can.
    const neighbour = (async () => {
      while (!isDone) {
        const name = `ww_neighbour_${process.pid}_${churned}`;
        await churn.query(`create schema ${name}; create table ${name}.t (id serial primary key, note text); create table ${name}.u (id int)`);
        await churn.query(`drop schema ${name} cascade`);
        churned += 1;
      }
    })();
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const db = await createTestDatabase("postgres");
        databases.push(db);
        const connection = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, postgresSchema: db.postgresSchema });
        try {
          expect((await migrateToLatest(connection.db, connection.dialect)).length).toBeGreaterThan(0);
          expect(await readMigrationStatus(connection.db, connection.dialect)).toEqual({ current: true, pending: [], unknown: [] });
        } finally {
          await connection.close();
        }
      }
    } finally {
      isDone = true;
      await neighbour;
    }
    expect(churned).toBeGreaterThan(0); // the neighbour really did come and go meanwhile
  });
});
