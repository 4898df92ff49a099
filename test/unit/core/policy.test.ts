// The permission matrix: every role and kind of grant (direct, group, folder, expired, revoked,
// from an approved request) and service-account scope, against every action, at a chosen now.
import { describe, expect, it } from "vitest";
import { decide, decidePermission, type AccessRequestFacts, type Action, type Decision, type Grant, type PolicyActor, type TargetOf } from "../../../src/core/policy.js";
import type { GrantId } from "../../../src/core/ids.js";
import {
  HOUR,
  NOW,
  entry,
  folder,
  folderId,
  grant,
  grantId,
  groupId,
  requestId,
  serviceAccount,
  toGroup,
  toServiceAccount,
  toUser,
  token,
  user,
  userId,
} from "../../support/policy-fixtures.js";

const admin = user(1, "admin");
const alice = user(2, "member", [1]); // in group 1
const bob = user(3, "member");
const auditor = user(4, "auditor");
const disabledMember = user(5, "member", [1], true);
const owner = user(99, "member");

const plain = entry(1, { folderId: folderId(1) });
const otherFolder = entry(2, { folderId: folderId(2) });
const noFolder = entry(5);
const guarded = entry(3, { folderId: folderId(1), approvalsRequired: 2, emergencyAccess: true, approverGroupId: groupId(2) });
const guardedNoGlass = entry(4, { approvalsRequired: 1 });

const allowed = (via: GrantId | "role" | "owner" | "approver_group"): Decision => ({ allowed: true, via });
const denied = (reason: Extract<Decision, { allowed: false }>["reason"]): Decision => ({ allowed: false, reason });

interface Row {
  readonly name: string;
  readonly decision: () => Decision;
  readonly expected: Decision;
}
const rows: Row[] = [];
function row<A extends Action>(name: string, actor: PolicyActor, action: A, target: TargetOf[A], grants: readonly Grant[], expected: Decision): void {
  rows.push({ name, decision: () => decide(actor, action, target, grants, NOW), expected });
}

// ---- Direct grants ----
const bobUses1 = grant(1, toUser(3), { entry: 1 }, "use");
const bobManages1 = grant(2, toUser(3), { entry: 1 }, "manage");
row("a direct use grant gives use", bob, "use", plain, [bobUses1], allowed(grantId(1)));
row("a direct use grant does not give recover", bob, "recover", plain, [bobUses1], denied("no_grant"));
row("a direct use grant does not give manage", bob, "manage", plain, [bobUses1], denied("no_grant"));
row("a direct grant to someone else gives nothing", alice, "use", plain, [bobUses1], denied("no_grant"));
row("a direct grant of one entry says nothing of another", bob, "use", otherFolder, [bobUses1], denied("no_grant"));
row("manage implies use", bob, "use", plain, [bobManages1], allowed(grantId(2)));
row("manage implies recover", bob, "recover", plain, [bobManages1], allowed(grantId(2)));
row("manage gives manage", bob, "manage", plain, [bobManages1], allowed(grantId(2)));
row("recover does not imply use", bob, "use", plain, [grant(3, toUser(3), { entry: 1 }, "recover")], denied("no_grant"));

// ---- Group grants ----
const group1Uses1 = grant(4, toGroup(1), { entry: 1 }, "use");
row("a group grant reaches its members", alice, "use", plain, [group1Uses1], allowed(grantId(4)));
row("a group grant does not reach others", bob, "use", plain, [group1Uses1], denied("no_grant"));

// ---- Folder grants ----
const bobUsesFolder1 = grant(5, toUser(3), { folder: 1 }, "use");
row("a folder grant covers the entries inside", bob, "use", plain, [bobUsesFolder1], allowed(grantId(5)));
row("a folder grant does not cover another folder's entries", bob, "use", otherFolder, [bobUsesFolder1], denied("no_grant"));
row("a folder grant does not cover entries in no folder", bob, "use", noFolder, [bobUsesFolder1], denied("no_grant"));
row("a folder grant to a group reaches its members' entries inside", alice, "recover", plain, [grant(6, toGroup(1), { folder: 1 }, "recover")], allowed(grantId(6)));
row("a folder grant answers for the folder itself", bob, "use", folder(1), [bobUsesFolder1], allowed(grantId(5)));
row("an entry grant says nothing about its folder", bob, "use", folder(1), [bobUses1], denied("no_grant"));
row("folder manage lets one manage the folder", bob, "manage", folder(1), [grant(7, toUser(3), { folder: 1 }, "manage")], allowed(grantId(7)));

