// /readyz on both databases: ready on a current schema, and naming the check that failed when the
// schema is behind this version of Watchword (a migration recorded as applied is taken back).
// SQLite's file, lock and disk checks are in sqlite-faults.test.ts and full-disk.test.ts.
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDefaultUser } from "../../src/store/connect.js";
import { migrations } from "../../src/store/migrations/index.js";
import { loadSqlite } from "../../src/store/sqlite-module.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

/** Runs SQL on the test database from a connection of its own, as another process would. */
async function executeElsewhere(db: TestDatabase, text: string, parameters: unknown[] = []): Promise<void> {
  if (db.kind === "sqlite") {
    const other = new (loadSqlite())(path.join(db.dataDir, "watchword.db"), { fileMustExist: true });
    try {
      other.prepare(text).run(...parameters);
    } finally {
      other.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL), options: `-c search_path=${db.postgresSchema}` });
  await client.connect();
  try {
    await client.query(text.replace(/\?/g, (_, offset: number) => `$${text.slice(0, offset).split("?").length}`), parameters);
  } finally {
    await client.end();
  }
}

describe.each(databaseKinds)("readiness on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const readiness = async () => {
    const response = await fetch(`${server.url}/readyz`);
    return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
  };

  it("is ready when the database answers and its schema is current", async () => {
    expect(await readiness()).toMatchObject({ status: 200, body: { status: "ready", database: "ok", migrations: "current" } });
  });

  it("names the migrations check when the schema is behind this version of Watchword", async () => {
    const latest = Object.keys(migrations).sort().at(-1)!;
    await executeElsewhere(db, "delete from schema_migrations where name = ?", [latest]);
    try {
      const notReady = await readiness();
      expect(notReady.status).toBe(503);
      expect(notReady.type).toMatch(/^application\/problem\+json/);
      expect(notReady.body).toMatchObject({ code: "unavailable", check: "migrations", detail: expect.stringMatching(/schema is not current/) });
    } finally {
      await executeElsewhere(db, "insert into schema_migrations (name, timestamp) values (?, ?)", [latest, new Date().toISOString()]);
    }
    expect((await readiness()).status).toBe(200);
  });
});
