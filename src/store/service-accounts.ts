// Service accounts (scripts and pipelines), as stored. They sign in only with API tokens
// (api-tokens.ts); disabling one stops every token it owns at the next request.
import type { Kysely, Selectable } from "kysely";
import { conflict, problem } from "../core/errors.js";
import { nameKey } from "../core/name-key.js";
import type { ServiceAccountId, UserId } from "../core/ids.js";
import { isUniqueViolation } from "./unique-violation.js";
import type { Database } from "./schema.js";
import type { ServiceAccountsTable } from "./schema-people-policy.js";

export interface ServiceAccountRecord {
  readonly id: ServiceAccountId;
  readonly name: string;
  readonly description: string | null;
  readonly createdBy: UserId | null;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export type NewServiceAccount = Omit<ServiceAccountRecord, "disabledAt">;

export interface ServiceAccountStore {
  /** Throws a conflict when another service account has the same name (core/name-key.ts: case, Unicode form and zero-width characters aside). */
  insertServiceAccount(account: NewServiceAccount): Promise<void>;
  findServiceAccount(id: ServiceAccountId): Promise<ServiceAccountRecord | undefined>;
  findServiceAccountByName(name: string): Promise<ServiceAccountRecord | undefined>;
  listServiceAccounts(): Promise<ServiceAccountRecord[]>;
  /** `at` disables, null enables again; false when there is no such service account. */
  setServiceAccountDisabled(id: ServiceAccountId, at: number | null): Promise<boolean>;
}

const toRecord = (row: Selectable<ServiceAccountsTable>): ServiceAccountRecord => ({
  id: row.id as ServiceAccountId,
  name: row.name,
  description: row.description,
  createdBy: row.created_by as UserId | null,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

export function createServiceAccountStore(db: Kysely<Database>): ServiceAccountStore {
  return {
    async insertServiceAccount(account) {
      try {
        await db
          .insertInto("service_accounts")
          .values({
            id: account.id,
            name: account.name,
            name_key: nameKey(account.name),
            description: account.description,
            created_by: account.createdBy,
            created_at: account.createdAt,
            disabled_at: null,
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(problem("service_account_name_taken", { name: account.name }), "name");
        throw error;
      }
    },
    async findServiceAccount(id) {
      const row = await db.selectFrom("service_accounts").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },
    async findServiceAccountByName(name) {
      const row = await db.selectFrom("service_accounts").selectAll().where("name_key", "=", nameKey(name)).executeTakeFirst();
      return row && toRecord(row);
    },
    async listServiceAccounts() {
      return (await db.selectFrom("service_accounts").selectAll().orderBy("name_key").execute()).map(toRecord);
    },
    async setServiceAccountDisabled(id, at) {
      const result = await db.updateTable("service_accounts").set({ disabled_at: at }).where("id", "=", id).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
