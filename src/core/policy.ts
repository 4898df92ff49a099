// The one decision every access question goes through: decide(actor, action, target, grants, now).
// Pure: services load the facts and grants (one query), ask here, audit the decision (a denial
// too) and act; no route or service decides on its own.
//
// The rules, in words:
// - Grants: principal (user, group, service account) × folder or entry × use | recover | manage,
//   optionally expiring; a folder grant covers the entries inside; manage includes use and recover.
//   A revoked grant denies at once, whatever the clocks say; an expired one from its expiry on.
// - Owners hold every permission on their own entries; administrators on every entry and folder,
//   and they alone administer (users, groups, service accounts, folders, templates, policies).
// - Auditors read the audit log and nothing else; administrators may read it too.
// - Approval required (N > 0): use and recover of the entry need a live grant of that entry created
//   by an approved access request (N distinct approvers other than the requester) — for everyone,
//   administrators and the owner included, or the two-person rule would protect nothing. What
//   otherwise allows (role, ownership, standing grants) only makes one eligible: for emergency
//   access where the entry allows it, and to see the entry and ask. Manage needs no approval:
//   managers change the entry (and may lift the rule), which is audited like everything else.
// - Service accounts: what their grants give, never beyond the token's scope (entries, folders,
//   use | recover), its expiry, revocation and address allowlist; they never manage, administer,
//   read the audit log, request or approve.
// - Requests: any enabled member or administrator may ask. Approvers are administrators, the
//   entry's owner, its managers (manage grant), and members of the folder's approver group; a
//   requester never approves their own request, nor anyone the same request twice.
// - Creating entries: administrators anywhere; members in no folder (they own it) or in a folder
//   they manage.
import {
  allow,
  deny,
  type AccessRequestFacts,
  type Action,
  type Decision,
  type EntryFacts,
  type FolderFacts,
  type Grant,
  type GrantPermission,
  type Instant,
  type PolicyActor,
  type TargetOf,
  type UserActorFacts,
} from "./policy-facts.js";
import { describeEntryAccess, evaluateEntryAccess, evaluateFolderAccess } from "./policy-rule.js";

export * from "./policy-facts.js";

export function decide<A extends Action>(actor: PolicyActor, action: A, target: TargetOf[A], grants: readonly Grant[], now: Instant): Decision {
  // One switch over the action; each branch narrows `target` to what TargetOf promises for it.
  const t = target as TargetOf[Action];
  switch (action) {
    case "use":
    case "recover":
    case "manage":
      return decidePermission(actor, action as GrantPermission, t as EntryFacts | FolderFacts, grants, now, "enforced");
    case "emergency_use":
      return decideEmergencyUse(actor, t as EntryFacts, grants, now);
    case "create_entry":
      return decideCreateEntry(actor, t as TargetOf["create_entry"], grants, now);
    case "admin":
      return onlyUsers(actor, (user) => (user.role === "admin" ? allow("role") : deny("role_forbids")));
    case "audit.read":
      return onlyUsers(actor, (user) => (user.role === "admin" || user.role === "auditor" ? allow("role") : deny("role_forbids")));
    case "request":
      return onlyUsers(actor, (user) => (user.role === "auditor" ? deny("role_forbids") : allow("role")));
    case "approve":
      return decideApproval(actor, t as AccessRequestFacts, grants, now);
  }
  // Unreachable for a well-typed caller; a denial is the safe answer for anything else.
  return deny("role_forbids");
}

/**
 * Use, recover or manage of an entry or a whole folder. `approval` "waived" asks whether the actor
 * is eligible: would be allowed but for an approval the entry requires.
 */
export function decidePermission(
  actor: PolicyActor,
  permission: GrantPermission,
  target: EntryFacts | FolderFacts,
  grants: readonly Grant[],
  now: Instant,
  approval: "enforced" | "waived" = "enforced",
): Decision {
  const description = describeEntryAccess(actor, permission, now, approval);
  if (description.kind === "denied") return deny(description.reason);
  return target.kind === "entry" ? evaluateEntryAccess(description.rule, target, grants) : evaluateFolderAccess(description.rule, target, grants);
}

function onlyUsers(actor: PolicyActor, rule: (user: UserActorFacts) => Decision): Decision {
  if (actor.isDisabled) return deny("disabled");
  if (actor.kind !== "user") return deny("role_forbids");
  return rule(actor);
}

function decideEmergencyUse(actor: PolicyActor, entry: EntryFacts, grants: readonly Grant[], now: Instant): Decision {
  return onlyUsers(actor, (user) => {
    if (!entry.emergencyAccess) return deny("emergency_access_off");
    return decidePermission(user, "use", entry, grants, now, "waived");
  });
}

function decideCreateEntry(actor: PolicyActor, target: TargetOf["create_entry"], grants: readonly Grant[], now: Instant): Decision {
  return onlyUsers(actor, (user) => {
    if (user.role === "auditor") return deny("role_forbids");
    if (target.kind === "vault") return allow("role");
    return decidePermission(user, "manage", target, grants, now);
  });
}

function decideApproval(actor: PolicyActor, request: AccessRequestFacts, grants: readonly Grant[], now: Instant): Decision {
  return onlyUsers(actor, (user) => {
    if (user.role === "auditor") return deny("role_forbids");
    if (request.requesterId === user.userId) return deny("own_request");
    if (!request.isOpen) return deny("request_closed");
    if (request.approverIds.includes(user.userId)) return deny("already_approved");
    if (user.role === "admin") return allow("role");
    if (request.on.kind === "entry" && request.on.ownerId === user.userId) return allow("owner");
    const managing = decidePermission(user, "manage", request.on, grants, now);
    if (managing.allowed) return managing;
    if (request.on.approverGroupId !== null && user.groupIds.includes(request.on.approverGroupId)) return allow("approver_group");
    return deny("not_approver");
  });
}
