// Grants as stored: principal (user, group, service account) × entry or folder × permission, with
// expiry, who granted and revoked. Revoking keeps the row (the Access panel and decide() name it);
// the store never filters by permission itself (core/policy.ts decides, policy-listing.ts pages).
import type { Kysely, Selectable } from "kysely";
import type { AccessRequestId, EntryId, FolderId, GrantId, GroupId, ServiceAccountId, UserId } from "../core/ids.js";
import type { Grant, GrantPermission, GrantScope, Principal } from "../core/policy-facts.js";
import { columnsOfTarget, targetOfColumns } from "./entry-or-folder-columns.js";
import type { Database } from "./schema.js";
import type { GrantsTable } from "./schema-people-policy.js";

export interface GrantRecord extends Grant {
  readonly createdBy: UserId | null;
  readonly createdAt: number;
  readonly revokedBy: UserId | null;
}

export type NewGrant = Omit<GrantRecord, "revokedAt" | "revokedBy">;

export interface GrantFilter {
  readonly entryId?: EntryId;
  readonly folderId?: FolderId;
  readonly principal?: Principal;
  /** Revoked grants too (default: only those not revoked; expired ones are always listed). */
  readonly includeRevoked?: boolean;
}

export interface GrantStore {
  insertGrant(grant: NewGrant): Promise<void>;
  findGrant(id: GrantId): Promise<GrantRecord | undefined>;
  /** Oldest first. */
  listGrants(filter: GrantFilter): Promise<GrantRecord[]>;
  /** True when this call revoked it; false when it was already revoked or does not exist. */
  revokeGrant(id: GrantId, by: UserId | null, now: number): Promise<boolean>;
}

type GrantRow = Selectable<GrantsTable>;

/** The three principal columns of a row, exactly one set. */
export function principalColumns(principal: Principal): Pick<GrantRow, "user_id" | "group_id" | "service_account_id"> {
  return {
    user_id: principal.kind === "user" ? principal.id : null,
    group_id: principal.kind === "group" ? principal.id : null,
    service_account_id: principal.kind === "service_account" ? principal.id : null,
  };
}

export function grantOfRow(row: GrantRow): GrantRecord {
  const principal: Principal =
    row.user_id !== null
      ? { kind: "user", id: row.user_id as UserId }
      : row.group_id !== null
        ? { kind: "group", id: row.group_id as GroupId }
        : { kind: "service_account", id: row.service_account_id as ServiceAccountId };
  const scope: GrantScope = targetOfColumns(row);
  return {
    id: row.id as GrantId,
    principal,
    scope,
    permission: row.permission,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    accessRequestId: row.access_request_id as AccessRequestId | null,
    createdBy: row.created_by as UserId | null,
    createdAt: row.created_at,
    revokedBy: row.revoked_by as UserId | null,
  };
}

export function rowOfGrant(grant: NewGrant): GrantRow {
  return {
    id: grant.id,
    ...principalColumns(grant.principal),
    ...columnsOfTarget(grant.scope),
    permission: grant.permission satisfies GrantPermission,
    expires_at: grant.expiresAt,
    created_by: grant.createdBy,
    created_at: grant.createdAt,
    revoked_at: null,
    revoked_by: null,
    access_request_id: grant.accessRequestId,
  };
}

export function createGrantStore(db: Kysely<Database>): GrantStore {
  return {
    async insertGrant(grant) {
      await db.insertInto("grants").values(rowOfGrant(grant)).execute();
    },
    async findGrant(id) {
      const row = await db.selectFrom("grants").selectAll().where("id", "=", id).executeTakeFirst();
      return row && grantOfRow(row);
    },
    async listGrants(filter) {
      let query = db.selectFrom("grants").selectAll().orderBy("created_at").orderBy("id");
      if (filter.entryId !== undefined) query = query.where("entry_id", "=", filter.entryId);
      if (filter.folderId !== undefined) query = query.where("folder_id", "=", filter.folderId);
      if (filter.principal !== undefined) {
        const column = filter.principal.kind === "user" ? "user_id" : filter.principal.kind === "group" ? "group_id" : "service_account_id";
        query = query.where(column, "=", filter.principal.id);
      }
      if (filter.includeRevoked !== true) query = query.where("revoked_at", "is", null);
      return (await query.execute()).map(grantOfRow);
    },
    async revokeGrant(id, by, now) {
      const result = await db.updateTable("grants").set({ revoked_at: now, revoked_by: by }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
