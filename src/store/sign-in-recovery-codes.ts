// A user's sign-in recovery codes, kept only as salted hashes. Not the recovery codes of a target
// account stored in an entry (recovery-codes.ts): these let a person sign in to Watchword itself.
import type { Kysely } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";

export interface StoredRecoveryCode {
  readonly slot: number;
  readonly salt: string;
  readonly codeHash: string;
}

export interface RecoveryCodeSetStatus {
  /** Codes of the set not used yet. */
  readonly remaining: number;
  /** Codes in the set, used or not (0 when the user has none). */
  readonly total: number;
  readonly generatedAt: number | null;
}

export interface SignInRecoveryCodeStore {
  /** Deletes the user's set and writes this one; the caller runs it in a transaction, so the swap is atomic. */
  replaceSet(userId: UserId, codes: readonly StoredRecoveryCode[], now: number): Promise<void>;
  /** The unused codes' salts and hashes, to compare a submission against. */
  listUnused(userId: UserId): Promise<StoredRecoveryCode[]>;
  /**
   * Marks one code used, only if it still is unused: true for exactly one caller however many
   * submit it at once, on however many nodes (one guarded UPDATE).
   */
  markUsed(userId: UserId, slot: number, now: number): Promise<boolean>;
  status(userId: UserId): Promise<RecoveryCodeSetStatus>;
}

export function createSignInRecoveryCodeStore(db: Kysely<Database>): SignInRecoveryCodeStore {
  return {
    async replaceSet(userId, codes, now) {
      await db.deleteFrom("sign_in_recovery_codes").where("user_id", "=", userId).execute();
      if (codes.length === 0) return;
      await db
        .insertInto("sign_in_recovery_codes")
        .values(codes.map((c) => ({ user_id: userId, slot: c.slot, salt: c.salt, code_hash: c.codeHash, created_at: now, used_at: null })))
        .execute();
    },
    async listUnused(userId) {
      const rows = await db
        .selectFrom("sign_in_recovery_codes")
        .select(["slot", "salt", "code_hash"])
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .orderBy("slot")
        .execute();
      return rows.map((r) => ({ slot: r.slot, salt: r.salt, codeHash: r.code_hash }));
    },
    async markUsed(userId, slot, now) {
      const result = await db
        .updateTable("sign_in_recovery_codes")
        .set({ used_at: now })
        .where("user_id", "=", userId)
        .where("slot", "=", slot)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async status(userId) {
      const row = await db
        .selectFrom("sign_in_recovery_codes")
        .select((eb) => [
          eb.fn.countAll<number | string>().as("total"),
          eb.fn.count<number | string>("used_at").as("used"),
          eb.fn.max("created_at").as("generated_at"),
        ])
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      const total = Number(row.total);
      return { remaining: total - Number(row.used), total, generatedAt: row.generated_at === null ? null : Number(row.generated_at) };
    },
  };
}
