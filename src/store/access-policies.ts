// Entry and folder access policies (approval required, emergency access, the folder's approver
// group) and the one-query load that services make before asking core/policy.ts: the target's
// facts with every grant of the actor's principals that could cover it, live or not (decide()
// tells an expired or revoked grant from no grant at all).
import { sql, type Kysely, type SqlBool } from "kysely";
import type { EntryId, FolderId, GroupId, UserId } from "../core/ids.js";
import type { EntryFacts, FolderFacts, Grant } from "../core/policy-facts.js";
import type { PrincipalSet } from "../core/policy-rule.js";
import { grantBelongsTo } from "./grant-conditions.js";
import { grantOfRow } from "./grants.js";
import { entryRecordOf, type EntryRecord } from "./entries.js";
import type { Database } from "./schema.js";
import { stepUpScopeOf, type StepUpScope } from "./step-ups.js";
import type { GrantsTable } from "./schema-people-policy.js";

export interface EntryPolicy {
  readonly approvalsRequired: number;
  readonly emergencyAccess: boolean;
}

export interface AccessFacts<Target> {
  readonly facts: Target;
  /** The actor's grants on the target (and, for an entry, on its folder). */
  readonly grants: readonly Grant[];
}

/**
 * An entry's access facts, with the entry itself and the step-up its codes ask for (step-ups.ts):
 * read in the same query, since the code endpoint needs all three for every code (on PostgreSQL,
 * each query is a round trip, and round trips are most of a code's cost there).
 */
export interface EntryAccessFacts extends AccessFacts<EntryFacts> {
  readonly entry: EntryRecord;
  readonly stepUp: StepUpScope | null;
}

export interface AccessPolicyStore {
  /** undefined when there is no such entry. One query. "anyone": every grant on it, whoever holds it (decide() picks each actor's). */
  loadEntryAccess(entryId: EntryId, principals: PrincipalSet | "anyone"): Promise<EntryAccessFacts | undefined>;
  /** undefined when there is no such folder. One query. "anyone" as for loadEntryAccess. */
  loadFolderAccess(folderId: FolderId, principals: PrincipalSet | "anyone"): Promise<AccessFacts<FolderFacts> | undefined>;
  setEntryPolicy(entryId: EntryId, policy: EntryPolicy, now: number): Promise<void>;
  setFolderApproverGroup(folderId: FolderId, groupId: GroupId | null, now: number): Promise<void>;
}

const GRANT_COLUMNS = [
  "id",
  "user_id",
  "group_id",
  "service_account_id",
  "entry_id",
  "folder_id",
  "permission",
  "expires_at",
  "created_by",
  "created_at",
  "revoked_at",
  "revoked_by",
  "access_request_id",
] as const;

type Prefixed = { [K in (typeof GRANT_COLUMNS)[number] as `grant_${K}`]: GrantsTable[K] | null };

/** The grant columns of a joined row, or undefined when the left join found none. */
function grantOfJoinedRow(row: Prefixed): Grant | undefined {
  if (row.grant_id === null) return undefined;
  const grant = Object.fromEntries(GRANT_COLUMNS.map((c) => [c, row[`grant_${c}`]])) as unknown as GrantsTable;
  return grantOfRow(grant);
}

const grantSelections = GRANT_COLUMNS.map((c) => `g.${c} as grant_${c}` as const);

const heldBy = (principals: PrincipalSet | "anyone") => (principals === "anyone" ? sql<SqlBool>`1 = 1` : grantBelongsTo("g", principals));

export function createAccessPolicyStore(db: Kysely<Database>): AccessPolicyStore {
  return {
    async loadEntryAccess(entryId, principals) {
      const rows = await db
        .selectFrom("entries as e")
        .leftJoin("entry_policies as ep", "ep.entry_id", "e.id")
        .leftJoin("folder_policies as fp", "fp.folder_id", "e.folder_id")
        .leftJoin("grants as g", (join) => join.on(sql<SqlBool>`(g.entry_id = e.id or g.folder_id = e.folder_id) and ${heldBy(principals)}`))
        .selectAll("e")
        .select(["ep.approvals_required", "ep.emergency_access", "fp.approver_group_id"])
        .select([sql<number | null>`ep.step_up_required`.as("entry_step_up"), sql<number | null>`fp.step_up_required`.as("folder_step_up")])
        .select(grantSelections)
        .where("e.id", "=", entryId)
        .orderBy("g.created_at")
        .orderBy("g.id")
        .execute();
      const first = rows[0];
      if (first === undefined) return undefined;
      const facts: EntryFacts = {
        kind: "entry",
        id: first.id as EntryId,
        folderId: first.folder_id as FolderId | null,
        ownerId: first.owner_id as UserId,
        approvalsRequired: Number(first.approvals_required ?? 0),
        emergencyAccess: Number(first.emergency_access ?? 0) === 1,
        approverGroupId: first.approver_group_id as GroupId | null,
      };
      return { facts, grants: rows.flatMap((row) => grantOfJoinedRow(row as Prefixed) ?? []), entry: entryRecordOf(first), stepUp: stepUpScopeOf(first) };
    },
    async loadFolderAccess(folderId, principals) {
      const rows = await db
        .selectFrom("folders as f")
        .leftJoin("folder_policies as fp", "fp.folder_id", "f.id")
        .leftJoin("grants as g", (join) => join.on(sql<SqlBool>`g.folder_id = f.id and ${heldBy(principals)}`))
        .select(["f.id", "fp.approver_group_id"])
        .select(grantSelections)
        .where("f.id", "=", folderId)
        .orderBy("g.created_at")
        .orderBy("g.id")
        .execute();
      const first = rows[0];
      if (first === undefined) return undefined;
      const facts: FolderFacts = { kind: "folder", id: first.id as FolderId, approverGroupId: first.approver_group_id as GroupId | null };
      return { facts, grants: rows.flatMap((row) => grantOfJoinedRow(row as Prefixed) ?? []) };
    },
    async setEntryPolicy(entryId, policy, now) {
      const values = { approvals_required: policy.approvalsRequired, emergency_access: policy.emergencyAccess ? 1 : 0, updated_at: now };
      await db
        .insertInto("entry_policies")
        .values({ entry_id: entryId, ...values })
        .onConflict((oc) => oc.column("entry_id").doUpdateSet(values))
        .execute();
    },
    async setFolderApproverGroup(folderId, groupId, now) {
      const values = { approver_group_id: groupId, updated_at: now };
      await db
        .insertInto("folder_policies")
        .values({ folder_id: folderId, ...values })
        .onConflict((oc) => oc.column("folder_id").doUpdateSet(values))
        .execute();
    },
  };
}
