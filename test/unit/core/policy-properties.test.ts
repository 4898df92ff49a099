// Properties of decide() over random actors, entries and grants (fast-check): what must hold
// whatever the data, beyond the rows of the permission matrix.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAddressAllowed } from "../../../src/core/address-allowlist.js";
import { decide, type AccessRequestFacts, type Decision, type EntryFacts, type Grant, type PolicyActor } from "../../../src/core/policy.js";
import { isPrincipalIn } from "../../../src/core/policy-rule.js";
import { HOUR, NOW, actorArb, entryArb, grantArb, grantId, grantsArb, requestId, serviceAccountArb, serviceAccountGrantsArb, userArb, userId } from "../../support/policy-fixtures.js";

// Grants that match both the actor and the entry are a minority of random data: run enough cases
// that every property meets a few hundred allowed decisions (about 1,000 runs take a second).
fc.configureGlobal({ numRuns: 1000 });

const entryActions = ["use", "recover", "manage", "emergency_use"] as const;
const entryActionArb = fc.constantFrom(...entryActions);
const decideOnEntry = (actor: PolicyActor, action: (typeof entryActions)[number], target: EntryFacts, grants: readonly Grant[], now = NOW): Decision =>
  decide(actor, action, target, grants, now);

/** Grants numbered from 100, made dead: revoked (at any time), or expired by NOW. */
const deadGrantsArb = fc
  .array(fc.tuple(grantArb(0), fc.boolean(), fc.integer({ min: 0, max: 3 * HOUR })), { maxLength: 4 })
  .map((list) => list.map(([g, revoke, ago], i): Grant => ({ ...g, id: grantId(100 + i), ...(revoke ? { revokedAt: NOW - ago } : { expiresAt: NOW - ago }) })));

/** A request by someone other than the actor, about a random entry. */
const requestArb: fc.Arbitrary<AccessRequestFacts> = fc.record({ on: entryArb, isOpen: fc.boolean(), approvers: fc.subarray([1, 2, 3]) }).map((r) => ({
  kind: "access_request",
  id: requestId(1),
  requesterId: userId(50),
  isOpen: r.isOpen,
  approverIds: r.approvers.map(userId),
  on: r.on,
}));

const grantNamed = (decision: Decision, grants: readonly Grant[]): Grant | undefined =>
  decision.allowed ? grants.find((g) => g.id === decision.via) : undefined;

