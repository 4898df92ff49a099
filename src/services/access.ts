// Every access question a service has, asked of core/policy.ts's decide() with the facts loaded
// here: the actor's principals, the target's facts and the grants that could cover it (one query,
// answered from the SQLite look-up cache while nothing is written). No service decides on its own.
//
// How answers become replies: an entry the caller may not even see answers the same 404 whether it
// exists or not; one they see but may not change, or that needs an approved request first, is a
// 403 naming why. A service account's token is told why it was refused (403): revoked, expired,
// its account disabled, the address, the scope; its creator chose the scope, so naming it leaks nothing.
import type { Clock } from "../core/clock.js";
import { forbidden, notFound, problem, type ProblemText } from "../core/errors.js";
import type { AccessRequestId, EntryId, FolderId, UserId } from "../core/ids.js";
import { decide, decidePermission, type Decision, type DenialReason, type EntryFacts, type FolderFacts, type Grant, type GrantPermission, type GrantScope, type PolicyActor } from "../core/policy.js";
import { describeEntryAccess, type EntryAccessDescription, type PrincipalSet } from "../core/policy-rule.js";
import type { EntryRecord } from "../store/entries.js";
import type { StepUpScope } from "../store/step-ups.js";
import type { Repositories } from "../store/store.js";
import type { Actor, Caller, ServiceAccountActor } from "./actor.js";

export const NO_SUCH_ENTRY = problem("entry_not_found");

/** Which entries a listing shows: those the actor may see by any right, or (administrators) every one. */
export type EntryView = "mine" | "all";

export interface EntryAccess {
  readonly facts: EntryFacts;
  /** The entry, and the step-up its codes ask for (step-ups.ts), read with the facts. */
  readonly entry: EntryRecord;
  readonly stepUp: StepUpScope | null;
  /** The decision for the permission asked. */
  readonly decision: Extract<Decision, { allowed: true }>;
  /** The grant it was allowed through, when a grant (not a role or ownership) allowed it: its accessRequestId names an approval. */
  readonly grant: Grant | undefined;
}

export interface EntryInspection {
  readonly facts: EntryFacts;
  readonly entry: EntryRecord;
  readonly stepUp: StepUpScope | null;
  /** May see the entry (its page) and ask for it: would use it or reveal a recovery code, were no approval needed. */
  readonly sees: boolean;
  /** The live and dead grants that could cover the entry for the actor. */
  readonly grants: readonly Grant[];
  decide(permission: GrantPermission): Decision;
  /** Break glass: the code at once, against a reason, where the entry allows it. */
  decideEmergencyUse(): Decision;
}

/** An access request as policy is asked about it: who asked, for what, and who has decided. */
export interface RequestQuestion {
  readonly id: AccessRequestId;
  readonly requesterId: UserId;
  readonly target: GrantScope;
  readonly isOpen: boolean;
  readonly approverIds: readonly UserId[];
}

