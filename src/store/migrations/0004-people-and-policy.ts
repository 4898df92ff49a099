// People and policy: groups and their members, service accounts and their API tokens (hashes
// only), grants, entry and folder policies, access requests with their approvals.
// Foreign keys cascade from what a row is about (its principal, entry, folder, request); columns
// that only say who did something (created_by, approver_id, reviewed_by) keep the id as history.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;

  await db.schema
    .createTable("groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("groups.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("added_at", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "user_id"])
    .execute();
  await db.schema.createIndex("group_members_user").on("group_members").column("user_id").execute();

  await db.schema
    .createTable("service_accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull().unique())
    .addColumn("description", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("disabled_at", big)
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("service_account_id", "text", (c) => c.notNull().references("service_accounts.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("allowed_cidrs", "text", (c) => c.notNull())
    .addColumn("expires_at", big)
    .addColumn("created_by", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_used_at", big)
    .addColumn("last_used_ip", "text")
    .addColumn("revoked_at", big)
    .execute();
  await db.schema.createIndex("api_tokens_service_account").on("api_tokens").column("service_account_id").execute();

  await db.schema
    .createTable("entry_policies")
    .addColumn("entry_id", "text", (c) => c.primaryKey().references("entries.id").onDelete("cascade"))
    .addColumn("approvals_required", "integer", (c) => c.notNull().check(sql`approvals_required >= 0`))
    .addColumn("emergency_access", "integer", (c) => c.notNull().check(sql`emergency_access in (0, 1)`))
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("folder_policies")
    .addColumn("folder_id", "text", (c) => c.primaryKey().references("folders.id").onDelete("cascade"))
    .addColumn("approver_group_id", "text", (c) => c.references("groups.id").onDelete("set null"))
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("access_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("requester_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("entry_id", "text", (c) => c.references("entries.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.references("folders.id").onDelete("cascade"))
    .addColumn("permission", "text", (c) => c.notNull().check(sql`permission in ('use', 'recover')`))
    .addColumn("duration_ms", big, (c) => c.notNull().check(sql`duration_ms > 0`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'approved', 'denied', 'cancelled', 'review_pending', 'reviewed')`))
    .addColumn("emergency", "integer", (c) => c.notNull().check(sql`emergency in (0, 1)`))
    .addColumn("approvals_required", "integer", (c) => c.notNull().check(sql`approvals_required >= 1`))
    .addColumn("approvals", "integer", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .addColumn("decided_at", big)
    .addColumn("reviewed_at", big)
    .addColumn("reviewed_by", "text")
    .addCheckConstraint("access_requests_one_target", sql`(entry_id is null) <> (folder_id is null)`)
    .execute();
  await db.schema.createIndex("access_requests_status").on("access_requests").columns(["status", "created_at"]).execute();
  await db.schema.createIndex("access_requests_requester").on("access_requests").columns(["requester_id", "created_at"]).execute();

  await db.schema
    .createTable("access_request_decisions")
    .addColumn("request_id", "text", (c) => c.notNull().references("access_requests.id").onDelete("cascade"))
    .addColumn("approver_id", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('approve', 'deny', 'review')`))
    .addColumn("comment", "text")
    .addColumn("duration_ms", big)
    .addColumn("decided_at", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("access_request_decisions_pk", ["request_id", "approver_id"])
    .execute();

  await db.schema
    .createTable("grants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("group_id", "text", (c) => c.references("groups.id").onDelete("cascade"))
    .addColumn("service_account_id", "text", (c) => c.references("service_accounts.id").onDelete("cascade"))
    .addColumn("entry_id", "text", (c) => c.references("entries.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.references("folders.id").onDelete("cascade"))
    .addColumn("permission", "text", (c) => c.notNull().check(sql`permission in ('use', 'recover', 'manage')`))
    .addColumn("expires_at", big)
    .addColumn("created_by", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("revoked_at", big)
    .addColumn("revoked_by", "text")
    // Unique: whatever the race between approvers, one approved request yields one grant.
    .addColumn("access_request_id", "text", (c) => c.unique().references("access_requests.id").onDelete("set null"))
    .addCheckConstraint(
      "grants_one_principal",
      sql`(case when user_id is null then 0 else 1 end) + (case when group_id is null then 0 else 1 end) + (case when service_account_id is null then 0 else 1 end) = 1`,
    )
    .addCheckConstraint("grants_one_scope", sql`(entry_id is null) <> (folder_id is null)`)
    .execute();
  for (const column of ["user_id", "group_id", "service_account_id", "entry_id", "folder_id"]) {
    await db.schema.createIndex(`grants_${column}`).on("grants").column(column).execute();
  }
}
