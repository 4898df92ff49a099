// MFA enforcement and step-up (issue 10): the administrators' rule of who must have a second
// factor and with which methods (one row), the groups it names, a flag on sessions opened for a
// user who must still enrol, and "step-up required" on entry and folder policies with the marks
// of sessions that passed one.
import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";

export async function up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void> {
  const big = dialect.bigintType;
  await db.schema
    .createTable("mfa_enforcement")
    // Always 1: one rule for the vault.
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("scope", "text", (c) => c.notNull().check(sql`scope in ('off', 'everyone', 'groups')`))
    /** JSON array of method names (second-factors.ts). */
    .addColumn("methods", "text", (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .addColumn("updated_by", "text")
    .execute();
  await db.schema
    .createTable("mfa_enforcement_groups")
    .addColumn("group_id", "text", (c) => c.primaryKey().references("groups.id").onDelete("cascade"))
    .execute();

  await db.schema.alterTable("sessions").addColumn("enrolment_required", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("entry_policies").addColumn("step_up_required", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("folder_policies").addColumn("step_up_required", "integer", (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable("step_ups")
    /** The session's id hash (sessions.id_hash); a renewed session id starts without marks. */
    .addColumn("session_hash", "text", (c) => c.notNull())
    /** "entry:<id>" or "folder:<id>": what the step-up was for. */
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("passed_at", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("step_ups_pk", ["session_hash", "scope"])
    .execute();
  await db.schema.createIndex("step_ups_passed_at").on("step_ups").column("passed_at").execute();
}
