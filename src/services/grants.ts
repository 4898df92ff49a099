// Grants: add one (principal × entry or folder × permission, optionally expiring), list them,
// revoke one; the principal picker; a folder's page with its grants and approver group. Who may
// do each is asked of core/policy.ts through access.ts: managers of the entry or folder (owners
// and administrators included) grant and revoke there; administrators list every grant and choose
// approver groups. Every change is audited (grant.created, grant.revoked, folder.approver_group_set).
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem, type ProblemText } from "../core/errors.js";
import { newGrantId, type EntryId, type FolderId, type GrantId, type GroupId, type UserId } from "../core/ids.js";
import type { GrantPermission, GrantScope, Instant, Principal } from "../core/policy.js";
import type { CreateGrantRequest, PrincipalQuery } from "../contract/grants.js";
import type { GrantViewRecord, NamedPrincipalRecord } from "../store/grant-directory.js";
import type { NewGrant } from "../store/grants.js";
import type { Store } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditFacts, AuditLog } from "./audit-log.js";

const DAY = 86_400_000;
/** The longest a grant may last when it has an expiry (ten years); longer is "until revoked". */
export const MAX_GRANT_DAYS = 3660;
/** The picker shows the closest few: a search narrows it, nothing pages through every user. */
const PRINCIPAL_PAGE = 20;

export interface GrantListFilter {
  readonly entryId?: string | undefined;
  readonly folderId?: string | undefined;
  readonly includeRevoked: boolean;
}

export interface FolderPageView {
  readonly id: string;
  readonly name: string;
  readonly entryCount: number;
  readonly approverGroup: { readonly id: string; readonly name: string } | null;
  readonly grants: readonly GrantViewRecord[];
  readonly canGrant: boolean;
  readonly canAdminister: boolean;
}

export interface GrantService {
  add(actor: Actor, input: CreateGrantRequest): Promise<GrantViewRecord>;
  list(actor: Actor, filter: GrantListFilter): Promise<GrantViewRecord[]>;
  revoke(actor: Actor, id: string): Promise<void>;
  searchPrincipals(actor: Actor, query: PrincipalQuery): Promise<NamedPrincipalRecord[]>;
  folderPage(actor: Actor, folderId: string): Promise<FolderPageView>;
  setApproverGroup(actor: Actor, folderId: string, groupId: string | null): Promise<FolderPageView>;
}

const UNKNOWN_PRINCIPAL: Readonly<Record<Principal["kind"], ProblemText>> = {
  user: problem("grant_user_unknown"),
  group: problem("grant_group_unknown"),
  service_account: problem("grant_service_account_unknown"),
};

/** The instant a new grant expires, from the request's expiresAt or durationSeconds; null: until revoked. */
export function expiryOf(input: Pick<CreateGrantRequest, "expiresAt" | "durationSeconds">, now: Instant): Instant | null {
  if (input.expiresAt !== undefined && input.durationSeconds !== undefined) throw invalidInput(problem("grant_expiry_ambiguous"), "expiresAt");
  if (input.durationSeconds !== undefined) return now + input.durationSeconds * 1000;
  if (input.expiresAt === undefined) return null;
  const at = Date.parse(input.expiresAt);
  if (!Number.isFinite(at)) throw invalidInput(problem("field_wrong_format", { field: "expiresAt", format: "date-time" }), "expiresAt");
  if (at <= now) throw invalidInput(problem("grant_expiry_past"), "expiresAt");
  if (at - now > MAX_GRANT_DAYS * DAY) throw invalidInput(problem("grant_expiry_too_far", { count: MAX_GRANT_DAYS }), "expiresAt");
  return at;
}

/** What an audit event says of a grant: never more than ids, names, permission and expiry. */
function grantFacts(action: string, grant: GrantViewRecord, folderId: string | null = null): AuditFacts {
  return {
    action,
    ...(grant.scope.kind === "entry" ? { entry: { id: grant.scope.id, name: grant.scopeName, folderId } } : { folderId: grant.scope.id }),
    target: { type: "grant", id: grant.id, name: `${grant.permission} on ${grant.scopeName} for ${grant.principalName}` },
    details: {
      grantId: grant.id,
      principal: { kind: grant.principal.kind, id: grant.principal.id, name: grant.principalName },
      scope: { kind: grant.scope.kind, id: grant.scope.id, name: grant.scopeName },
      permission: grant.permission,
      expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt).toISOString(),
    },
  };
}

