// Session records. Only the SHA-256 of a session token is stored, never the token.
import { sql, type Kysely, type Selectable } from "kysely";
import { preparedLookup } from "./prepared-query.js";
import type { FindSessionHolder } from "./session-holders.js";
import type { UserId } from "../core/ids.js";
import type { Database, SessionsTable } from "./schema.js";

export interface SessionRecord {
  readonly idHash: string;
  readonly userId: UserId;
  readonly kind: "browser" | "token";
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly ip: string;
  readonly userAgent: string;
  /** Random and stable across renewals: how the sessions list names the session (migration 0016). */
  readonly publicId: string;
  /** When the session last re-proved who holds it ("sudo mode"); null: never since sign-in. */
  readonly reauthenticatedAt?: number | null | undefined;
  /** Opened for a user who must still enrol a second factor: it may only enrol (migration 0023). */
  readonly enrolmentRequired?: boolean | undefined;
}

export interface SessionStore {
  insertSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  /** The session with its user and the user's groups (session-holders.ts): what every signed-in request reads first. */
  findSessionHolder: FindSessionHolder;
  /** Moves last_seen_at forward (idle time-out); returns false when the session is gone. */
  touchSession(idHash: string, now: number): Promise<boolean>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of the user, but the one whose hash is `exceptIdHash` when given; answers how many ended. */
  deleteSessionsOfUser(userId: UserId, exceptIdHash?: string): Promise<number>;
  /** The user's sessions, renewal-pending ones too, expired ones not yet swept too; newest first. */
  listSessionsOfUser(userId: UserId): Promise<SessionRecord[]>;
  /** Ends the user's session with this public id; answers it, or undefined when the user has none such. */
  deleteSessionByPublicId(userId: UserId, publicId: string): Promise<SessionRecord | undefined>;
  deleteExpiredSessions(now: number, idleMs: number): Promise<number>;
  /**
   * After a privilege change: the user's browser sessions are kept under their renewal-pending
   * key, where only takeSessionForRenewal finds them, so the old id no longer works and the next
   * request gets a new one. Bearer-token sessions are left as they are: the CLI holds the token
   * and could not learn a new one (it reads the user's role afresh at every request).
   */
  markSessionsForRenewal(userId: UserId): Promise<void>;
  /** Removes and answers the renewal-pending session of `idHash`; only one caller ever gets it. */
  takeSessionForRenewal(idHash: string): Promise<SessionRecord | undefined>;
  /** Records that the session re-proved its password (and second factor) at `now`. */
  markReauthenticated(idHash: string, now: number): Promise<void>;
  /** The session's user has the second factor they had to enrol: it is a full session from now on. */
  clearEnrolmentRequired(idHash: string): Promise<void>;
}

/** The key a session waits under for its new id; never the SHA-256 of a token (hex only). */
export const renewalPendingKey = (idHash: string): string => `renew:${idHash}`;

export const sessionRecordOf = (row: Selectable<SessionsTable>): SessionRecord => ({
  idHash: row.id_hash,
  userId: row.user_id as UserId,
  kind: row.kind,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  ip: row.ip,
  userAgent: row.user_agent,
  publicId: row.public_id,
  reauthenticatedAt: row.reauthenticated_at ?? null,
  enrolmentRequired: Number(row.enrolment_required) === 1,
});

/** `holdersOf` makes the dialect's findSessionHolder (session-holders.ts), from this store's findSession if it wants. */
export function createSessionStore(db: Kysely<Database>, holdersOf: (own: Pick<SessionStore, "findSession">) => FindSessionHolder): SessionStore {
  const selectSession = preparedLookup(db, (q, idHash: string) => q.selectFrom("sessions").selectAll().where("id_hash", "=", idHash));
  const store: Omit<SessionStore, "findSessionHolder"> = {
    async insertSession(s) {
      await db
        .insertInto("sessions")
        .values({
          id_hash: s.idHash,
          user_id: s.userId,
          kind: s.kind,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ip: s.ip,
          user_agent: s.userAgent,
          public_id: s.publicId,
          reauthenticated_at: s.reauthenticatedAt ?? null,
          enrolment_required: s.enrolmentRequired === true ? 1 : 0,
        })
        .execute();
    },
    async findSession(idHash) {
      const row = await selectSession(idHash);
      return row && sessionRecordOf(row);
    },
    async touchSession(idHash, now) {
      const result = await db.updateTable("sessions").set({ last_seen_at: now }).where("id_hash", "=", idHash).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteSession(idHash) {
      await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
    },
    async deleteSessionsOfUser(userId, exceptIdHash) {
      let query = db.deleteFrom("sessions").where("user_id", "=", userId);
      if (exceptIdHash !== undefined) query = query.where("id_hash", "<>", exceptIdHash);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async listSessionsOfUser(userId) {
      const rows = await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).orderBy("created_at", "desc").execute();
      return rows.map(sessionRecordOf);
    },
    async deleteSessionByPublicId(userId, publicId) {
      const row = await db.deleteFrom("sessions").where("user_id", "=", userId).where("public_id", "=", publicId).returningAll().executeTakeFirst();
      return row && sessionRecordOf(row);
    },
    async deleteExpiredSessions(now, idleMs) {
      const result = await db
        .deleteFrom("sessions")
        .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", now - idleMs)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async markSessionsForRenewal(userId) {
      await db
        .updateTable("sessions")
        .set((eb) => ({ id_hash: sql<string>`${renewalPendingKey("")} || ${eb.ref("id_hash")}` }))
        .where("user_id", "=", userId)
        .where("kind", "=", "browser")
        .where("id_hash", "not like", `${renewalPendingKey("")}%`)
        .execute();
    },
    async markReauthenticated(idHash, now) {
      await db.updateTable("sessions").set({ reauthenticated_at: now }).where("id_hash", "=", idHash).execute();
    },
    async clearEnrolmentRequired(idHash) {
      await db.updateTable("sessions").set({ enrolment_required: 0 }).where("id_hash", "=", idHash).execute();
    },
    async takeSessionForRenewal(idHash) {
      const row = await db.deleteFrom("sessions").where("id_hash", "=", renewalPendingKey(idHash)).returningAll().executeTakeFirst();
      return row && sessionRecordOf(row);
    },
  };
  return { ...store, findSessionHolder: holdersOf(store) };
}
