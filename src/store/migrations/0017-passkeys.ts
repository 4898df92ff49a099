// Passkeys and security keys (WebAuthn): each user's registered credentials, and the challenges
// handed out for registering or asserting one. Challenges live here, not in a node's memory, so
// any node can finish a ceremony another began, and using one is a single conditional UPDATE.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("webauthn_credentials")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // The authenticator's credential id, base64url: what an assertion names.
    .addColumn("credential_id", "text", (c) => c.notNull().unique())
    .addColumn("public_key", dialect.binaryType, (c) => c.notNull())
    .addColumn("counter", big, (c) => c.notNull())
    /** JSON array of transports ("usb", "internal", "hybrid"…), as the browser reported them. */
    .addColumn("transports", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("device_type", "text", (c) => c.notNull())
    .addColumn("is_backed_up", "integer", (c) => c.notNull())
    .addColumn("is_discoverable", "integer", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_used_at", big)
    .execute();
  await db.schema.createIndex("webauthn_credentials_user").on("webauthn_credentials").column("user_id").execute();

  await db.schema
    .createTable("webauthn_challenges")
    .addColumn("challenge", "text", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull())
    // SHA-256 of what the challenge is bound to: the session id's hash (registration, second
    // factor) or the browser's pre-sign-in binding cookie (passkey sign-in).
    .addColumn("binding", "text", (c) => c.notNull())
    /** Set for registration and second-factor challenges: whose credentials are meant. */
    .addColumn("user_id", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .addColumn("consumed_at", big)
    .execute();
  await db.schema.createIndex("webauthn_challenges_expiry").on("webauthn_challenges").column("expires_at").execute();
}
