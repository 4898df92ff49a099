// Wrapped data keys (envelope encryption). The store sees only wrapped keys, never a usable one.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface StoredDataKey {
  readonly version: number;
  readonly wrappedKey: Buffer;
  readonly kekId: string;
  readonly createdAt: number;
}

export interface DataKeyRecordStore {
  listDataKeys(): Promise<StoredDataKey[]>;
  insertDataKey(record: StoredDataKey): Promise<void>;
}

export function createDataKeyStore(db: Kysely<Database>): DataKeyRecordStore {
  return {
    async listDataKeys() {
      const rows = await db.selectFrom("data_keys").selectAll().orderBy("version").execute();
      return rows.map((r) => ({ version: r.version, wrappedKey: Buffer.from(r.wrapped_key), kekId: r.kek_id, createdAt: r.created_at }));
    },
    async insertDataKey(record) {
      await db
        .insertInto("data_keys")
        .values({ version: record.version, wrapped_key: record.wrappedKey, kek_id: record.kekId, created_at: record.createdAt })
        .execute();
    },
  };
}
