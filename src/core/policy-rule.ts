// What gives an actor a permission on entries, described once as data (EntryAccessRule) and
// evaluated twice: here, for one entry (core/policy.ts asks), and as SQL for a paged listing
// (store/policy-listing.ts). test/integration/policy-listing.test.ts proves both agree.
import { isAddressAllowed } from "./address-allowlist.js";
import type { EntryId, FolderId, GroupId, ServiceAccountId, UserId } from "./ids.js";
import {
  allow,
  deny,
  type DenialReason,
  type Decision,
  type EntryFacts,
  type FolderFacts,
  type Grant,
  type GrantPermission,
  type Instant,
  type PolicyActor,
  type Principal,
} from "./policy-facts.js";

/** Whose grants count for the actor: the user and their groups, or the service account. */
export interface PrincipalSet {
  readonly userId: UserId | null;
  readonly groupIds: readonly GroupId[];
  readonly serviceAccountId: ServiceAccountId | null;
}

export interface EntryAccessRule {
  readonly permission: GrantPermission;
  /** The grant permissions that give `permission`: itself and `manage`. */
  readonly coveringPermissions: readonly GrantPermission[];
  readonly principals: PrincipalSet;
  /** Administrators: every entry, by role. */
  readonly everyEntry: boolean;
  /** Owners hold every permission on their own entries. */
  readonly ownerId: UserId | null;
  /** A token's scope: nothing outside these entries and folders, whatever the grants say. */
  readonly tokenScope: { readonly entryIds: readonly EntryId[]; readonly folderIds: readonly FolderId[] } | null;
  /**
   * "enforced": on an approval-required entry, use and recover also need a live grant of that entry
   * created by an approved access request. "waived": who is eligible (break glass, the entries a
   * person sees and may ask for).
   */
  readonly approval: "enforced" | "waived";
  readonly now: Instant;
}

export type EntryAccessDescription = { readonly kind: "rule"; readonly rule: EntryAccessRule } | { readonly kind: "denied"; readonly reason: DenialReason };

export const coveringPermissions = (permission: GrantPermission): readonly GrantPermission[] => (permission === "manage" ? ["manage"] : [permission, "manage"]);

/** The actor-level half of every entry question: reasons that deny whatever the entry, and otherwise the rule. */
export function describeEntryAccess(actor: PolicyActor, permission: GrantPermission, now: Instant, approval: "enforced" | "waived" = "enforced"): EntryAccessDescription {
  const base = { permission, coveringPermissions: coveringPermissions(permission), approval, now };
  if (actor.isDisabled) return { kind: "denied", reason: "disabled" };
  if (actor.kind === "user") {
    if (actor.role === "auditor") return { kind: "denied", reason: "role_forbids" };
    return {
      kind: "rule",
      rule: { ...base, principals: { userId: actor.userId, groupIds: actor.groupIds, serviceAccountId: null }, everyEntry: actor.role === "admin", ownerId: actor.userId, tokenScope: null },
    };
  }
  const { token } = actor;
  if (token.revokedAt !== null) return { kind: "denied", reason: "revoked" };
  if (token.expiresAt !== null && token.expiresAt <= now) return { kind: "denied", reason: "expired" };
  if (!isAddressAllowed(actor.address, token.allowedCidrs)) return { kind: "denied", reason: "address_not_allowed" };
  if (permission === "manage" || !token.scope.permissions.includes(permission)) return { kind: "denied", reason: "out_of_scope" };
  return {
    kind: "rule",
    rule: {
      ...base,
      principals: { userId: null, groupIds: [], serviceAccountId: actor.serviceAccountId },
      everyEntry: false,
      ownerId: null,
      tokenScope: { entryIds: token.scope.entryIds, folderIds: token.scope.folderIds },
    },
  };
}

export function isPrincipalIn(principals: PrincipalSet, principal: Principal): boolean {
  switch (principal.kind) {
    case "user":
      return principal.id === principals.userId;
    case "group":
      return principals.groupIds.includes(principal.id);
    case "service_account":
      return principal.id === principals.serviceAccountId;
  }
}

/** Revoked at any time, or expired by `now` (an expiry is the first instant it no longer allows). */
export const isGrantLive = (grant: Grant, now: Instant): boolean => grant.revokedAt === null && (grant.expiresAt === null || grant.expiresAt > now);

const coversEntry = (grant: Grant, entry: EntryFacts): boolean =>
  grant.scope.kind === "entry" ? grant.scope.id === entry.id : entry.folderId !== null && grant.scope.id === entry.folderId;

const coversFolder = (grant: Grant, folder: FolderFacts): boolean => grant.scope.kind === "folder" && grant.scope.id === folder.id;

/** The actor's grants of a covering permission that cover the target, live or not. */
function relevantGrants(rule: EntryAccessRule, grants: readonly Grant[], covers: (grant: Grant) => boolean): Grant[] {
  return grants.filter((g) => isPrincipalIn(rule.principals, g.principal) && rule.coveringPermissions.includes(g.permission) && covers(g));
}

/** Why relevant grants that are all dead allow nothing; a revocation, being deliberate, is named first. */
function deadGrantReason(relevant: readonly Grant[]): DenialReason {
  if (relevant.length === 0) return "no_grant";
  return relevant.some((g) => g.revokedAt !== null) ? "revoked" : "expired";
}

export function isInTokenScope(rule: EntryAccessRule, entry: EntryFacts): boolean {
  if (rule.tokenScope === null) return true;
  return rule.tokenScope.entryIds.includes(entry.id) || (entry.folderId !== null && rule.tokenScope.folderIds.includes(entry.folderId));
}

export const needsApproval = (rule: EntryAccessRule, entry: EntryFacts): boolean => rule.approval === "enforced" && entry.approvalsRequired > 0 && rule.permission !== "manage";

/** The entry-level half: the rule applied to one entry and the actor's grants. */
export function evaluateEntryAccess(rule: EntryAccessRule, entry: EntryFacts, grants: readonly Grant[]): Decision {
  if (!isInTokenScope(rule, entry)) return deny("out_of_scope");
  const relevant = relevantGrants(rule, grants, (g) => coversEntry(g, entry));
  const live = relevant.filter((g) => isGrantLive(g, rule.now));
  let standing: Decision;
  if (rule.everyEntry) standing = allow("role");
  else if (rule.ownerId !== null && entry.ownerId === rule.ownerId) standing = allow("owner");
  else standing = live[0] === undefined ? deny(deadGrantReason(relevant)) : allow(live[0].id);
  if (!standing.allowed || !needsApproval(rule, entry)) return standing;
  // Two-person rule: only a grant of this very entry that an approved request created opens it.
  const approved = live.find((g) => g.accessRequestId !== null && g.scope.kind === "entry");
  return approved === undefined ? deny("approval_required") : allow(approved.id);
}

/** The rule applied to a folder as a whole (folder grants only: an entry grant says nothing about its folder). */
export function evaluateFolderAccess(rule: EntryAccessRule, folder: FolderFacts, grants: readonly Grant[]): Decision {
  if (rule.tokenScope !== null && !rule.tokenScope.folderIds.includes(folder.id)) return deny("out_of_scope");
  if (rule.everyEntry) return allow("role");
  const relevant = relevantGrants(rule, grants, (g) => coversFolder(g, folder));
  const live = relevant.find((g) => isGrantLive(g, rule.now));
  return live === undefined ? deny(deadGrantReason(relevant)) : allow(live.id);
}
