// Indexes for two audit filters together (store/audit-query.ts). A (column, seq) index alone
// answers "denied events of this actor" by reading every event of the actor until a page of denied
// ones is found: thousands of random row reads on a cold 10-million-event log (1.3 s on SQLite in
// bench/audit-query.mjs). With the second column in the index before seq, the page is one range
// read backwards. Outcome pairs with actor, entry and action (the auditor's "what was refused");
// action pairs with actor ("which grants did she make"). Other pairs read few enough rows.
import type { Kysely } from "kysely";

export const COMBINED_FILTER_INDEXES: readonly { readonly name: string; readonly columns: readonly string[] }[] = [
  { name: "audit_events_actor_outcome", columns: ["actor_id", "outcome", "seq"] },
  { name: "audit_events_entry_outcome", columns: ["entry_id", "outcome", "seq"] },
  { name: "audit_events_action_outcome", columns: ["action", "outcome", "seq"] },
  { name: "audit_events_actor_action", columns: ["actor_id", "action", "seq"] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of COMBINED_FILTER_INDEXES) {
    await db.schema.createIndex(index.name).on("audit_events").columns([...index.columns]).execute();
  }
}
