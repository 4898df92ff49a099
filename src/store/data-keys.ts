// Wrapped data keys (envelope encryption) and the wrapped audit key. The store sees only wrapped
// keys, never a usable one. A rotation's re-wrap is a compare-and-set on the key id, so two
// rotations, or a rotation and a first start, can never overwrite each other's work.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface StoredDataKey {
  readonly version: number;
  readonly wrappedKey: Buffer;
  readonly kekId: string;
  readonly createdAt: number;
}

export interface StoredAuditKey {
  readonly wrappedKey: Buffer;
  readonly kekId: string;
  /** The audit key's own non-secret id (audit-key.ts), to check that a re-wrap kept the same key. */
  readonly keyId: string;
  readonly createdAt: number;
}

export interface DataKeyRecordStore {
  listDataKeys(): Promise<StoredDataKey[]>;
  insertDataKey(record: StoredDataKey): Promise<void>;
  /** Replaces the wrapping of data key `version` if it is still wrapped by `fromKekId`; false if not. */
  rewrapDataKey(version: number, fromKekId: string, wrappedKey: Buffer, kekId: string): Promise<boolean>;
  readAuditKey(): Promise<StoredAuditKey | undefined>;
  /** Rejects a second audit key (the table holds one row). */
  insertAuditKey(record: StoredAuditKey): Promise<void>;
  /** Replaces the audit key's wrapping if it is still wrapped by `fromKekId`; false if not. */
  rewrapAuditKey(fromKekId: string, wrappedKey: Buffer, kekId: string): Promise<boolean>;
}

const AUDIT_KEY_ROW = 1;

export function createDataKeyStore(db: Kysely<Database>): DataKeyRecordStore {
  return {
    async listDataKeys() {
      const rows = await db.selectFrom("data_keys").selectAll().orderBy("version").execute();
      return rows.map((r) => ({ version: r.version, wrappedKey: Buffer.from(r.wrapped_key), kekId: r.kek_id, createdAt: Number(r.created_at) }));
    },
    async insertDataKey(record) {
      await db
        .insertInto("data_keys")
        .values({ version: record.version, wrapped_key: record.wrappedKey, kek_id: record.kekId, created_at: record.createdAt })
        .execute();
    },
    async rewrapDataKey(version, fromKekId, wrappedKey, kekId) {
      const result = await db
        .updateTable("data_keys")
        .set({ wrapped_key: wrappedKey, kek_id: kekId })
        .where("version", "=", version)
        .where("kek_id", "=", fromKekId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async readAuditKey() {
      const row = await db.selectFrom("audit_key").selectAll().where("id", "=", AUDIT_KEY_ROW).executeTakeFirst();
      return row === undefined ? undefined : { wrappedKey: Buffer.from(row.wrapped_key), kekId: row.kek_id, keyId: row.key_id, createdAt: Number(row.created_at) };
    },
    async insertAuditKey(record) {
      await db
        .insertInto("audit_key")
        .values({ id: AUDIT_KEY_ROW, wrapped_key: record.wrappedKey, kek_id: record.kekId, key_id: record.keyId, created_at: record.createdAt })
        .execute();
    },
    async rewrapAuditKey(fromKekId, wrappedKey, kekId) {
      const result = await db
        .updateTable("audit_key")
        .set({ wrapped_key: wrappedKey, kek_id: kekId })
        .where("id", "=", AUDIT_KEY_ROW)
        .where("kek_id", "=", fromKekId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
