// Device tokens (OWASP's "device cookies"): a browser or CLI that signed in to an account holds
// one, stored here only as its SHA-256, so that failed sign-ins from it count against it alone.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("device_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_used_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("device_tokens_user_id").on("device_tokens").column("user_id").execute();
}
