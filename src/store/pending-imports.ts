// Parsed imports waiting for confirmation: the parsed seeds sealed as one blob, for 30 minutes.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface PendingImportRecord {
  readonly id: string;
  readonly userId: string;
  readonly format: string;
  readonly sealed: Buffer;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface PendingImportStore {
  insertPendingImport(record: PendingImportRecord): Promise<void>;
  findPendingImport(id: string): Promise<PendingImportRecord | undefined>;
  deletePendingImport(id: string): Promise<boolean>;
  deleteExpiredImports(now: number): Promise<void>;
}

export function createPendingImportStore(db: Kysely<Database>): PendingImportStore {
  return {
    async insertPendingImport(r) {
      await db
        .insertInto("pending_imports")
        .values({ id: r.id, user_id: r.userId, format: r.format, sealed: r.sealed, created_at: r.createdAt, expires_at: r.expiresAt })
        .execute();
    },
    async findPendingImport(id) {
      const r = await db.selectFrom("pending_imports").selectAll().where("id", "=", id).executeTakeFirst();
      return r && { id: r.id, userId: r.user_id, format: r.format, sealed: Buffer.from(r.sealed), createdAt: r.created_at, expiresAt: r.expires_at };
    },
    async deletePendingImport(id) {
      const result = await db.deleteFrom("pending_imports").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async deleteExpiredImports(now) {
      await db.deleteFrom("pending_imports").where("expires_at", "<=", now).execute();
    },
  };
}
