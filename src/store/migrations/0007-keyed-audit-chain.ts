// The audit chain becomes keyed (HMAC-SHA256 under the audit key, crypto/audit-key.ts) from the
// next event on. Existing links stay as written, plain SHA-256: rewriting them under the key would
// bless whatever was done to them before, and a migration holds no key. The first keyed event's
// link covers the last plain one, so the key vouches for the whole older chain from then on.
// `keyed_from` records where keyed links begin; checkpoints outside the database record it too, so
// moving it (to pass off rewritten links as old ones) is caught by `watchword audit verify`.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  await db.schema
    .alterTable("audit_head")
    .addColumn("keyed_from", dialect.bigintType, (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`update audit_head set keyed_from = seq + 1`.execute(db);
}
