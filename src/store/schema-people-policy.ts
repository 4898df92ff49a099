// The tables of people and policy (migration 0004) as Kysely sees them: groups, service accounts
// and their API tokens (hashes only), grants, entry and folder policies, access requests.
// Times are milliseconds since the epoch; flags are 0/1 integers on both dialects.
import type { Generated } from "kysely";
import type { GrantPermission, TokenPermission } from "../core/policy-facts.js";

export interface GroupsTable {
  id: string;
  name: string;
  /** What uniqueness compares (trimmed, lower-cased, as for folders). */
  name_key: string;
  created_at: number;
  updated_at: number;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  added_at: number;
}

export interface ServiceAccountsTable {
  id: string;
  name: string;
  name_key: string;
  description: string | null;
  created_by: string | null;
  created_at: number;
  disabled_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  service_account_id: string;
  /** SHA-256 (hex) of the whole `ww_…` token: the token itself is never stored. */
  token_hash: string;
  label: string;
  /** JSON {entryIds: string[], folderIds: string[], permissions: ("use" | "recover")[]}. */
  scope: string;
  /** JSON array of canonical CIDRs (core/address-allowlist.ts); [] allows every address. */
  allowed_cidrs: string;
  expires_at: number | null;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
}

export interface GrantsTable {
  id: string;
  /** Exactly one of the three principal columns is set (a check constraint says so). */
  user_id: string | null;
  group_id: string | null;
  service_account_id: string | null;
  /** Exactly one of entry_id and folder_id is set. */
  entry_id: string | null;
  folder_id: string | null;
  permission: GrantPermission;
  expires_at: number | null;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  /** The approved access request that created this grant; unique: one request, one grant. */
  access_request_id: string | null;
}

export interface EntryPoliciesTable {
  entry_id: string;
  /** N distinct approvers per use window; 0: none needed. */
  approvals_required: number;
  emergency_access: number;
  updated_at: number;
  /** 0 or 1: a fresh second factor before each code (migration 0023). */
  step_up_required: Generated<number>;
}

export interface FolderPoliciesTable {
  folder_id: string;
  approver_group_id: string | null;
  updated_at: number;
  /** 0 or 1: a fresh second factor before each code of the folder's entries (migration 0023). */
  step_up_required: Generated<number>;
}

export type AccessRequestStatus = "pending" | "approved" | "denied" | "cancelled" | "review_pending" | "reviewed";

export interface AccessRequestsTable {
  id: string;
  requester_id: string;
  entry_id: string | null;
  folder_id: string | null;
  permission: TokenPermission;
  duration_ms: number;
  reason: string;
  status: AccessRequestStatus;
  /** Break glass: the code was handed out at once; the request waits for a review. */
  emergency: number;
  approvals_required: number;
  /** Approvals recorded so far (under the row's lock: exact across nodes). */
  approvals: number;
  created_at: number;
  updated_at: number;
  decided_at: number | null;
  reviewed_at: number | null;
  reviewed_by: string | null;
}

export type AccessDecisionKind = "approve" | "deny" | "review";

export interface AccessRequestDecisionsTable {
  request_id: string;
  /** Primary key with request_id: each approver decides a request at most once. */
  approver_id: string;
  decision: AccessDecisionKind;
  comment: string | null;
  /** An approver may shorten the duration asked for. */
  duration_ms: number | null;
  decided_at: number;
}

export interface PeopleAndPolicyTables {
  groups: GroupsTable;
  group_members: GroupMembersTable;
  service_accounts: ServiceAccountsTable;
  api_tokens: ApiTokensTable;
  grants: GrantsTable;
  entry_policies: EntryPoliciesTable;
  folder_policies: FolderPoliciesTable;
  access_requests: AccessRequestsTable;
  access_request_decisions: AccessRequestDecisionsTable;
}
