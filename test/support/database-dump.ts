// Every row of every table of a test database as text, and the SQLite file's bytes: what a
// pg_dump or a copy of the data directory would give someone, for tests that plant a secret and
// search for it.
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { TestDatabase } from "./databases.js";
import { withRawDatabase } from "./raw-database.js";

const cellText = (value: unknown): string => (value instanceof Uint8Array ? `${Buffer.from(value).toString("hex")} ${Buffer.from(value).toString("latin1")}` : String(value));

/**
 * `select *` of every table, one line per row, tables by name and each table's lines sorted: a
 * table has no order of its own, and PostgreSQL returns rows as they lie on disk, where an UPDATE
 * that changes nothing still moves its row (a test that compared two dumps saw a throttle row move).
 */
export async function dumpEveryTable(db: TestDatabase): Promise<string> {
  return withRawDatabase(db, async (raw) => {
    const tables =
      db.kind === "sqlite"
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(raw)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${db.postgresSchema}`.execute(raw)).rows.map((r) => r.name);
    const lines: string[] = [];
    for (const table of tables.sort()) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(raw)).rows;
      lines.push(...rows.map((row) => `${table}: ${Object.values(row).map(cellText).join(" | ")}`).sort());
    }
    return lines.join("\n");
  });
}

/** The SQLite database file and its write-ahead log, as bytes read as Latin-1 (empty for PostgreSQL). */
export async function readSqliteFiles(db: TestDatabase): Promise<string> {
  if (db.kind !== "sqlite") return "";
  const parts: string[] = [];
  for (const name of ["watchword.db", "watchword.db-wal"]) {
    const bytes = await fs.readFile(path.join(db.dataDir, name)).catch(() => Buffer.alloc(0));
    parts.push(bytes.toString("latin1"));
  }
  return parts.join("\n");
}
