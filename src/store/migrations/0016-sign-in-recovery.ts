// Sign-in security of vault users (issue 10): their sign-in recovery codes, each kept only as a
// salted hash; and a public id for every session, so that the sessions list names a session
// without showing the token's hash the session is found by.
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("sign_in_recovery_codes")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("slot", "integer", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("used_at", big)
    .addPrimaryKeyConstraint("sign_in_recovery_codes_pk", ["user_id", "slot"])
    .execute();

  await db.schema
    .alterTable("sessions")
    .addColumn("public_id", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  // Sessions open during the upgrade get theirs here: few rows, and the same code on both dialects.
  const raw = db as Kysely<{ sessions: { id_hash: string; public_id: string } }>;
  const open = await raw.selectFrom("sessions").select("id_hash").execute();
  for (const { id_hash } of open) {
    await raw.updateTable("sessions").set({ public_id: randomBytes(16).toString("base64url") }).where("id_hash", "=", id_hash).execute();
  }
  await db.schema.createIndex("sessions_public_id").on("sessions").column("public_id").unique().execute();
}
