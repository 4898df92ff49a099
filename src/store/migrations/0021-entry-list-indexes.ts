// "My entries" in SQL, paged (store/policy-listing.ts): each entry's search text (its name, issuer,
// account and tags lower-cased by JavaScript, core/entry-search.ts), filled in for the entries
// already stored; and the indexes a page is read by: every entry by name (an administrator's view
// of all, read in order until a page is found), and a folder's entries by name (folder grants,
// the folder filter).
import { sql, type Kysely } from "kysely";
import { searchTextOf } from "../../core/entry-search.js";

/** Rows rewritten per statement: one CASE of this many ids, well under both bound-parameter limits. */
const BATCH = 500;

interface EntryRow {
  id: string;
  name: string;
  issuer: string | null;
  account: string | null;
  tags: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("entries").addColumn("search_text", "text", (c) => c.notNull().defaultTo("")).execute();
  const entries = db as unknown as Kysely<{ entries: EntryRow & { search_text: string } }>;
  let after = "";
  for (;;) {
    const rows = await entries.selectFrom("entries").select(["id", "name", "issuer", "account", "tags"]).where("id", ">", after).orderBy("id").limit(BATCH).execute();
    if (rows.length === 0) break;
    // One statement per batch, not one per row: 100,000 entries are 200 statements.
    const cases = sql.join(rows.map((row) => sql`when ${row.id} then ${searchTextOf({ ...row, tags: JSON.parse(row.tags) as string[] })}`), sql` `);
    await entries
      .updateTable("entries")
      .set({ search_text: sql<string>`case id ${cases} end` })
      .where("id", "in", rows.map((row) => row.id))
      .execute();
    after = rows[rows.length - 1]!.id;
  }
  // The search text in the name index: an administrator's search of every entry reads the index
  // in name order and tests each entry there, fetching only the rows that match (five times
  // faster than a row read per entry on SQLite, where a narrow search reads them all).
  await db.schema.createIndex("entries_name").on("entries").columns(["name_key", "id", "search_text"]).execute();
  await db.schema.createIndex("entries_folder_listing").on("entries").columns(["folder_id", "name_key", "id"]).execute();
}