// ---- Expired grants ----
row("a grant expiring at now no longer allows", bob, "use", plain, [grant(8, toUser(3), { entry: 1 }, "use", { expiresAt: NOW })], denied("expired"));
row("a grant expiring a millisecond after now still allows", bob, "use", plain, [grant(8, toUser(3), { entry: 1 }, "use", { expiresAt: NOW + 1 })], allowed(grantId(8)));
row("an expired folder grant of a group says expired", alice, "use", plain, [grant(9, toGroup(1), { folder: 1 }, "use", { expiresAt: NOW - HOUR })], denied("expired"));

// ---- Revoked grants ----
row("a revoked grant denies", bob, "use", plain, [grant(10, toUser(3), { entry: 1 }, "use", { revokedAt: NOW - 1 })], denied("revoked"));
row("a revocation stamped by a node whose clock runs ahead still denies", bob, "use", plain, [grant(10, toUser(3), { entry: 1 }, "use", { revokedAt: NOW + HOUR })], denied("revoked"));
row("revoked wins over expired as the reason", bob, "use", plain, [grant(11, toUser(3), { entry: 1 }, "use", { expiresAt: NOW - 1 }), grant(12, toUser(3), { folder: 1 }, "use", { revokedAt: NOW - 1 })], denied("revoked"));
row("a live grant beside dead ones allows, and is the one named", bob, "use", plain, [grant(13, toUser(3), { entry: 1 }, "use", { revokedAt: NOW - 1 }), grant(14, toUser(3), { folder: 1 }, "manage")], allowed(grantId(14)));

// ---- Roles ----
for (const action of ["use", "recover", "manage"] as const) row(`an administrator may ${action} any entry by role`, admin, action, otherFolder, [], allowed("role"));
row("an administrator administers", admin, "admin", { kind: "vault" }, [], allowed("role"));
row("an administrator reads the audit log", admin, "audit.read", { kind: "vault" }, [], allowed("role"));
row("an administrator manages any folder", admin, "manage", folder(2), [], allowed("role"));
row("a member does not administer", alice, "admin", { kind: "vault" }, [], denied("role_forbids"));
row("a member does not read the audit log", alice, "audit.read", { kind: "vault" }, [], denied("role_forbids"));
row("an auditor reads the audit log", auditor, "audit.read", { kind: "vault" }, [], allowed("role"));
for (const action of ["use", "recover", "manage"] as const) {
  row(`an auditor may not ${action} an entry, even with a grant`, auditor, action, plain, [grant(15, toUser(4), { entry: 1 }, "manage")], denied("role_forbids"));
}
row("an auditor does not administer", auditor, "admin", { kind: "vault" }, [], denied("role_forbids"));
row("an auditor does not create entries", auditor, "create_entry", { kind: "vault" }, [], denied("role_forbids"));
row("an auditor does not request access", auditor, "request", plain, [], denied("role_forbids"));
for (const action of ["use", "recover", "manage"] as const) row(`an owner may ${action} their own entry`, owner, action, plain, [], allowed("owner"));
row("a disabled member's grants allow nothing", disabledMember, "use", plain, [group1Uses1], denied("disabled"));
row("a disabled administrator administers nothing", user(6, "admin", [], true), "admin", { kind: "vault" }, [], denied("disabled"));

