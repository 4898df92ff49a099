// Single sign-on (OpenID Connect): the sign-ins under way, each bound to the browser that started
// it by the SHA-256 of its cookie and kept at most ten minutes; and the provider identities
// (issuer + subject) each Watchword user signs in as.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("sso_flows")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("next_path", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sso_flows_expires_at").on("sso_flows").column("expires_at").execute();
  await db.schema
    .createTable("user_identities")
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_sign_in_at", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("user_identities_pk", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("user_identities_user_id").on("user_identities").column("user_id").execute();
}