export interface AccessService {
  /** The actor as policy sees it. */
  policyActor(actor: Caller): PolicyActor;
  /**
   * Allows `permission` on the entry or throws: 404 when the actor may not see it at all, 403 with
   * approval_required (use, recover of an entry that needs an approved request), or `refusal`
   * (default: the permission's own sentence).
   */
  requireEntry(actor: Caller, entryId: string, permission: GrantPermission, refusal?: ProblemText): Promise<EntryAccess>;
  /** What the actor may do with the entry, without throwing; undefined when there is no such entry. */
  inspect(actor: Caller, entryId: string): Promise<EntryInspection | undefined>;
  /** Users, groups, service accounts, folders, templates, policies: administrators. Throws 403 with `refusal`. */
  requireAdmin(actor: Caller, refusal: ProblemText): void;
  isAdmin(actor: Caller): boolean;
  /** May create an entry in the folder (null: in no folder), or move one there. Throws 403 with `refusal`, or folder_entry_create_forbidden. */
  requireCreateEntry(actor: Caller, folderId: string | null, refusal: ProblemText): Promise<void>;
  canCreateEntries(actor: Caller): boolean;
  /** Read, export and verify the audit log: administrators and auditors. Throws 403 audit_read_forbidden. */
  requireAuditRead(actor: Actor): void;
  /** Whether requireAuditRead would let the actor through. */
  mayReadAudit(actor: Actor): boolean;
  /** May ask for access at all (not an auditor). */
  mayRequest(actor: Actor): boolean;
  /** May the actor approve, deny or review the request; undefined when its entry or folder is gone. */
  decideOnRequest(actor: Actor, request: RequestQuestion): Promise<Decision | undefined>;
  /** Of `candidates`, those who may approve, deny or review the request: its target read once (one query), decide() for each. */
  approversAmong<A extends Actor>(candidates: readonly A[], request: RequestQuestion): Promise<A[]>;
  /** The listing rule for `permission`: "mine" shows what the actor may see by ownership or grant (approval waived, so they may ask). */
  listing(actor: Caller, permission: GrantPermission, view: EntryView, approval: "enforced" | "waived"): EntryAccessDescription;
  /** Every id the listing allows, by entry name. */
  listIds(actor: Caller, permission: GrantPermission, view: EntryView, approval: "enforced" | "waived"): Promise<string[]>;
  /** Allows `permission` on the folder as a whole or throws: 404 folder_not_found, 403 with `refusal`. */
  requireFolder(actor: Actor, folderId: string, permission: GrantPermission, refusal: ProblemText): Promise<FolderFacts>;
  /** Whether the actor may `permission` the folder; undefined when there is no such folder. */
  mayOnFolder(actor: Actor, folderId: string, permission: GrantPermission): Promise<boolean | undefined>;
  /** May grant on some entry or folder (manage anywhere): who may use the principal picker. */
  mayGrantAnywhere(actor: Actor): Promise<boolean>;
}

const VAULT = { kind: "vault" } as const;

const DEFAULT_REFUSALS: Readonly<Record<GrantPermission, ProblemText>> = {
  use: problem("entry_use_forbidden"),
  recover: problem("recovery_code_forbidden"),
  manage: problem("entry_change_forbidden"),
};

export function principalsOf(actor: PolicyActor): PrincipalSet {
  return actor.kind === "user"
    ? { userId: actor.userId, groupIds: actor.groupIds, serviceAccountId: null }
    : { userId: null, groupIds: [], serviceAccountId: actor.serviceAccountId };
}

const LISTING_PAGE = 1000;

/**
 * Why a service account's token got nothing, said to the script: for the token as such (revoked,
 * expired, its account disabled, the address, a permission it lacks), or for this entry (outside
 * the scope, no live grant, an approval needed).
 */
function tokenRefusal(actor: ServiceAccountActor, permission: GrantPermission, reason: DenialReason, level: "token" | "entry"): ProblemText {
  if (level === "entry") {
    if (reason === "out_of_scope") return problem("api_token_out_of_scope");
    return reason === "approval_required" ? problem("entry_approval_required") : problem("service_account_not_granted");
  }
  switch (reason) {
    case "disabled":
      return problem("service_account_disabled", { name: actor.name });
    case "revoked":
      return problem("api_token_revoked");
    case "expired":
      return problem("api_token_expired");
    case "address_not_allowed":
      return problem("api_token_address_refused", { address: actor.origin.ip });
    default:
      return problem("api_token_permission_missing", { permission });
  }
}

