// The words of policy: who asks (actor), what they ask (action), about what (target), what has
// been granted, and the answer (decision). Plain data only; core/policy.ts decides.
import type { AccessRequestId, ApiTokenId, EntryId, FolderId, GrantId, GroupId, ServiceAccountId, UserId } from "./ids.js";
import type { Cidr } from "./address-allowlist.js";

/** Milliseconds since the Unix epoch, always passed in (a Clock's `now()`), never read here. */
export type Instant = number;

export type Role = "admin" | "member" | "auditor";

/** What a grant gives: `manage` includes `use` and `recover`. */
export type GrantPermission = "use" | "recover" | "manage";
export const GRANT_PERMISSIONS: readonly GrantPermission[] = Object.freeze(["use", "recover", "manage"]);

/** What an API token may be scoped to: scripts get codes and recovery codes, they never manage. */
export type TokenPermission = "use" | "recover";

export type Action =
  /** Get codes of an entry. */
  | "use"
  /** Reveal one recovery code of an entry's target account. */
  | "recover"
  /** Get a code of an entry that needs approval, at once, against a reason (break glass). */
  | "emergency_use"
  /** Edit, overwrite the seed, reveal all recovery codes, delete, grant others. */
  | "manage"
  /** Create an entry in a folder, or in no folder (the vault target). */
  | "create_entry"
  /** Users, groups, service accounts, folders, templates, policies. */
  | "admin"
  /** Read, filter, export and verify the audit log. */
  | "audit.read"
  /** Ask for access to an entry or folder. */
  | "request"
  /** Approve or deny an access request, or review an emergency use. */
  | "approve";

export interface UserActorFacts {
  readonly kind: "user";
  readonly userId: UserId;
  readonly role: Role;
  /** The groups the user belongs to: grants to them reach the user. */
  readonly groupIds: readonly GroupId[];
  readonly isDisabled: boolean;
}

export interface TokenScope {
  readonly entryIds: readonly EntryId[];
  readonly folderIds: readonly FolderId[];
  readonly permissions: readonly TokenPermission[];
}

export interface TokenFacts {
  readonly id: ApiTokenId;
  readonly scope: TokenScope;
  /** Empty: any address. */
  readonly allowedCidrs: readonly Cidr[];
  readonly expiresAt: Instant | null;
  readonly revokedAt: Instant | null;
}

export interface ServiceAccountActorFacts {
  readonly kind: "service_account";
  readonly serviceAccountId: ServiceAccountId;
  readonly isDisabled: boolean;
  /** The token this request came with. */
  readonly token: TokenFacts;
  /** The address the request came from, as the server saw it. */
  readonly address: string;
}

export type PolicyActor = UserActorFacts | ServiceAccountActorFacts;

export interface EntryFacts {
  readonly kind: "entry";
  readonly id: EntryId;
  readonly folderId: FolderId | null;
  readonly ownerId: UserId;
  /** N distinct approvers (other than the requester) for every use window; 0: no approval needed. */
  readonly approvalsRequired: number;
  /** Break glass allowed (off by default). */
  readonly emergencyAccess: boolean;
  /** The group whose members approve requests for the entry's folder. */
  readonly approverGroupId: GroupId | null;
}

export interface FolderFacts {
  readonly kind: "folder";
  readonly id: FolderId;
  readonly approverGroupId: GroupId | null;
}

/** The whole vault: for actions about no particular entry (admin, audit.read, an entry in no folder). */
export interface VaultTarget {
  readonly kind: "vault";
}

export interface AccessRequestFacts {
  readonly kind: "access_request";
  readonly id: AccessRequestId;
  readonly requesterId: UserId;
  /** Pending approval, or an emergency use pending review. */
  readonly isOpen: boolean;
  /** Who has already approved it. */
  readonly approverIds: readonly UserId[];
  /** What it asks for. */
  readonly on: EntryFacts | FolderFacts;
}

/** Which target each action is asked about (checked by the compiler). */
export interface TargetOf {
  use: EntryFacts | FolderFacts;
  recover: EntryFacts | FolderFacts;
  emergency_use: EntryFacts;
  manage: EntryFacts | FolderFacts;
  create_entry: FolderFacts | VaultTarget;
  admin: VaultTarget;
  "audit.read": VaultTarget;
  request: EntryFacts | FolderFacts;
  approve: AccessRequestFacts;
}

export type Principal =
  | { readonly kind: "user"; readonly id: UserId }
  | { readonly kind: "group"; readonly id: GroupId }
  | { readonly kind: "service_account"; readonly id: ServiceAccountId };

export type GrantScope = { readonly kind: "entry"; readonly id: EntryId } | { readonly kind: "folder"; readonly id: FolderId };

export interface Grant {
  readonly id: GrantId;
  readonly principal: Principal;
  readonly scope: GrantScope;
  readonly permission: GrantPermission;
  readonly expiresAt: Instant | null;
  /** Any revocation counts, whatever its time: nodes' clocks differ, a revoked grant must deny everywhere at once. */
  readonly revokedAt: Instant | null;
  /** Set when an approved access request created the grant: only such grants open approval-required entries. */
  readonly accessRequestId: AccessRequestId | null;
}

/** What the audit event names as the reason access was allowed. */
export type Via = GrantId | "role" | "owner" | "approver_group";

export type DenialReason =
  /** The user or service account is disabled. */
  | "disabled"
  /** The role (or a service account's kind) never may, e.g. an auditor getting a code. */
  | "role_forbids"
  /** No grant covers it. */
  | "no_grant"
  /** Only expired grants (or an expired token) would have covered it. */
  | "expired"
  /** Only revoked grants (or a revoked token) would have covered it. */
  | "revoked"
  /** The entry needs an approved access request and there is none in force. */
  | "approval_required"
  /** Emergency access is off for this entry. */
  | "emergency_access_off"
  /** Beyond the token's scope (entries, folders or permissions). */
  | "out_of_scope"
  /** The request came from an address outside the token's allowlist. */
  | "address_not_allowed"
  /** A requester never approves their own request. */
  | "own_request"
  /** This approver has already approved this request. */
  | "already_approved"
  /** The request is no longer open (approved, denied, cancelled, reviewed). */
  | "request_closed"
  /** Not an administrator, manager, owner or member of the approver group. */
  | "not_approver";

export type Decision = { readonly allowed: true; readonly via: Via } | { readonly allowed: false; readonly reason: DenialReason };

export const allow = (via: Via): Decision => Object.freeze({ allowed: true, via });
export const deny = (reason: DenialReason): Decision => Object.freeze({ allowed: false, reason });
