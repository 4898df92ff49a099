// Vault users' second factors as stored: the TOTP seed only sealed, and the last accepted time
// step, advanced by one conditional UPDATE so that two nodes can never both accept one step.
import type { Kysely, Selectable } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database, UserFactorKind, UserFactorsTable } from "./schema.js";

export interface UserFactorRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly kind: UserFactorKind;
  readonly secretSealed: Buffer | null;
  readonly name: string;
  readonly createdAt: number;
  readonly confirmedAt: number | null;
  readonly lastUsedAt: number | null;
  readonly lastStep: number;
}

export interface UserFactorStore {
  insertFactor(record: UserFactorRecord): Promise<void>;
  findFactor(id: string): Promise<UserFactorRecord | undefined>;
  /** Every factor of the user, confirmed or not, oldest first. */
  listFactorsOfUser(userId: UserId): Promise<UserFactorRecord[]>;
  /**
   * RFC 6238 §5.2: accepts `step` only when it is later than the last accepted one, in one
   * statement (`UPDATE … WHERE last_step < :step`), so concurrent requests on any node agree.
   * With `confirm`, an unconfirmed factor becomes confirmed in the same statement. False: refused.
   */
  advanceLastStep(id: string, step: number, now: number, confirm?: boolean): Promise<boolean>;
  renameFactor(id: string, name: string): Promise<boolean>;
  deleteFactor(id: string): Promise<boolean>;
  /** Enrolments never confirmed: started again, or abandoned. */
  deleteUnconfirmedFactorsOfUser(userId: UserId, kind: UserFactorKind): Promise<void>;
}

const toRecord = (row: Selectable<UserFactorsTable>): UserFactorRecord => ({
  id: row.id,
  userId: row.user_id as UserId,
  kind: row.kind,
  secretSealed: row.secret_sealed === null ? null : Buffer.from(row.secret_sealed),
  name: row.name,
  createdAt: Number(row.created_at),
  confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  lastStep: Number(row.last_step),
});

export function createUserFactorStore(db: Kysely<Database>): UserFactorStore {
  return {
    async insertFactor(r) {
      await db
        .insertInto("user_factors")
        .values({
          id: r.id,
          user_id: r.userId,
          kind: r.kind,
          secret_sealed: r.secretSealed,
          name: r.name,
          created_at: r.createdAt,
          confirmed_at: r.confirmedAt,
          last_used_at: r.lastUsedAt,
          last_step: r.lastStep,
        })
        .execute();
    },
    async findFactor(id) {
      const row = await db.selectFrom("user_factors").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },
    async listFactorsOfUser(userId) {
      const rows = await db.selectFrom("user_factors").selectAll().where("user_id", "=", userId).orderBy("created_at").orderBy("id").execute();
      return rows.map(toRecord);
    },
    async advanceLastStep(id, step, now, confirm = false) {
      let query = db
        .updateTable("user_factors")
        .set(confirm ? { last_step: step, last_used_at: now, confirmed_at: now } : { last_step: step, last_used_at: now })
        .where("id", "=", id)
        .where("last_step", "<", step);
      query = confirm ? query.where("confirmed_at", "is", null) : query.where("confirmed_at", "is not", null);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async renameFactor(id, name) {
      const result = await db.updateTable("user_factors").set({ name }).where("id", "=", id).where("confirmed_at", "is not", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteFactor(id) {
      const result = await db.deleteFrom("user_factors").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async deleteUnconfirmedFactorsOfUser(userId, kind) {
      await db.deleteFrom("user_factors").where("user_id", "=", userId).where("kind", "=", kind).where("confirmed_at", "is", null).execute();
    },
  };
}