export function createAccessService(deps: { store: Pick<Repositories, "accessPolicies" | "policyListing" | "grantDirectory">; clock: Clock }): AccessService {
  const { store, clock } = deps;

  const policyActor = (actor: Caller): PolicyActor =>
    actor.kind === "user"
      ? { kind: "user", userId: actor.userId, role: actor.role, groupIds: actor.groupIds, isDisabled: false }
      : { kind: "service_account", serviceAccountId: actor.serviceAccountId, isDisabled: actor.isDisabled, token: actor.token, address: actor.origin.ip };

  /** A service account refused whatever the entry (revoked, expired, disabled, address, permission): 403 saying why. */
  function requireTokenWorks(actor: Caller, permission: GrantPermission, lacking: "refuse" | "allow"): void {
    if (actor.kind !== "service_account") return;
    const description = describeEntryAccess(policyActor(actor), permission, clock.now(), "enforced");
    if (description.kind === "denied" && (lacking === "refuse" || description.reason !== "out_of_scope")) {
      throw forbidden(tokenRefusal(actor, permission, description.reason, "token"));
    }
  }

  async function inspect(actor: Caller, entryId: string): Promise<EntryInspection | undefined> {
    const subject = policyActor(actor);
    const access = await store.accessPolicies.loadEntryAccess(entryId as EntryId, principalsOf(subject));
    if (access === undefined) return undefined;
    const now = clock.now();
    return {
      facts: access.facts,
      entry: access.entry,
      stepUp: access.stepUp,
      grants: access.grants,
      sees: (["use", "recover"] as const).some((p) => decidePermission(subject, p, access.facts, access.grants, now, "waived").allowed),
      decide: (permission) => decide(subject, permission, access.facts, access.grants, now),
      decideEmergencyUse: () => decide(subject, "emergency_use", access.facts, access.grants, now),
    };
  }

  function listing(actor: Caller, permission: GrantPermission, view: EntryView, approval: "enforced" | "waived"): EntryAccessDescription {
    // A token without the permission lists nothing; one that no longer works at all says why.
    requireTokenWorks(actor, permission, "allow");
    const description = describeEntryAccess(policyActor(actor), permission, clock.now(), approval);
    if (description.kind === "denied" || view === "all") return description;
    // "Mine": what ownership and grants give, not the administrator's every entry.
    return { kind: "rule", rule: { ...description.rule, everyEntry: false } };
  }

  async function mayOnFolder(actor: Actor, folderId: string, permission: GrantPermission): Promise<boolean | undefined> {
    const subject = policyActor(actor);
    const folder = await store.accessPolicies.loadFolderAccess(folderId as FolderId, principalsOf(subject));
    return folder && decide(subject, permission, folder.facts, folder.grants, clock.now()).allowed;
  }

  return {
    policyActor,
    listing,
    mayOnFolder,

    async requireFolder(actor, folderId, permission, refusal) {
      const subject = policyActor(actor);
      const folder = await store.accessPolicies.loadFolderAccess(folderId as FolderId, principalsOf(subject));
      if (folder === undefined) throw notFound(problem("folder_not_found"));
      if (!decide(subject, permission, folder.facts, folder.grants, clock.now()).allowed) throw forbidden(refusal);
      return folder.facts;
    },

    async mayGrantAnywhere(actor) {
      const subject = policyActor(actor);
      const now = clock.now();
      if (decide(subject, "admin", VAULT, [], now).allowed) return true;
      if ((await store.policyListing.countEntries(listing(actor, "manage", "mine", "enforced"))) > 0) return true;
      const grants = await store.grantDirectory.listFolderGrantsOf(principalsOf(subject));
      const folderIds = new Set(grants.flatMap((g) => (g.scope.kind === "folder" ? [g.scope.id] : [])));
      // The approver group plays no part in manage: any value gives the same answer.
      return [...folderIds].some((id) => decide(subject, "manage", { kind: "folder", id, approverGroupId: null }, grants, now).allowed);
    },

    async listIds(actor, permission, view, approval) {
      const description = listing(actor, permission, view, approval);
      const ids: string[] = [];
      for (;;) {
        const page = await store.policyListing.listEntryIds(description, { limit: LISTING_PAGE, offset: ids.length });
        ids.push(...page);
        if (page.length < LISTING_PAGE) return ids;
      }
    },

    inspect,

    async requireEntry(actor, entryId, permission, refusal) {
      requireTokenWorks(actor, permission, "refuse");
      const inspection = await inspect(actor, entryId);
      if (actor.kind === "service_account") {
        const decision = inspection?.decide(permission);
        if (inspection !== undefined && decision?.allowed === true) return { facts: inspection.facts, entry: inspection.entry, stepUp: inspection.stepUp, decision, grant: inspection.grants.find((g) => g.id === decision.via) };
        // Gone, though the token names it: as for anyone.
        if (inspection === undefined && actor.token.scope.entryIds.includes(entryId as EntryId)) throw notFound(NO_SUCH_ENTRY);
        throw forbidden(tokenRefusal(actor, permission, decision?.allowed === false ? decision.reason : "out_of_scope", "entry"));
      }
      if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
      const decision = inspection.decide(permission);
      if (decision.allowed) return { facts: inspection.facts, entry: inspection.entry, stepUp: inspection.stepUp, decision, grant: inspection.grants.find((g) => g.id === decision.via) };
      if (decision.reason === "approval_required") throw forbidden(problem("entry_approval_required"));
      throw forbidden(refusal ?? DEFAULT_REFUSALS[permission]);
    },

    requireAdmin(actor, refusal) {
      if (!decide(policyActor(actor), "admin", VAULT, [], clock.now()).allowed) throw forbidden(refusal);
    },

    isAdmin: (actor) => decide(policyActor(actor), "admin", VAULT, [], clock.now()).allowed,

    requireAuditRead(actor) {
      if (!decide(policyActor(actor), "audit.read", VAULT, [], clock.now()).allowed) throw forbidden(problem("audit_read_forbidden"));
    },

    mayReadAudit: (actor) => decide(policyActor(actor), "audit.read", VAULT, [], clock.now()).allowed,

    async requireCreateEntry(actor, folderId, refusal) {
      const subject = policyActor(actor);
      const now = clock.now();
      if (folderId === null) {
        if (!decide(subject, "create_entry", VAULT, [], now).allowed) throw forbidden(refusal);
        return;
      }
      const folder = await store.accessPolicies.loadFolderAccess(folderId as FolderId, principalsOf(subject));
      // An unknown folder is the caller's input error, said by the service that checks folders.
      if (folder === undefined) return;
      if (!decide(subject, "create_entry", folder.facts, folder.grants, now).allowed) {
        throw forbidden(decide(subject, "create_entry", VAULT, [], now).allowed ? problem("folder_entry_create_forbidden") : refusal);
      }
    },

    canCreateEntries: (actor) => decide(policyActor(actor), "create_entry", VAULT, [], clock.now()).allowed,

    // The request action is about the actor's role alone; any target's facts would do.
    mayRequest: (actor) => decide(policyActor(actor), "request", { kind: "folder", id: "" as FolderId, approverGroupId: null }, [], clock.now()).allowed,

    async decideOnRequest(actor, request) {
      const subject = policyActor(actor);
      const principals = principalsOf(subject);
      const access = request.target.kind === "entry" ? await store.accessPolicies.loadEntryAccess(request.target.id, principals) : await store.accessPolicies.loadFolderAccess(request.target.id, principals);
      if (access === undefined) return undefined;
      const facts = { kind: "access_request" as const, id: request.id, requesterId: request.requesterId, isOpen: request.isOpen, approverIds: request.approverIds, on: access.facts };
      return decide(subject, "approve", facts, access.grants, clock.now());
    },

    async approversAmong(candidates, request) {
      if (candidates.length === 0) return [];
      const access = request.target.kind === "entry" ? await store.accessPolicies.loadEntryAccess(request.target.id, "anyone") : await store.accessPolicies.loadFolderAccess(request.target.id, "anyone");
      if (access === undefined) return [];
      const facts = { kind: "access_request" as const, id: request.id, requesterId: request.requesterId, isOpen: request.isOpen, approverIds: request.approverIds, on: access.facts };
      const now = clock.now();
      return candidates.filter((candidate) => decide(policyActor(candidate), "approve", facts, access.grants, now).allowed);
    },
  };
}