export function createGrantService(deps: { store: Store; access: AccessService; auditLog: AuditLog; clock: Clock }): GrantService {
  const { store, access, auditLog, clock } = deps;

  /** Throws unless the actor may grant on the scope: 404 for an entry they may not see or a folder that does not exist, 403 otherwise. */
  async function requireGrantor(actor: Actor, scope: GrantScope, refusal: ProblemText): Promise<{ folderId: FolderId | null }> {
    if (scope.kind === "entry") {
      const { facts } = await access.requireEntry(actor, scope.id, "manage", refusal);
      return { folderId: facts.folderId };
    }
    await access.requireFolder(actor, scope.id, "manage", refusal);
    return { folderId: scope.id };
  }

  async function folderPage(actor: Actor, folderId: string): Promise<FolderPageView> {
    const facts = await access.requireFolder(actor, folderId, "manage", problem("folder_view_forbidden"));
    const [folder, entryCount, group, grants] = await Promise.all([
      store.folders.findFolder(folderId),
      store.folders.countEntriesInFolder(folderId),
      facts.approverGroupId === null ? undefined : store.groups.findGroup(facts.approverGroupId),
      store.grantDirectory.listGrantViews({ folderIds: [folderId as FolderId], includeRevoked: true }),
    ]);
    if (folder === undefined) throw notFound(problem("folder_not_found"));
    return {
      id: folder.id,
      name: folder.name,
      entryCount,
      approverGroup: group === undefined ? null : { id: group.id, name: group.name },
      grants,
      canGrant: true,
      canAdminister: access.isAdmin(actor),
    };
  }

  return {
    async add(actor, input) {
      const scope: GrantScope = input.scope.kind === "entry" ? { kind: "entry", id: input.scope.id as EntryId } : { kind: "folder", id: input.scope.id as FolderId };
      const { folderId } = await requireGrantor(actor, scope, problem("grant_forbidden"));
      const principal = { kind: input.principal.kind, id: input.principal.id } as Principal;
      if (principal.kind === "service_account" && input.permission === "manage") throw invalidInput(problem("grant_service_account_manage"), "permission");
      if ((await store.grantDirectory.findPrincipal(principal)) === undefined) throw invalidInput(UNKNOWN_PRINCIPAL[principal.kind], "principal.id");
      const now = clock.now();
      const grant: NewGrant = {
        id: newGrantId(),
        principal,
        scope,
        permission: input.permission satisfies GrantPermission,
        expiresAt: expiryOf(input, now),
        accessRequestId: null,
        createdBy: actor.userId,
        createdAt: now,
      };
      const stored = await auditLog.commit(actor, {
        work: async (tx) => {
          const result = await tx.grantDirectory.insertUniqueGrant(grant, now);
          if (result.outcome === "duplicate") throw conflict(problem("grant_exists"), "permission");
          if (result.outcome === "scope_missing") throw notFound(problem(scope.kind === "entry" ? "entry_not_found" : "folder_not_found"));
          return (await tx.grantDirectory.findGrantView(grant.id))!;
        },
        events: (view) => [grantFacts("grant.created", view, folderId)],
      });
      return stored;
    },

    async list(actor, filter) {
      if (filter.entryId !== undefined && filter.folderId !== undefined) throw invalidInput(problem("grant_scope_ambiguous"), "folderId");
      const { includeRevoked } = filter;
      if (filter.entryId !== undefined) {
        const { folderId } = await requireGrantor(actor, { kind: "entry", id: filter.entryId as EntryId }, problem("grant_forbidden"));
        return store.grantDirectory.listGrantViews({ entryIds: [filter.entryId as EntryId], folderIds: folderId === null ? [] : [folderId], includeRevoked });
      }
      if (filter.folderId !== undefined) {
        await requireGrantor(actor, { kind: "folder", id: filter.folderId as FolderId }, problem("grant_forbidden"));
        return store.grantDirectory.listGrantViews({ folderIds: [filter.folderId as FolderId], includeRevoked });
      }
      access.requireAdmin(actor, problem("grant_scope_required"));
      return store.grantDirectory.listGrantViews({ includeRevoked });
    },

    async revoke(actor, id) {
      const grant = await store.grantDirectory.findGrantView(id as GrantId);
      if (grant === undefined) throw notFound(problem("grant_not_found"));
      const refusal = problem("grant_revoke_forbidden");
      let folderId: string | null = null;
      if (grant.scope.kind === "entry") {
        const inspection = await access.inspect(actor, grant.scope.id);
        // A grant on an entry the actor may not even see is, to them, no grant at all.
        if (inspection === undefined || !inspection.sees) throw notFound(problem("grant_not_found"));
        if (!inspection.decide("manage").allowed) throw forbidden(refusal);
        folderId = inspection.facts.folderId;
      } else {
        const may = await access.mayOnFolder(actor, grant.scope.id, "manage");
        if (may === undefined) throw notFound(problem("grant_not_found"));
        if (!may) throw forbidden(refusal);
      }
      if (grant.revokedAt !== null) throw conflict(problem("grant_already_revoked"));
      await auditLog.commit(actor, {
        work: async (tx) => {
          if (!(await tx.grants.revokeGrant(grant.id, actor.userId as UserId, clock.now()))) throw conflict(problem("grant_already_revoked"));
        },
        events: () => [grantFacts("grant.revoked", grant, folderId)],
      });
    },

    async searchPrincipals(actor, query) {
      if (!(await access.mayGrantAnywhere(actor))) throw forbidden(problem("principals_forbidden"));
      return store.grantDirectory.searchPrincipals({ q: query.q ?? "", limit: PRINCIPAL_PAGE, ...(query.kind === undefined ? {} : { kind: query.kind }) });
    },

    folderPage,

    async setApproverGroup(actor, folderId, groupId) {
      access.requireAdmin(actor, problem("approver_group_forbidden"));
      const folder = await store.folders.findFolder(folderId);
      if (folder === undefined) throw notFound(problem("folder_not_found"));
      const group = groupId === null ? undefined : await store.groups.findGroup(groupId as GroupId);
      if (groupId !== null && group === undefined) throw invalidInput(problem("approver_group_unknown"), "groupId");
      await auditLog.commit(actor, {
        work: (tx) => tx.accessPolicies.setFolderApproverGroup(folderId as FolderId, groupId as GroupId | null, clock.now()),
        events: () => [{ action: "folder.approver_group_set", target: { type: "folder", id: folderId, name: folder.name }, details: { folderId, name: folder.name, groupId, groupName: group?.name ?? null } }],
      });
      return folderPage(actor, folderId);
    },
  };
}
