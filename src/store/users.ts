// Vault users (people who sign in to Watchword), as stored.
import type { Kysely, Selectable } from "kysely";
import { preparedLookup } from "./prepared-query.js";
import type { UserId } from "../core/ids.js";
import type { Database, Language, Role, UsersTable } from "./schema.js";

export interface UserRecord {
  readonly id: UserId;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
  readonly email: string | null;
  readonly language: Language | null;
}

export type NewUser = Omit<UserRecord, "disabledAt" | "email" | "language"> & { readonly email?: string | null };

/** The record of a user just inserted. */
export const recordOfNewUser = (user: NewUser): UserRecord => ({ ...user, disabledAt: null, email: user.email ?? null, language: null });

/** What a user may change about themselves, or an administrator about them; absent fields stay. */
export interface UserChanges {
  readonly displayName?: string;
  readonly email?: string | null;
  readonly language?: Language | null;
  readonly role?: Role;
  readonly disabledAt?: number | null;
  readonly passwordHash?: string;
}

export interface UserStore {
  insertUser(user: NewUser): Promise<void>;
  findUserById(id: UserId): Promise<UserRecord | undefined>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  countUsers(): Promise<number>;
  /** Whether an enabled user other than this one exists (administrators must then have a second factor). */
  hasOtherEnabledUser(id: UserId): Promise<boolean>;
  updatePasswordHash(id: UserId, passwordHash: string, now: number): Promise<void>;
  /** Every user, by username. */
  listUsers(): Promise<UserRecord[]>;
  /** False when there is no such user. */
  updateUser(id: UserId, changes: UserChanges, now: number): Promise<boolean>;
  /**
   * The enabled administrators, their rows locked until the transaction ends (PostgreSQL takes
   * row locks with the no-op update; SQLite's write transaction is exclusive already), so that
   * two administrators demoting each other at once cannot leave none.
   */
  lockEnabledAdministrators(now: number): Promise<UserId[]>;
  /** How many entries the user owns. */
  countOwnedEntries(id: UserId): Promise<number>;
  /** Hands the user's entries to another owner; the number moved. */
  reassignEntries(from: UserId, to: UserId): Promise<number>;
  /** Sessions, devices, memberships and links go with the user (foreign keys cascade). */
  deleteUser(id: UserId): Promise<boolean>;
}

export const userRecordOf = (row: Selectable<UsersTable>): UserRecord => ({
  id: row.id as UserId,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
  email: row.email,
  language: row.language,
});

export function createUserStore(db: Kysely<Database>): UserStore {
  const selectUser = preparedLookup(db, (q, id: string) => q.selectFrom("users").selectAll().where("id", "=", id));
  return {
    async insertUser(user) {
      await db
        .insertInto("users")
        .values({
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          role: user.role,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          updated_at: user.createdAt,
          disabled_at: null,
          email: user.email ?? null,
          language: null,
        })
        .execute();
    },
    async findUserById(id) {
      const row = await selectUser(id);
      return row && userRecordOf(row);
    },
    async findUserByUsername(username) {
      const row = await db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
      return row && userRecordOf(row);
    },
    async countUsers() {
      const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async hasOtherEnabledUser(id) {
      const row = await db.selectFrom("users").select("id").where("id", "!=", id).where("disabled_at", "is", null).limit(1).executeTakeFirst();
      return row !== undefined;
    },
    async updatePasswordHash(id, passwordHash, now) {
      await db.updateTable("users").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", id).execute();
    },
    async listUsers() {
      return (await db.selectFrom("users").selectAll().orderBy("username").execute()).map(userRecordOf);
    },
    async updateUser(id, changes, now) {
      const result = await db
        .updateTable("users")
        .set({
          updated_at: now,
          ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
          ...(changes.email === undefined ? {} : { email: changes.email }),
          ...(changes.language === undefined ? {} : { language: changes.language }),
          ...(changes.role === undefined ? {} : { role: changes.role }),
          ...(changes.disabledAt === undefined ? {} : { disabled_at: changes.disabledAt }),
          ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
        })
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async lockEnabledAdministrators() {
      const enabledAdmins = (q: typeof db) => q.updateTable("users").where("role", "=", "admin").where("disabled_at", "is", null);
      await enabledAdmins(db).set((eb) => ({ updated_at: eb.ref("updated_at") })).execute();
      const rows = await db.selectFrom("users").select("id").where("role", "=", "admin").where("disabled_at", "is", null).execute();
      return rows.map((r) => r.id as UserId);
    },
    async countOwnedEntries(id) {
      const row = await db.selectFrom("entries").select((eb) => eb.fn.countAll<number>().as("n")).where("owner_id", "=", id).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async reassignEntries(from, to) {
      const result = await db.updateTable("entries").set({ owner_id: to }).where("owner_id", "=", from).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async deleteUser(id) {
      const result = await db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
