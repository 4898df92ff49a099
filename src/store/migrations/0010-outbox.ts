// The outbox: deliveries that leave Watchword (SIEM destinations now, alert messages later) are
// decided in the same transaction as the audit events they come from, so a delivery is never
// lost between the commit and the network. Two tables:
// - outbox_destinations: one row per destination (a SIEM receiver, an alert channel), holding the
//   deliverer's lease (one node delivers at a time, another takes over when the lease expires), its
//   delivery state, and for SIEM destinations the cursor: the last audit seq the receiver has.
//   SIEM events are not copied: seq is handed out under the audit head's lock, so events become
//   visible in seq order with no holes, and a cursor over audit_events delivers them all, in order.
// - outbox_messages: deliveries that are not audit events themselves (a checkpoint for the SIEM
//   stream, an alert), each one row, removed once its receiver has it.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("outbox_destinations")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("delivered_seq", big, (c) => c.notNull().defaultTo(0))
    .addColumn("lease_holder", "text")
    .addColumn("lease_until", big, (c) => c.notNull().defaultTo(0))
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("last_error_at", big)
    .addColumn("last_success_at", big)
    .addColumn("created_at", big, (c) => c.notNull())
    .execute();

  // The id orders messages of one destination; SQLite's integer primary key is its rowid.
  await db.schema
    .createTable("outbox_messages")
    .addColumn("id", dialect.name === "postgres" ? sql`bigserial` : "integer", (c) => c.primaryKey())
    .addColumn("destination", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("seq", big)
    .addColumn("event_id", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", big, (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .execute();
  await db.schema.createIndex("outbox_messages_destination").on("outbox_messages").columns(["destination", "id"]).execute();
}
