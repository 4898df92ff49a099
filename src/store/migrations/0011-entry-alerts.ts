// Alerts: who wants to be told of what happens to an entry or a folder's entries, through which
// channel. A webhook, Slack or Teams address is itself a credential (Slack's carries its token),
// so it is stored sealed like a secret field, with only its scheme and host in the clear for
// showing; a webhook's signing secret is sealed too (it must be read back to sign). Deliveries
// wait in the outbox (migration 0010, destination "alerts"), written in the audit event's own
// transaction; a subscription counts what was delivered and given up, and its latest error.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  const bytes = dialect.binaryType;
  await db.schema
    .createTable("alert_subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("entry_id", "text", (c) => c.references("entries.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.references("folders.id").onDelete("cascade"))
    .addColumn("scope_key", "text", (c) => c.notNull())
    .addColumn("events", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('email', 'webhook', 'slack', 'teams')`))
    .addColumn("target_sealed", bytes)
    .addColumn("target_shown", "text")
    .addColumn("target_key", "text", (c) => c.notNull())
    .addColumn("secret_sealed", bytes)
    .addColumn("created_by", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("delivered_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_delivered_at", big)
    .addColumn("last_error", "text")
    .addColumn("last_error_at", big)
    .addCheckConstraint("alert_subscriptions_one_scope", sql`(entry_id is null) <> (folder_id is null)`)
    .execute();
  await db.schema.createIndex("alert_subscriptions_entry").on("alert_subscriptions").column("entry_id").execute();
  await db.schema.createIndex("alert_subscriptions_folder").on("alert_subscriptions").column("folder_id").execute();
  // One alert per person, scope ("entry:<id>" or "folder:<id>"), channel and target (target_key:
  // the SHA-256 of the address, whose secret part is long and random; "" for e-mail).
  await db.schema.createIndex("alert_subscriptions_unique").on("alert_subscriptions").columns(["user_id", "scope_key", "channel", "target_key"]).unique().execute();
}
