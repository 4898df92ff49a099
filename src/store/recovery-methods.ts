// Recovery methods, the codes sent to prove them, and account recoveries as stored. Each code
// attempt is claimed by one conditional UPDATE, so its attempt limit and single use hold across
// nodes; no column holds an address or a code in plaintext.
import type { Kysely, Selectable } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";
import type { AccountRecoveriesTable, AccountRecoveryStatus, RecoveryChannel, RecoveryCodeAttemptsTable, RecoveryCodePurpose } from "./schema-recovery-method.js";

export interface RecoveryMethodRecord {
  readonly userId: UserId;
  readonly channel: RecoveryChannel;
  readonly addressSealed: Buffer;
  readonly confirmedAt: number;
}

export interface RecoveryCodeAttemptRecord {
  readonly tokenHash: string;
  readonly id: string;
  readonly userId: UserId;
  readonly purpose: RecoveryCodePurpose;
  readonly channel: RecoveryChannel;
  readonly addressSealed: Buffer;
  readonly codeKeySealed: Buffer;
  readonly codeMac: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly attempts: number;
  readonly consumedAt: number | null;
}

export interface AccountRecoveryRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly status: AccountRecoveryStatus;
  readonly channel: RecoveryChannel;
  readonly requestedAt: number;
  readonly readyAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly completedAt: number | null;
}

export interface RecoveryMethodStore {
  findMethod(userId: UserId): Promise<RecoveryMethodRecord | undefined>;
  /** Adds or replaces the user's one method. */
  saveMethod(record: RecoveryMethodRecord): Promise<void>;
  deleteMethod(userId: UserId): Promise<boolean>;
  /** Supersedes ("resend"): every other open attempt of the user for the purpose is ended. */
  insertAttempt(record: Omit<RecoveryCodeAttemptRecord, "attempts" | "consumedAt">): Promise<void>;
  findAttempt(tokenHash: string): Promise<RecoveryCodeAttemptRecord | undefined>;
  /** Codes sent to the user since `since`, for any purpose (the sending limit). */
  countAttemptsSince(userId: UserId, since: number): Promise<number>;
  /** Counts one more try of an open attempt (not used, not expired, tries left); undefined when not open. */
  claimAttempt(tokenHash: string, now: number, maxAttempts: number): Promise<RecoveryCodeAttemptRecord | undefined>;
  /** Ends the attempt; true for the one caller that ended it. */
  consumeAttempt(tokenHash: string, now: number): Promise<boolean>;
  deleteExpiredAttempts(now: number): Promise<number>;
  insertRecovery(record: AccountRecoveryRecord): Promise<void>;
  findRecovery(id: string): Promise<AccountRecoveryRecord | undefined>;
  /** The user's recovery still under way (pending or approved), if any. */
  findOpenRecoveryOfUser(userId: UserId): Promise<AccountRecoveryRecord | undefined>;
  listRecoveries(statuses: readonly AccountRecoveryStatus[]): Promise<AccountRecoveryRecord[]>;
  /** Moves a recovery from one of `from` to `to`; true for the one caller that moved it. */
  decideRecovery(id: string, from: readonly AccountRecoveryStatus[], to: AccountRecoveryStatus, by: string | null, now: number): Promise<boolean>;
}

const attemptOf = (row: Selectable<RecoveryCodeAttemptsTable>): RecoveryCodeAttemptRecord => ({
  tokenHash: row.token_hash,
  id: row.id,
  userId: row.user_id as UserId,
  purpose: row.purpose,
  channel: row.channel,
  addressSealed: Buffer.from(row.address_sealed),
  codeKeySealed: Buffer.from(row.code_key_sealed),
  codeMac: row.code_mac,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  attempts: Number(row.attempts),
  consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
});

const recoveryOf = (row: Selectable<AccountRecoveriesTable>): AccountRecoveryRecord => ({
  id: row.id,
  userId: row.user_id as UserId,
  status: row.status,
  channel: row.channel,
  requestedAt: Number(row.requested_at),
  readyAt: Number(row.ready_at),
  decidedBy: row.decided_by,
  decidedAt: row.decided_at === null ? null : Number(row.decided_at),
  completedAt: row.completed_at === null ? null : Number(row.completed_at),
});

