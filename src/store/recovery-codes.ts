// Recovery codes of target accounts, sealed one per row, used at most once.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface RecoveryCodeRecord {
  readonly id: string;
  readonly entryId: string;
  readonly position: number;
  readonly codeSealed: Buffer;
  readonly usedAt: number | null;
}

export interface RecoveryCodeStore {
  listRecoveryCodes(entryId: string): Promise<RecoveryCodeRecord[]>;
  /** Total and unused counts for many entries at once. */
  countRecoveryCodes(entryIds: readonly string[]): Promise<Map<string, { total: number; remaining: number }>>;
  replaceRecoveryCodes(entryId: string, codes: readonly Omit<RecoveryCodeRecord, "usedAt" | "entryId">[]): Promise<void>;
  /** The first unused code of an entry, by position; undefined when none is left. */
  findNextUnusedRecoveryCode(entryId: string): Promise<RecoveryCodeRecord | undefined>;
  /**
   * Marks one code used if it still is unused, atomically: of two people claiming the same code
   * at once, one gets true and the other false (and looks for the next one).
   */
  claimRecoveryCode(id: string, userId: string, now: number): Promise<boolean>;
}

export function createRecoveryCodeStore(db: Kysely<Database>): RecoveryCodeStore {
  const toRecord = (r: { id: string; entry_id: string; position: number; code_sealed: Buffer; used_at: number | null }): RecoveryCodeRecord => ({
    id: r.id,
    entryId: r.entry_id,
    position: r.position,
    codeSealed: Buffer.from(r.code_sealed),
    usedAt: r.used_at,
  });
  return {
    async listRecoveryCodes(entryId) {
      const rows = await db.selectFrom("recovery_codes").selectAll().where("entry_id", "=", entryId).orderBy("position").execute();
      return rows.map(toRecord);
    },
    async countRecoveryCodes(entryIds) {
      const counts = new Map<string, { total: number; remaining: number }>();
      if (entryIds.length === 0) return counts;
      const rows = await db
        .selectFrom("recovery_codes")
        .select((eb) => ["entry_id", eb.fn.countAll<number>().as("total"), eb.fn.count<number>("id").filterWhere("used_at", "is", null).as("remaining")])
        .where("entry_id", "in", entryIds)
        .groupBy("entry_id")
        .execute();
      for (const row of rows) counts.set(row.entry_id, { total: Number(row.total), remaining: Number(row.remaining) });
      return counts;
    },
    async replaceRecoveryCodes(entryId, codes) {
      await db.deleteFrom("recovery_codes").where("entry_id", "=", entryId).execute();
      if (codes.length === 0) return;
      await db
        .insertInto("recovery_codes")
        .values(codes.map((c) => ({ id: c.id, entry_id: entryId, position: c.position, code_sealed: c.codeSealed, used_at: null, used_by: null })))
        .execute();
    },
    async findNextUnusedRecoveryCode(entryId) {
      const next = await db.selectFrom("recovery_codes").selectAll().where("entry_id", "=", entryId).where("used_at", "is", null).orderBy("position").limit(1).executeTakeFirst();
      return next && toRecord(next);
    },
    async claimRecoveryCode(id, userId, now) {
      const claimed = await db.updateTable("recovery_codes").set({ used_at: now, used_by: userId }).where("id", "=", id).where("used_at", "is", null).executeTakeFirst();
      return Number(claimed.numUpdatedRows) === 1;
    },
  };
}
