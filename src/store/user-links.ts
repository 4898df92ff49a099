// One-time links that let a person set a password: an invitation for a new user, a password
// reset for an existing one. Stored as the SHA-256 of the token; using one is one atomic update.
import type { Kysely } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database, UserLinksTable } from "./schema.js";

export type UserLinkPurpose = UserLinksTable["purpose"];
export type UserLinkState = "valid" | "used" | "expired" | "unknown";

export interface UserLinkRecord {
  readonly userId: UserId;
  readonly purpose: UserLinkPurpose;
  readonly expiresAt: number;
  readonly state: UserLinkState;
}

export interface UserLinkStore {
  /** Stores a new link; the user's unused links of the same purpose stop working. */
  insertUserLink(link: { tokenHash: string; userId: UserId; purpose: UserLinkPurpose; createdBy: UserId | null; now: number; expiresAt: number }): Promise<void>;
  findUserLink(tokenHash: string, purpose: UserLinkPurpose, now: number): Promise<UserLinkRecord | undefined>;
  /** Marks the link used if it is still valid; true when this call used it. */
  consumeUserLink(tokenHash: string, purpose: UserLinkPurpose, now: number): Promise<boolean>;
  /** Withdraws the user's unused links (of one purpose, or all). */
  withdrawUserLinks(userId: UserId, purpose?: UserLinkPurpose): Promise<void>;
}

export function createUserLinkStore(db: Kysely<Database>): UserLinkStore {
  const withdraw = async (userId: UserId, purpose?: UserLinkPurpose) => {
    let query = db.deleteFrom("user_links").where("user_id", "=", userId).where("used_at", "is", null);
    if (purpose !== undefined) query = query.where("purpose", "=", purpose);
    await query.execute();
  };
  return {
    async insertUserLink(link) {
      await withdraw(link.userId, link.purpose);
      await db
        .insertInto("user_links")
        .values({ token_hash: link.tokenHash, user_id: link.userId, purpose: link.purpose, created_by: link.createdBy, created_at: link.now, expires_at: link.expiresAt, used_at: null })
        .execute();
    },
    async findUserLink(tokenHash, purpose, now) {
      const row = await db.selectFrom("user_links").selectAll().where("token_hash", "=", tokenHash).where("purpose", "=", purpose).executeTakeFirst();
      if (row === undefined) return undefined;
      const state: UserLinkState = row.used_at !== null ? "used" : row.expires_at <= now ? "expired" : "valid";
      return { userId: row.user_id as UserId, purpose: row.purpose, expiresAt: row.expires_at, state };
    },
    async consumeUserLink(tokenHash, purpose, now) {
      const result = await db
        .updateTable("user_links")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("purpose", "=", purpose)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    withdrawUserLinks: withdraw,
  };
}
