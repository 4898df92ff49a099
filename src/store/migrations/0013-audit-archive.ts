// Retention: events older than an age can be archived to a JSON Lines file and deleted
// (`watchword audit archive`). The head then records where the live chain begins: the seq and link
// of the last event archived (0 and the genesis link while nothing is), so that verification starts
// from that point and still sees every later edit, deletion or insertion.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  await db.schema
    .alterTable("audit_head")
    .addColumn("archived_through_seq", dialect.bigintType, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("audit_head")
    .addColumn("archived_link", "text", (c) => c.notNull().defaultTo("0".repeat(64)))
    .execute();
}
