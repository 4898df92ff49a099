// Device tokens as stored: only their SHA-256, the user they were issued to and their lifetime.
import type { Kysely } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";

export interface DeviceTokenRecord {
  readonly tokenHash: string;
  readonly userId: UserId;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly expiresAt: number;
}

export interface DeviceTokenStore {
  insertDeviceToken(record: DeviceTokenRecord): Promise<void>;
  findDeviceToken(tokenHash: string): Promise<DeviceTokenRecord | undefined>;
  touchDeviceToken(tokenHash: string, now: number): Promise<void>;
  deleteDeviceToken(tokenHash: string): Promise<void>;
  /** Keeps the user's `keep` most recently used tokens and the ones not yet expired; deletes the rest. */
  pruneDeviceTokens(userId: UserId, keep: number, now: number): Promise<void>;
}

export function createDeviceTokenStore(db: Kysely<Database>): DeviceTokenStore {
  return {
    async insertDeviceToken(record) {
      await db
        .insertInto("device_tokens")
        .values({ token_hash: record.tokenHash, user_id: record.userId, created_at: record.createdAt, last_used_at: record.lastUsedAt, expires_at: record.expiresAt })
        .execute();
    },
    async findDeviceToken(tokenHash) {
      const row = await db.selectFrom("device_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
      return row && { tokenHash: row.token_hash, userId: row.user_id as UserId, createdAt: row.created_at, lastUsedAt: row.last_used_at, expiresAt: row.expires_at };
    },
    async touchDeviceToken(tokenHash, now) {
      await db.updateTable("device_tokens").set({ last_used_at: now }).where("token_hash", "=", tokenHash).execute();
    },
    async deleteDeviceToken(tokenHash) {
      await db.deleteFrom("device_tokens").where("token_hash", "=", tokenHash).execute();
    },
    async pruneDeviceTokens(userId, keep, now) {
      await db.deleteFrom("device_tokens").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
      const kept = db.selectFrom("device_tokens").select("token_hash").where("user_id", "=", userId).orderBy("last_used_at", "desc").limit(keep);
      await db.deleteFrom("device_tokens").where("user_id", "=", userId).where("token_hash", "not in", kept).execute();
    },
  };
}
