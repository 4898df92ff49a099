// Vault users (people who sign in to Watchword), as stored.
import type { Kysely, Selectable } from "kysely";
import { preparedLookup } from "./prepared-query.js";
import type { UserId } from "../core/ids.js";
import type { Database, Role, UsersTable } from "./schema.js";

export interface UserRecord {
  readonly id: UserId;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export type NewUser = Omit<UserRecord, "disabledAt">;

export interface UserStore {
  insertUser(user: NewUser): Promise<void>;
  findUserById(id: UserId): Promise<UserRecord | undefined>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  countUsers(): Promise<number>;
  updatePasswordHash(id: UserId, passwordHash: string, now: number): Promise<void>;
}

const toRecord = (row: Selectable<UsersTable>): UserRecord => ({
  id: row.id as UserId,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
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
        })
        .execute();
    },
    async findUserById(id) {
      const row = await selectUser(id);
      return row && toRecord(row);
    },
    async findUserByUsername(username) {
      const row = await db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
      return row && toRecord(row);
    },
    async countUsers() {
      const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async updatePasswordHash(id, passwordHash, now) {
      await db.updateTable("users").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", id).execute();
    },
  };
}
