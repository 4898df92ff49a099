// PostgreSQL: keep the entries table's visibility map current. An administrator's search walks
// the name index alone (migration 0021), and an index-only scan must read the table row of every
// entry on a page not marked all-visible since its last change. Every HOTP code changes its
// entry's row (the counter), and so does every edit; autovacuum's default waits for 20% of the rows
// to change, by when most pages are unmarked: on the scale bench (100,000 entries), 5,000 changed
// rows made the broadest search read 58,000 rows and take 66 ms instead of 18. Vacuuming after
// 0.2% of the rows (and 100 more) have changed, or been added, keeps that below a few percent of
// pages; each such vacuum reads only the pages changed since the last. SQLite's covering index
// needs no such thing.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  if (dialect.name !== "postgres") return;
  await sql`
    alter table entries set (
      autovacuum_vacuum_scale_factor = 0.002,
      autovacuum_vacuum_threshold = 100,
      autovacuum_vacuum_insert_scale_factor = 0.002,
      autovacuum_vacuum_insert_threshold = 100
    )`.execute(db);
}
