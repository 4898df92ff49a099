// The account-recovery method of vault users (issue 10): one confirmed e-mail address or phone
// number per user, sealed (never in plaintext); the 6-digit codes sent to prove it, kept only as an
// HMAC under a per-attempt key that is itself sealed; and the recoveries that replace lost factors.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("recovery_methods")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("address_sealed", dialect.binaryType, (c) => c.notNull())
    .addColumn("confirmed_at", big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("recovery_code_attempts")
    // SHA-256 of the attempt's token: the client that asked for the code holds the token.
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("address_sealed", dialect.binaryType, (c) => c.notNull())
    .addColumn("code_key_sealed", dialect.binaryType, (c) => c.notNull())
    .addColumn("code_mac", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("consumed_at", big)
    .execute();
  await db.schema.createIndex("recovery_code_attempts_user_id").on("recovery_code_attempts").columns(["user_id", "purpose"]).execute();
  await db.schema
    .createTable("account_recoveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("requested_at", big, (c) => c.notNull())
    .addColumn("ready_at", big, (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", big)
    .addColumn("completed_at", big)
    .execute();
  await db.schema.createIndex("account_recoveries_user_id").on("account_recoveries").columns(["user_id", "status"]).execute();
}
