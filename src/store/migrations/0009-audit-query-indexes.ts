// Indexes for reading the audit log (store/audit-query.ts): each filter that narrows a query on its
// own gets an index that ends in seq, so the newest page of matching events is a range scan read
// backwards, stopped after one page, at any size of log (the 10-million-event bench, bench/audit-query.mjs).
// The entry's (entry_id, seq) index came with the table (0002). Outcome is indexed for the rare
// denied and failed events; channel is not (three values, each common). `at` is indexed alone: a
// time range is first turned into a range of seq (audit-query.ts), then the other filters read by seq.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("audit_events_actor_id").on("audit_events").columns(["actor_id", "seq"]).execute();
  await db.schema.createIndex("audit_events_actor_name").on("audit_events").columns(["actor_name", "seq"]).execute();
  await db.schema.createIndex("audit_events_action").on("audit_events").columns(["action", "seq"]).execute();
  await db.schema.createIndex("audit_events_outcome").on("audit_events").columns(["outcome", "seq"]).execute();
  await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();
}
