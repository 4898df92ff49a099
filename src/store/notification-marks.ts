// How far each user has read their in-app notifications: one instant per user. Notifications
// themselves are not stored; services/notifications.ts derives them from the access requests.
// Kept in the meta table (key "notifications_read_until:<user id>") because this piece of work
// had no migration number of its own; a later migration may give it a column on users.
import type { Kysely } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";

export interface NotificationMarkStore {
  /** 0 when the user never marked anything read. */
  readUntil(userId: UserId): Promise<number>;
  /** Never moves the mark backwards. */
  markReadUntil(userId: UserId, at: number): Promise<void>;
}

const keyOf = (userId: UserId): string => `notifications_read_until:${userId}`;

export function createNotificationMarkStore(db: Kysely<Database>): NotificationMarkStore {
  const readUntil = async (userId: UserId): Promise<number> => {
    const row = await db.selectFrom("meta").select("value").where("key", "=", keyOf(userId)).executeTakeFirst();
    return row === undefined ? 0 : Number(row.value);
  };
  return {
    readUntil,
    async markReadUntil(userId, at) {
      if ((await readUntil(userId)) >= at) return;
      const value = String(Math.floor(at));
      await db
        .insertInto("meta")
        .values({ key: keyOf(userId), value })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
        .execute();
    },
  };
}
