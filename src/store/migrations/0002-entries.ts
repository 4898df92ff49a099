// Folders, templates, entries with their sealed seeds and fields, recovery codes, the audit chain
// and pending imports.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";
import { BUILT_IN_TEMPLATES } from "../built-in-templates.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  const bytes = dialect.binaryType;

  await db.schema
    .createTable("folders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("built_in", "integer", (c) => c.notNull())
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .execute();
  for (const template of BUILT_IN_TEMPLATES) {
    await db
      .insertInto("templates" as never)
      .values({ id: template.id, name: template.name, built_in: 1, fields: JSON.stringify(template.fields), created_at: 0 } as never)
      .execute();
  }

  await db.schema
    .createTable("entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("folder_id", "text", (c) => c.references("folders.id"))
    // '' when the entry is in no folder: unique (folder_key, name_key) then covers both cases.
    .addColumn("folder_key", "text", (c) => c.notNull())
    .addColumn("template_id", "text", (c) => c.notNull().references("templates.id"))
    .addColumn("issuer", "text")
    .addColumn("account", "text")
    .addColumn("url", "text")
    .addColumn("username", "text")
    .addColumn("notes", "text")
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("otp_type", "text")
    .addColumn("otp_algorithm", "text")
    .addColumn("otp_digits", "integer")
    .addColumn("otp_period", "integer")
    .addColumn("hotp_counter", big, (c) => c.notNull())
    .addColumn("seed_sealed", bytes)
    .addColumn("seed_updated_at", big)
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("entries_folder_name").unique().on("entries").columns(["folder_key", "name_key"]).execute();
  await db.schema.createIndex("entries_owner").on("entries").column("owner_id").execute();

  await db.schema
    .createTable("entry_fields")
    .addColumn("entry_id", "text", (c) => c.notNull().references("entries.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value_text", "text")
    .addColumn("value_sealed", bytes)
    .addPrimaryKeyConstraint("entry_fields_pk", ["entry_id", "key"])
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("entry_id", "text", (c) => c.notNull().references("entries.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("code_sealed", bytes, (c) => c.notNull())
    .addColumn("used_at", big)
    .addColumn("used_by", "text")
    .execute();
  await db.schema.createIndex("recovery_codes_entry").on("recovery_codes").columns(["entry_id", "position"]).execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("seq", big, (c) => c.primaryKey())
    // A random UUID for references from outside; not indexed: the hash chain already fixes each row.
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("at", big, (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("entry_id", "text")
    .addColumn("entry_name", "text")
    .addColumn("reason", "text")
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("user_agent", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_entry").on("audit_events").columns(["entry_id", "seq"]).execute();

  // The head of the chain in one row: appending reads and moves it inside the same transaction,
  // which serialises appends across nodes (row lock in PostgreSQL, the write lock in SQLite).
  await db.schema
    .createTable("audit_head")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", big, (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${"0".repeat(64)})`.execute(db);

  await db.schema
    .createTable("pending_imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("sealed", bytes, (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("expires_at", big, (c) => c.notNull())
    .execute();
}
