// Audit events name what they are about in general terms (core/audit-chain.ts): a target's kind,
// id and name, and the folder of the event's entry when it happened, for filtering by folder.
// All nullable: events written before stay as they were, and their canonical form stays the old
// 16-element one, so existing links still verify; an event with any of these set is chained in
// the 20-element form, so the columns are covered by its link.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, _dialect: DialectCapabilities): Promise<void> {
  for (const column of ["target_type", "target_id", "target_name", "folder_id"]) {
    await db.schema.alterTable("audit_events").addColumn(column, "text").execute();
  }
  await db.schema.createIndex("audit_events_folder").on("audit_events").columns(["folder_id", "seq"]).execute();
  await db.schema.createIndex("audit_events_target").on("audit_events").columns(["target_type", "target_id", "seq"]).execute();
}