// ---- Creating entries ----
row("a member creates an entry in no folder", bob, "create_entry", { kind: "vault" }, [], allowed("role"));
row("a member does not create an entry in a folder they do not manage", bob, "create_entry", folder(1), [bobUsesFolder1], denied("no_grant"));
row("a member creates an entry in a folder they manage", bob, "create_entry", folder(1), [grant(16, toUser(3), { folder: 1 }, "manage")], allowed(grantId(16)));
row("an administrator creates an entry in any folder", admin, "create_entry", folder(2), [], allowed("role"));

// ---- Approval required ----
const aliceApproved = grant(17, toUser(2), { entry: 3 }, "use", { accessRequestId: requestId(1), expiresAt: NOW + HOUR });
row("a standing grant of an approval-required entry only makes one eligible", alice, "use", guarded, [grant(18, toGroup(1), { folder: 1 }, "use")], denied("approval_required"));
row("a grant from an approved request opens an approval-required entry", alice, "use", guarded, [aliceApproved], allowed(grantId(17)));
row("a grant from an approved request that expired does not", alice, "use", guarded, [{ ...aliceApproved, expiresAt: NOW }, grant(18, toGroup(1), { folder: 1 }, "use")], denied("approval_required"));
row("an approved request for use does not open recover", alice, "recover", guarded, [aliceApproved], denied("no_grant"));
row("a folder grant from a request does not open an approval-required entry", alice, "use", guarded, [grant(19, toUser(2), { folder: 1 }, "use", { accessRequestId: requestId(2) })], denied("approval_required"));
row("an administrator needs an approved request too", admin, "use", guarded, [], denied("approval_required"));
row("the owner needs an approved request too", owner, "recover", guarded, [], denied("approval_required"));
row("an administrator with an approved request uses it", admin, "use", guarded, [grant(20, toUser(1), { entry: 3 }, "use", { accessRequestId: requestId(3) })], allowed(grantId(20)));
row("managing an approval-required entry needs no approval", admin, "manage", guarded, [], allowed("role"));
row("without any grant the reason stays no_grant", bob, "use", guarded, [], denied("no_grant"));

// ---- Emergency access (break glass) ----
row("an eligible member breaks the glass", alice, "emergency_use", guarded, [grant(18, toGroup(1), { folder: 1 }, "use")], allowed(grantId(18)));
row("an administrator breaks the glass by role", admin, "emergency_use", guarded, [], allowed("role"));
row("someone with no grant cannot break the glass", bob, "emergency_use", guarded, [], denied("no_grant"));
row("emergency access off means no glass to break", admin, "emergency_use", guardedNoGlass, [], denied("emergency_access_off"));
row("an auditor never breaks the glass", auditor, "emergency_use", guarded, [], denied("role_forbids"));

