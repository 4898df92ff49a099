// People: a user's e-mail address and language, and the one-time links (invitation, password
// reset) that let a person set a password. Only the SHA-256 of a link's token is stored.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema.alterTable("users").addColumn("email", "text").execute();
  await db.schema
    .alterTable("users")
    .addColumn("language", "text", (c) => c.check(sql`language in ('en', 'fr')`))
    .execute();

  await db.schema
    .createTable("user_links")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('invite', 'reset')`))
    .addColumn("created_by", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .addColumn("used_at", big)
    .execute();
  await db.schema.createIndex("user_links_user").on("user_links").column("user_id").execute();
}
