// Which provider identity (issuer + subject, OpenID Connect Core §5.7: the only stable pair) each
// user signs in as through single sign-on (migration 0018).
import type { Kysely } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";

export interface UserIdentityRecord {
  readonly issuer: string;
  readonly subject: string;
  readonly userId: UserId;
  readonly email: string | null;
  readonly createdAt: number;
  readonly lastSignInAt: number;
}

export interface UserIdentityStore {
  insertIdentity(identity: UserIdentityRecord): Promise<void>;
  findIdentity(issuer: string, subject: string): Promise<UserIdentityRecord | undefined>;
  touchIdentity(issuer: string, subject: string, email: string | null, now: number): Promise<void>;
}

export function createUserIdentityStore(db: Kysely<Database>): UserIdentityStore {
  return {
    async insertIdentity(identity) {
      await db
        .insertInto("user_identities")
        .values({ issuer: identity.issuer, subject: identity.subject, user_id: identity.userId, email: identity.email, created_at: identity.createdAt, last_sign_in_at: identity.lastSignInAt })
        .execute();
    },
    async findIdentity(issuer, subject) {
      const row = await db.selectFrom("user_identities").selectAll().where("issuer", "=", issuer).where("subject", "=", subject).executeTakeFirst();
      return row && { issuer: row.issuer, subject: row.subject, userId: row.user_id as UserId, email: row.email, createdAt: row.created_at, lastSignInAt: row.last_sign_in_at };
    },
    async touchIdentity(issuer, subject, email, now) {
      await db.updateTable("user_identities").set({ email, last_sign_in_at: now }).where("issuer", "=", issuer).where("subject", "=", subject).execute();
    },
  };
}
