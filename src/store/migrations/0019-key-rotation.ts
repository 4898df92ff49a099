// The audit key, wrapped: so that rotating the key-encryption key (or keeping it in an HSM, where
// nothing can derive from its bytes) leaves the audit chain under one key. One row at most; vaults
// made before this migration have none until their first rotation, and derive it from the KEK.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  await db.schema
    .createTable("audit_key")
    // Always 1: the primary key makes a second row (two nodes' first starts) fail instead of win.
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("wrapped_key", dialect.binaryType, (c) => c.notNull())
    .addColumn("kek_id", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("created_at", dialect.bigintType, (c) => c.notNull())
    .execute();
}
