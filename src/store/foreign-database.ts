// Reads one table of another app's SQLite database handed in as an upload (Google Authenticator
// keeps its seeds in one). The file is untrusted, so it is opened the way SQLite's "Defense Against
// the Dark Arts" advises (https://sqlite.org/security.html): in memory and read-only, never on disk;
// no schema-defined function may run (trusted_schema=OFF); cell sizes are checked; the whole file
// must pass quick_check before any row is read; only a real table (not a view) of that name is
// read, only the columns asked for, and at most `maxRows` rows. A database in WAL mode (Stratum's,
// say) is read as the snapshot its main file holds: the copy's header is switched to the rollback
// journal, since an in-memory database cannot open a write-ahead log (sqlite.org/fileformat2.html).
import { invalidInput, problem } from "../core/errors.js";
import type { ForeignTableReader } from "../core/intake/format-context.js";
import { loadSqlite } from "./sqlite-module.js";

const DAMAGED = problem("import_database_damaged");

export const readForeignTable: ForeignTableReader = (bytes, { table, columns, maxRows, optionalColumns = false }) => {
  const Sqlite = loadSqlite();
  let database: InstanceType<typeof Sqlite>;
  try {
    database = new Sqlite(withoutWalMode(bytes), { readonly: true });
  } catch {
    throw invalidInput(DAMAGED, "file");
  }
  try {
    database.pragma("trusted_schema = OFF");
    database.pragma("cell_size_check = ON");
    let verdict: unknown;
    try {
      verdict = database.pragma("quick_check", { simple: true });
    } catch {
      throw invalidInput(DAMAGED, "file");
    }
    if (verdict !== "ok") throw invalidInput(DAMAGED, "file");
    const isTable = database.prepare("select 1 from sqlite_schema where type = 'table' and name = ?").pluck().get(table) !== undefined;
    if (!isTable) return undefined;
    const present = new Set((database.prepare("select name from pragma_table_info(?)").pluck().all(table) as string[]).map((name) => name.toLowerCase()));
    const missing = columns.filter((column) => !present.has(column));
    if (missing.length > 0 && optionalColumns) return undefined;
    if (missing.length > 0) throw invalidInput(problem("import_database_column_missing", { table, columns: missing.join(", ") }), "file");
    const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const rows = database.prepare(`select ${columns.map(quoted).join(", ")} from ${quoted(table)} order by rowid limit ?`).raw().all(maxRows + 1) as unknown[][];
    return rows.map((values) => Object.fromEntries(columns.map((column, i) => [column, plainValue(values[i])])));
  } catch (error) {
    if (error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("SQLITE_")) throw invalidInput(DAMAGED, "file");
    throw error;
  } finally {
    database.close();
  }
};

/** The file's bytes, copied with header bytes 18 and 19 (write and read format) set from 2 (WAL) to 1 (legacy). */
function withoutWalMode(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length >= 20 && (copy[18] === 2 || copy[19] === 2)) {
    copy[18] = 1;
    copy[19] = 1;
  }
  return copy;
}

/** Text, numbers and null pass; a blob or a big integer becomes what a parser will refuse by name. */
function plainValue(value: unknown): string | number | null {
  if (typeof value === "string" || typeof value === "number" || value === null) return value;
  return null;
}