export function createRecoveryMethodStore(db: Kysely<Database>): RecoveryMethodStore {
  const findAttempt = async (tokenHash: string) => {
    const row = await db.selectFrom("recovery_code_attempts").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
    return row && attemptOf(row);
  };
  return {
    async findMethod(userId) {
      const row = await db.selectFrom("recovery_methods").selectAll().where("user_id", "=", userId).executeTakeFirst();
      return row && { userId: row.user_id as UserId, channel: row.channel, addressSealed: Buffer.from(row.address_sealed), confirmedAt: Number(row.confirmed_at) };
    },
    async saveMethod(r) {
      await db.deleteFrom("recovery_methods").where("user_id", "=", r.userId).execute();
      await db.insertInto("recovery_methods").values({ user_id: r.userId, channel: r.channel, address_sealed: r.addressSealed, confirmed_at: r.confirmedAt }).execute();
    },
    async deleteMethod(userId) {
      const result = await db.deleteFrom("recovery_methods").where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async insertAttempt(r) {
      await db
        .updateTable("recovery_code_attempts")
        .set({ consumed_at: r.createdAt })
        .where("user_id", "=", r.userId)
        .where("purpose", "=", r.purpose)
        .where("consumed_at", "is", null)
        .execute();
      await db
        .insertInto("recovery_code_attempts")
        .values({
          token_hash: r.tokenHash,
          id: r.id,
          user_id: r.userId,
          purpose: r.purpose,
          channel: r.channel,
          address_sealed: r.addressSealed,
          code_key_sealed: r.codeKeySealed,
          code_mac: r.codeMac,
          created_at: r.createdAt,
          expires_at: r.expiresAt,
          attempts: 0,
          consumed_at: null,
        })
        .execute();
    },
    findAttempt,
    async countAttemptsSince(userId, since) {
      const row = await db.selectFrom("recovery_code_attempts").select((eb) => eb.fn.countAll().as("count")).where("user_id", "=", userId).where("created_at", ">=", since).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async claimAttempt(tokenHash, now, maxAttempts) {
      const result = await db
        .updateTable("recovery_code_attempts")
        .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
        .where("token_hash", "=", tokenHash)
        .where("consumed_at", "is", null)
        .where("expires_at", ">", now)
        .where("attempts", "<", maxAttempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? findAttempt(tokenHash) : undefined;
    },
    async consumeAttempt(tokenHash, now) {
      const result = await db.updateTable("recovery_code_attempts").set({ consumed_at: now }).where("token_hash", "=", tokenHash).where("consumed_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteExpiredAttempts(now) {
      // Kept for an hour after they end, for the sending limit; then only the audit log remembers them.
      const result = await db.deleteFrom("recovery_code_attempts").where("expires_at", "<=", now - 60 * 60 * 1000).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async insertRecovery(r) {
      await db
        .insertInto("account_recoveries")
        .values({ id: r.id, user_id: r.userId, status: r.status, channel: r.channel, requested_at: r.requestedAt, ready_at: r.readyAt, decided_by: r.decidedBy, decided_at: r.decidedAt, completed_at: r.completedAt })
        .execute();
    },
    async findRecovery(id) {
      const row = await db.selectFrom("account_recoveries").selectAll().where("id", "=", id).executeTakeFirst();
      return row && recoveryOf(row);
    },
    async findOpenRecoveryOfUser(userId) {
      const row = await db.selectFrom("account_recoveries").selectAll().where("user_id", "=", userId).where("status", "in", ["pending", "approved"]).orderBy("requested_at", "desc").executeTakeFirst();
      return row && recoveryOf(row);
    },
    async listRecoveries(statuses) {
      if (statuses.length === 0) return [];
      const rows = await db.selectFrom("account_recoveries").selectAll().where("status", "in", [...statuses]).orderBy("requested_at", "desc").limit(200).execute();
      return rows.map(recoveryOf);
    },
    async decideRecovery(id, from, to, by, now) {
      const result = await db
        .updateTable("account_recoveries")
        .set(to === "completed" ? { status: to, completed_at: now } : { status: to, decided_by: by, decided_at: now })
        .where("id", "=", id)
        .where("status", "in", [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