// ---- Service accounts ----
const saGrant = grant(21, toServiceAccount(1), { folder: 1 }, "use");
const scoped = token({ folders: [1], permissions: ["use"] });
row("a service account uses what its grant and token scope both cover", serviceAccount(1, scoped), "use", plain, [saGrant], allowed(grantId(21)));
row("a token scope without a grant gives nothing", serviceAccount(1, scoped), "use", plain, [], denied("no_grant"));
row("a grant beyond the token's entries is out of scope", serviceAccount(1, token({ entries: [2], permissions: ["use"] })), "use", plain, [saGrant], denied("out_of_scope"));
row("an entry listed in the token's scope is in scope", serviceAccount(1, token({ entries: [1], permissions: ["use"] })), "use", plain, [saGrant], allowed(grantId(21)));
row("a use-only token does not recover, even under a manage grant", serviceAccount(1, scoped), "recover", plain, [grant(22, toServiceAccount(1), { folder: 1 }, "manage")], denied("out_of_scope"));
row("a recover token recovers under a manage grant", serviceAccount(1, token({ folders: [1], permissions: ["recover"] })), "recover", plain, [grant(22, toServiceAccount(1), { folder: 1 }, "manage")], allowed(grantId(22)));
row("a service account never manages", serviceAccount(1, token({ folders: [1], permissions: ["use", "recover"] })), "manage", plain, [grant(22, toServiceAccount(1), { folder: 1 }, "manage")], denied("out_of_scope"));
row("another service account's grant gives nothing", serviceAccount(2, scoped), "use", plain, [saGrant], denied("no_grant"));
row("an expired token", serviceAccount(1, token({ folders: [1], expiresAt: NOW })), "use", plain, [saGrant], denied("expired"));
row("a revoked token", serviceAccount(1, token({ folders: [1], revokedAt: NOW - 1 })), "use", plain, [saGrant], denied("revoked"));
row("a disabled service account", serviceAccount(1, scoped, "10.1.2.3", true), "use", plain, [saGrant], denied("disabled"));
row("a call from outside the token's allowlist", serviceAccount(1, token({ folders: [1], allowedCidrs: ["192.168.0.0/16"] }), "10.1.2.3"), "use", plain, [saGrant], denied("address_not_allowed"));
row("a call from inside the allowlist, IPv4-mapped", serviceAccount(1, token({ folders: [1], allowedCidrs: ["10.0.0.0/8"] }), "::ffff:10.1.2.3"), "use", plain, [saGrant], allowed(grantId(21)));
row("a service account on an approval-required entry", serviceAccount(1, scoped), "use", guarded, [saGrant], denied("approval_required"));
for (const action of ["admin", "audit.read", "create_entry"] as const) row(`a service account never may ${action}`, serviceAccount(1, scoped), action, { kind: "vault" }, [], denied("role_forbids"));
row("a service account never requests", serviceAccount(1, scoped), "request", plain, [], denied("role_forbids"));
row("a service account never breaks the glass", serviceAccount(1, token({ folders: [1] })), "emergency_use", guarded, [saGrant], denied("role_forbids"));

// ---- Access requests and approvals ----
const request = (more: Partial<AccessRequestFacts> = {}): AccessRequestFacts => ({ kind: "access_request", id: requestId(9), requesterId: userId(3), isOpen: true, approverIds: [], on: guarded, ...more });
row("a member asks for access", bob, "request", guarded, [], allowed("role"));
row("an administrator asks for access", admin, "request", folder(1), [], allowed("role"));
row("a requester never approves their own request", user(3, "admin"), "approve", request(), [], denied("own_request"));
row("a closed request is not approved again", admin, "approve", request({ isOpen: false }), [], denied("request_closed"));
row("an approver approves a request once", admin, "approve", request({ approverIds: [userId(1)] }), [], denied("already_approved"));
row("an administrator approves by role", admin, "approve", request(), [], allowed("role"));
row("the entry's owner approves", owner, "approve", request(), [], allowed("owner"));
row("a manager of the entry approves", alice, "approve", request(), [grant(23, toGroup(1), { folder: 1 }, "manage")], allowed(grantId(23)));
row("a member of the folder's approver group approves", user(7, "member", [2]), "approve", request(), [], allowed("approver_group"));
row("the folder's approver group approves a folder request", user(7, "member", [2]), "approve", request({ on: folder(1, 2) }), [], allowed("approver_group"));
row("a member who only uses the entry does not approve", alice, "approve", request(), [grant(18, toGroup(1), { folder: 1 }, "use")], denied("not_approver"));
row("an auditor does not approve", auditor, "approve", request(), [], denied("role_forbids"));
row("a service account does not approve", serviceAccount(1, scoped), "approve", request(), [], denied("role_forbids"));
row("a disabled approver does not approve", user(7, "member", [2], true), "approve", request(), [], denied("disabled"));

describe("policy: the permission matrix", () => {
  it.each(rows)("$name", ({ decision, expected }) => {
    expect(decision()).toEqual(expected);
  });

  it("answers whether someone is eligible for an approval-required entry when approval is waived", () => {
    expect(decidePermission(alice, "use", guarded, [grant(18, toGroup(1), { folder: 1 }, "use")], NOW, "waived")).toEqual(allowed(grantId(18)));
    expect(decidePermission(bob, "use", guarded, [], NOW, "waived")).toEqual(denied("no_grant"));
  });

  it("hands out frozen decisions", () => {
    expect(Object.isFrozen(decide(admin, "admin", { kind: "vault" }, [], NOW))).toBe(true);
  });
});