describe("policy: properties", () => {
  it("a revoked or expired grant never allows anything", () => {
    fc.assert(
      fc.property(actorArb, entryActionArb, entryArb, grantsArb, deadGrantsArb, (actor, action, target, grants, dead) => {
        const without = decideOnEntry(actor, action, target, grants);
        const withDead = decideOnEntry(actor, action, target, [...dead, ...grants]);
        expect(withDead.allowed).toBe(without.allowed);
        expect(dead.some((g) => withDead.allowed && g.id === withDead.via)).toBe(false);
      }),
    );
  });

  it("a grant named as the reason is live and belongs to the actor", () => {
    fc.assert(
      fc.property(actorArb, entryActionArb, entryArb, grantsArb, (actor, action, target, grants) => {
        const named = grantNamed(decideOnEntry(actor, action, target, grants), grants);
        if (named === undefined) return;
        expect(named.revokedAt).toBeNull();
        expect(named.expiresAt === null || named.expiresAt > NOW).toBe(true);
        const principals = actor.kind === "user" ? { userId: actor.userId, groupIds: actor.groupIds, serviceAccountId: null } : { userId: null, groupIds: [], serviceAccountId: actor.serviceAccountId };
        expect(isPrincipalIn(principals, named.principal)).toBe(true);
      }),
    );
  });

  it("adding a grant never removes access", () => {
    fc.assert(
      fc.property(actorArb, entryActionArb, entryArb, grantsArb, grantArb(50), (actor, action, target, grants, extra) => {
        if (decideOnEntry(actor, action, target, grants).allowed) expect(decideOnEntry(actor, action, target, [...grants, extra]).allowed).toBe(true);
      }),
    );
    fc.assert(
      fc.property(userArb, requestArb, grantsArb, grantArb(50), (actor, request, grants, extra) => {
        if (decide(actor, "approve", request, grants, NOW).allowed) expect(decide(actor, "approve", request, [...grants, extra], NOW).allowed).toBe(true);
      }),
    );
  });

  it("manage implies use and recover wherever no approval is required", () => {
    fc.assert(
      fc.property(actorArb, entryArb, grantsArb, (actor, target, grants) => {
        const open = { ...target, approvalsRequired: 0 };
        if (!decide(actor, "manage", open, grants, NOW).allowed) return;
        expect(decide(actor, "use", open, grants, NOW).allowed).toBe(true);
        expect(decide(actor, "recover", open, grants, NOW).allowed).toBe(true);
      }),
    );
  });

  it("access only shrinks as time passes", () => {
    fc.assert(
      fc.property(actorArb, entryActionArb, entryArb, grantsArb, fc.integer({ min: 0, max: 4 * HOUR }), (actor, action, target, grants, later) => {
        if (decideOnEntry(actor, action, target, grants, NOW + later).allowed) expect(decideOnEntry(actor, action, target, grants, NOW).allowed).toBe(true);
      }),
    );
  });

  it("a service account never does more than its token's scope", () => {
    fc.assert(
      fc.property(serviceAccountArb, fc.constantFrom("use", "recover", "manage") as fc.Arbitrary<"use" | "recover" | "manage">, entryArb, serviceAccountGrantsArb, (actor, action, target, grants) => {
        if (!decide(actor, action, target, grants, NOW).allowed) return;
        const { token } = actor;
        expect(action !== "manage" && token.scope.permissions.includes(action)).toBe(true);
        expect(token.scope.entryIds.includes(target.id) || (target.folderId !== null && token.scope.folderIds.includes(target.folderId))).toBe(true);
        expect(token.revokedAt === null && (token.expiresAt === null || token.expiresAt > NOW)).toBe(true);
        expect(isAddressAllowed(actor.address, token.allowedCidrs)).toBe(true);
        expect(actor.isDisabled).toBe(false);
      }),
    );
  });

  it("an approval-required entry opens only through a grant of that entry from an approved request", () => {
    fc.assert(
      fc.property(actorArb, fc.constantFrom("use", "recover") as fc.Arbitrary<"use" | "recover">, entryArb, grantsArb, (actor, action, target, grants) => {
        const guarded = { ...target, approvalsRequired: Math.max(1, target.approvalsRequired) };
        const decision = decide(actor, action, guarded, grants, NOW);
        if (!decision.allowed) return;
        const named = grantNamed(decision, grants);
        expect(named?.accessRequestId).not.toBeNull();
        expect(named?.scope).toEqual({ kind: "entry", id: guarded.id });
      }),
    );
  });

  it("a requester never approves their own request, and nobody disabled or auditing approves", () => {
    fc.assert(
      fc.property(userArb, grantsArb, entryArb, (actor, grants, on) => {
        const own: AccessRequestFacts = { kind: "access_request", id: requestId(1), requesterId: actor.userId, isOpen: true, approverIds: [], on };
        expect(decide(actor, "approve", own, grants, NOW)).toMatchObject({ allowed: false });
        const other = { ...own, requesterId: userId(77) };
        if (actor.isDisabled || actor.role === "auditor") expect(decide(actor, "approve", other, grants, NOW)).toMatchObject({ allowed: false });
      }),
    );
  });

  it("an auditor reads the audit log and does nothing else; a disabled actor does nothing at all", () => {
    fc.assert(
      fc.property(actorArb, entryActionArb, entryArb, grantsArb, (actor, action, target, grants) => {
        const auditing = actor.kind === "user" && actor.role === "auditor";
        if (auditing || actor.isDisabled) {
          expect(decideOnEntry(actor, action, target, grants).allowed).toBe(false);
          expect(decide(actor, "admin", { kind: "vault" }, grants, NOW).allowed).toBe(false);
          expect(decide(actor, "create_entry", { kind: "vault" }, grants, NOW).allowed).toBe(false);
          expect(decide(actor, "request", target, grants, NOW).allowed).toBe(false);
        }
        if (auditing) expect(decide(actor, "audit.read", { kind: "vault" }, grants, NOW).allowed).toBe(!actor.isDisabled);
      }),
    );
  });
});
