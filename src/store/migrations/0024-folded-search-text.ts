// One search rule for the server and the web app (core/entry-search.ts): every entry's search
// text recomputed folded (case and accents ignored, ß as ss…), in batches; and on PostgreSQL a
// trigram index on it, when pg_trgm is installed or may be (store/search-index.ts).
import { sql, type Kysely } from "kysely";
import { searchTextOf } from "../../core/entry-search.js";
import type { DialectCapabilities } from "../dialect.js";
import { ensureSearchIndex, installTrigramExtension } from "../search-index.js";

/** Rows rewritten per statement: one CASE of this many ids, well under both bound-parameter limits. */
const BATCH = 500;

interface EntryRow {
  id: string;
  name: string;
  issuer: string | null;
  account: string | null;
  tags: string;
  search_text: string;
}

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const entries = db as unknown as Kysely<{ entries: EntryRow }>;
  let after = "";
  for (;;) {
    const rows = await entries.selectFrom("entries").select(["id", "name", "issuer", "account", "tags", "search_text"]).where("id", ">", after).orderBy("id").limit(BATCH).execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    // Only the rows whose text changes: an ASCII-only vault rewrites next to nothing.
    const changed = rows.map((row) => ({ id: row.id, text: searchTextOf({ ...row, tags: JSON.parse(row.tags) as string[] }), before: row.search_text })).filter((row) => row.text !== row.before);
    if (changed.length === 0) continue;
    const cases = sql.join(changed.map((row) => sql`when ${row.id} then ${row.text}`), sql` `);
    await entries
      .updateTable("entries")
      .set({ search_text: sql<string>`case id ${cases} end` })
      .where("id", "in", changed.map((row) => row.id))
      .execute();
  }
  if (dialect.name === "postgres") {
    await installTrigramExtension(db);
    await ensureSearchIndex(db, dialect);
  }
}
