// Second factors of vault users (issue 10): user_factors holds each authenticator (a TOTP seed,
// sealed like entry seeds, with the last accepted time step for replay refusal), sign_in_challenges
// the pending second step of a sign-in, and sessions.reauthenticated_at the "sudo mode" moment.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("user_factors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("secret_sealed", dialect.binaryType)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("confirmed_at", big)
    .addColumn("last_used_at", big)
    // RFC 6238 §5.2: the last time step accepted; -1 while none was.
    .addColumn("last_step", big, (c) => c.notNull().defaultTo(-1))
    .execute();
  await db.schema.createIndex("user_factors_user_id").on("user_factors").column("user_id").execute();
  await db.schema
    .createTable("sign_in_challenges")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .addColumn("consumed_at", big)
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // SHA-256 of the device token the first step kept (device-tokens.ts); null: a new one is issued.
    .addColumn("device_token_hash", "text")
    .addColumn("failures_from_other_devices", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_for_other_devices", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("sign_in_challenges_user_id").on("sign_in_challenges").column("user_id").execute();
  await db.schema.alterTable("sessions").addColumn("reauthenticated_at", big).execute();
}
