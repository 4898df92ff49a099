// Consecutive sign-in failures per account and per IP, and wrong export passwords per user, kept
// in the database so that every node sees the same count (RFC 4226 §7.3, NIST SP 800-63B §5.2.2).
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/**
 * "device" counts failed sign-ins presented with a device token, by the token's hash;
 * "export-password" counts a user's wrong passwords for encrypted import files, by user id;
 * "second-factor-account" (by user id) and "second-factor-ip" count wrong second-factor codes.
 */
export type FailureScope = "account" | "ip" | "device" | "export-password" | "second-factor-account" | "second-factor-ip";

export interface FailureCount {
  readonly failures: number;
  readonly lastFailureAt: number;
}

export interface SignInFailureStore {
  readFailures(scope: FailureScope, subject: string): Promise<FailureCount | undefined>;
  /** Adds one failure atomically and returns the new count. */
  recordFailure(scope: FailureScope, subject: string, now: number): Promise<FailureCount>;
  clearFailures(scope: FailureScope, subject: string): Promise<void>;
}

export function createSignInFailureStore(db: Kysely<Database>): SignInFailureStore {
  return {
    async readFailures(scope, subject) {
      const row = await db
        .selectFrom("sign_in_failures")
        .select(["failures", "last_failure_at"])
        .where("scope", "=", scope)
        .where("subject", "=", subject)
        .executeTakeFirst();
      return row && { failures: row.failures, lastFailureAt: row.last_failure_at };
    },
    async recordFailure(scope, subject, now) {
      // One upsert statement: concurrent failures on several nodes never lose a count.
      const row = await db
        .insertInto("sign_in_failures")
        .values({ scope, subject, failures: 1, first_failure_at: now, last_failure_at: now })
        .onConflict((oc) =>
          oc.columns(["scope", "subject"]).doUpdateSet((eb) => ({
            failures: eb("sign_in_failures.failures", "+", 1),
            last_failure_at: now,
          })),
        )
        .returning(["failures", "last_failure_at"])
        .executeTakeFirstOrThrow();
      return { failures: row.failures, lastFailureAt: row.last_failure_at };
    },
    async clearFailures(scope, subject) {
      await db.deleteFrom("sign_in_failures").where("scope", "=", scope).where("subject", "=", subject).execute();
    },
  };
}
