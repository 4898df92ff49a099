// Pending second steps of sign-ins, stored only by the SHA-256 of their token. Each attempt is
// claimed by one conditional UPDATE, so the attempt limit and single use hold across nodes.
import type { Kysely, Selectable } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database, SignInChallengesTable } from "./schema.js";

export interface SignInChallengeRecord {
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly client: "browser" | "cli";
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly attempts: number;
  readonly deviceTokenHash: string | null;
  readonly failuresFromOtherDevices: number;
  readonly isLockedForOtherDevices: boolean;
}

export interface SignInChallengeStore {
  insertChallenge(record: Omit<SignInChallengeRecord, "consumedAt" | "attempts">): Promise<void>;
  findChallenge(tokenHash: string): Promise<SignInChallengeRecord | undefined>;
  /**
   * Counts one more attempt when the challenge is open (not used, not expired, attempts left) and
   * answers the challenge as it now is; undefined when it is not open.
   */
  claimAttempt(tokenHash: string, now: number, maxAttempts: number): Promise<SignInChallengeRecord | undefined>;
  /** Ends the challenge; true for the one caller that ended it. */
  consumeChallenge(tokenHash: string, now: number): Promise<boolean>;
  deleteExpiredChallenges(now: number): Promise<number>;
}

const toRecord = (row: Selectable<SignInChallengesTable>): SignInChallengeRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id as UserId,
  client: row.client,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
  attempts: Number(row.attempts),
  deviceTokenHash: row.device_token_hash,
  failuresFromOtherDevices: Number(row.failures_from_other_devices),
  isLockedForOtherDevices: Number(row.locked_for_other_devices) === 1,
});

export function createSignInChallengeStore(db: Kysely<Database>): SignInChallengeStore {
  const find = async (tokenHash: string) => {
    const row = await db.selectFrom("sign_in_challenges").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
    return row && toRecord(row);
  };
  return {
    async insertChallenge(r) {
      await db
        .insertInto("sign_in_challenges")
        .values({
          token_hash: r.tokenHash,
          user_id: r.userId,
          client: r.client,
          created_at: r.createdAt,
          expires_at: r.expiresAt,
          consumed_at: null,
          attempts: 0,
          device_token_hash: r.deviceTokenHash,
          failures_from_other_devices: r.failuresFromOtherDevices,
          locked_for_other_devices: r.isLockedForOtherDevices ? 1 : 0,
        })
        .execute();
    },
    findChallenge: find,
    async claimAttempt(tokenHash, now, maxAttempts) {
      const result = await db
        .updateTable("sign_in_challenges")
        .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
        .where("token_hash", "=", tokenHash)
        .where("consumed_at", "is", null)
        .where("expires_at", ">", now)
        .where("attempts", "<", maxAttempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? find(tokenHash) : undefined;
    },
    async consumeChallenge(tokenHash, now) {
      const result = await db.updateTable("sign_in_challenges").set({ consumed_at: now }).where("token_hash", "=", tokenHash).where("consumed_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteExpiredChallenges(now) {
      const result = await db.deleteFrom("sign_in_challenges").where("expires_at", "<=", now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
