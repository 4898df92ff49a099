// Push approval (issue 10): the browsers a user registered to approve their sign-ins, the requests
// sent to them, and the server's own VAPID key pair for Web Push (its private half sealed under a
// data key, never stored plain). Requests live here, not in a node's memory, so any node can show,
// decide or finish one another node created, and deciding or using one is a conditional UPDATE.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("push_devices")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // SHA-256 of the browser's device token (cookie): what makes a request from it "this device".
    .addColumn("device_token_hash", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // The Web Push subscription, when the browser gave one: where and how to reach it closed.
    .addColumn("push_endpoint", "text")
    .addColumn("push_p256dh", "text")
    .addColumn("push_auth", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_used_at", big)
    .execute();
  await db.schema.createIndex("push_devices_user_device").on("push_devices").columns(["user_id", "device_token_hash"]).unique().execute();

  await db.schema
    .createTable("push_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // SHA-256 of the sign-in challenge's token: the one sign-in this request can finish.
    .addColumn("challenge_hash", "text", (c) => c.notNull())
    // 1, 2, 3 within one challenge: the latest request is the one a sign-in is about.
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    /** JSON array of the three numbers the approving device offers (one is `number`). */
    .addColumn("choices", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("user_agent", "text", (c) => c.notNull())
    /** pending → approved | denied | expired; approved → used (the sign-in it finished). */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .addColumn("decided_at", big)
    .addColumn("decided_by_device", "text")
    .addColumn("used_at", big)
    .execute();
  await db.schema.createIndex("push_requests_user_status").on("push_requests").columns(["user_id", "status"]).execute();
  // Unique: two requests of one sign-in racing cannot both be its latest.
  await db.schema.createIndex("push_requests_challenge_seq").on("push_requests").columns(["challenge_hash", "seq"]).unique().execute();

  await db.schema
    .createTable("vapid_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** The public key, base64url (uncompressed P-256 point): what browsers subscribe with. */
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("private_key_sealed", dialect.binaryType, (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .execute();
}
