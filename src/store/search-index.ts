// PostgreSQL's trigram index on entries.search_text (the pg_trgm extension's GIN operator class):
// a search's LIKE '%word%' reads the entries holding the word's trigrams instead of every entry.
// SQLite has no such index; there, a search of every entry tests each in the name index.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "./dialect.js";

const INDEX = "entries_search_trigram";

/** The schema pg_trgm is installed in, or undefined when it is not installed in this database. */
async function trigramSchema(db: Kysely<unknown>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.schema;
}

const hasIndex = async (db: Kysely<unknown>): Promise<boolean> =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_indexes where schemaname = current_schema() and indexname = ${INDEX}`.execute(db)).rows[0]!.n > 0;

/**
 * Installs pg_trgm if this session may (it is a trusted extension: CREATE on the database is
 * enough), in a savepoint so that a refusal leaves the migration's transaction usable. In the
 * public schema, not Watchword's own: an extension belongs to the whole database, and dropping
 * one Watchword schema must not take the index of another with it.
 */
export async function installTrigramExtension(db: Kysely<unknown>): Promise<void> {
  if ((await trigramSchema(db)) !== undefined) return;
  await sql`savepoint install_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`release savepoint install_pg_trgm`.execute(db);
  } catch {
    // Not permitted, not available or no public schema: search works without the index, by a scan.
    await sql`rollback to savepoint install_pg_trgm`.execute(db);
  }
}

/**
 * Makes sure the trigram index exists where it can: creates it when pg_trgm is installed and the
 * index is not there (an operator installed the extension after migration 0024). False when it
 * cannot exist because pg_trgm is missing; SQLite, which has no such index, answers true.
 */
export async function ensureSearchIndex(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<boolean> {
  if (dialect.name !== "postgres") return true;
  if (await hasIndex(db)) return true;
  const schema = await trigramSchema(db);
  if (schema === undefined) return false;
  try {
    await sql`create index if not exists ${sql.id(INDEX)} on entries using gin (search_text ${sql.id(schema)}.gin_trgm_ops)`.execute(db);
  } catch (error) {
    // Another node starting at the same time may have created it first.
    if (!(await hasIndex(db))) throw error;
  }
  return true;
}
