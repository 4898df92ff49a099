// What a restore moves forward in the database it puts back, so that no code is valid twice:
// HOTP counters to at least their high-water marks (hotp-mark-file.ts), and each user's TOTP
// "last accepted step" (user_factors.last_step, when that table exists) to the current step.
import { sql, type Kysely } from "kysely";
import type { HotpMark } from "./hotp-mark-file.js";
import type { Database } from "./schema.js";

/** Marks per statement: six parameters each, far below either dialect's bound. */
const CHUNK = 500;

/**
 * Raises each HOTP counter to its mark where the mark is higher and the seed is the one marked;
 * resolves with how many moved. One statement per chunk of marks (a CASE over their ids): one
 * UPDATE per mark took 20 s for 5,000 entries on PostgreSQL, a round trip each.
 */
export async function advanceHotpCounters(db: Kysely<Database>, marks: Iterable<HotpMark>): Promise<number> {
  const list = [...marks];
  let advanced = 0;
  for (let start = 0; start < list.length; start += CHUNK) {
    const chunk = list.slice(start, start + CHUNK);
    const whens = chunk.map(
      (m) => sql`when id = ${m.entryId} and ${m.seedUpdatedAt === null ? sql`seed_updated_at is null` : sql`seed_updated_at = ${m.seedUpdatedAt}`} then cast(${m.mark} as bigint)`,
    );
    // No mark for the row's seed: null, and `hotp_counter < null` is never true, so the row is left alone.
    const markOf = sql`(case ${sql.join(whens, sql` `)} else null end)`;
    const result = await sql`update entries set hotp_counter = ${markOf} where otp_type = 'hotp' and id in (${sql.join(chunk.map((m) => m.entryId))}) and hotp_counter < ${markOf}`.execute(db);
    advanced += Number(result.numAffectedRows ?? 0n);
  }
  return advanced;
}

/**
 * Moves every user's last accepted TOTP step up to `step` (RFC 6238 §5.2: a code is accepted
 * once), so codes accepted after the backup cannot be accepted again. A no-op, resolving 0, when
 * the database has no user_factors table or no last_step column (an older schema).
 */
export async function advanceTotpLastSteps(db: Kysely<Database>, step: number, schema: string | undefined): Promise<number> {
  // On PostgreSQL introspection lists the current schema's tables (postgres-introspector.ts); the
  // schema is checked too, should a caller's session point elsewhere.
  const tables = await db.introspection.getTables();
  const factors = tables.find((table) => table.name === "user_factors" && (schema === undefined || table.schema === schema));
  if (factors === undefined || !factors.columns.some((column) => column.name === "last_step")) return 0;
  const result = await sql`update user_factors set last_step = ${step} where last_step is null or last_step < ${step}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
