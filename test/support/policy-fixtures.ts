// Builders and fast-check arbitraries for policy tests: actors, entries, folders and grants drawn
// from small pools of ids, so that random grants often hit the random entries they are tested on.
import fc from "fast-check";
import type { AccessRequestId, ApiTokenId, EntryId, FolderId, GrantId, GroupId, ServiceAccountId, UserId } from "../../src/core/ids.js";
import type {
  EntryFacts,
  FolderFacts,
  Grant,
  GrantPermission,
  Principal,
  Role,
  ServiceAccountActorFacts,
  TokenFacts,
  UserActorFacts,
} from "../../src/core/policy.js";

/** The chosen "now" of every policy test: 2026-03-01 12:00 UTC. */
export const NOW = Date.UTC(2026, 2, 1, 12);
export const HOUR = 3_600_000;

const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const userId = (n: number) => uuid("00000001", n) as UserId;
export const groupId = (n: number) => uuid("00000002", n) as GroupId;
export const serviceAccountId = (n: number) => uuid("00000003", n) as ServiceAccountId;
export const entryId = (n: number) => uuid("00000004", n) as EntryId;
export const folderId = (n: number) => uuid("00000005", n) as FolderId;
export const grantId = (n: number) => uuid("00000006", n) as GrantId;
export const requestId = (n: number) => uuid("00000007", n) as AccessRequestId;
export const tokenId = (n: number) => uuid("00000008", n) as ApiTokenId;

export const user = (n: number, role: Role = "member", groups: number[] = [], isDisabled = false): UserActorFacts => ({
  kind: "user",
  userId: userId(n),
  role,
  groupIds: groups.map(groupId),
  isDisabled,
});

export const token = (overrides: Partial<TokenFacts> & { entries?: number[]; folders?: number[]; permissions?: TokenFacts["scope"]["permissions"] } = {}): TokenFacts => ({
  id: tokenId(1),
  scope: { entryIds: (overrides.entries ?? []).map(entryId), folderIds: (overrides.folders ?? []).map(folderId), permissions: overrides.permissions ?? ["use"] },
  allowedCidrs: overrides.allowedCidrs ?? [],
  expiresAt: overrides.expiresAt ?? null,
  revokedAt: overrides.revokedAt ?? null,
});

export const serviceAccount = (n: number, tokenFacts: TokenFacts, address = "10.1.2.3", isDisabled = false): ServiceAccountActorFacts => ({
  kind: "service_account",
  serviceAccountId: serviceAccountId(n),
  isDisabled,
  token: tokenFacts,
  address,
});

export const entry = (n: number, facts: Partial<Omit<EntryFacts, "kind" | "id">> = {}): EntryFacts => ({
  kind: "entry",
  id: entryId(n),
  folderId: null,
  ownerId: userId(99),
  approvalsRequired: 0,
  emergencyAccess: false,
  approverGroupId: null,
  ...facts,
});

export const folder = (n: number, approverGroup: number | null = null): FolderFacts => ({ kind: "folder", id: folderId(n), approverGroupId: approverGroup === null ? null : groupId(approverGroup) });

export const toUser = (n: number): Principal => ({ kind: "user", id: userId(n) });
export const toGroup = (n: number): Principal => ({ kind: "group", id: groupId(n) });
export const toServiceAccount = (n: number): Principal => ({ kind: "service_account", id: serviceAccountId(n) });

export function grant(n: number, principal: Principal, on: { entry: number } | { folder: number }, permission: GrantPermission, more: Partial<Pick<Grant, "expiresAt" | "revokedAt" | "accessRequestId">> = {}): Grant {
  return {
    id: grantId(n),
    principal,
    scope: "entry" in on ? { kind: "entry", id: entryId(on.entry) } : { kind: "folder", id: folderId(on.folder) },
    permission,
    expiresAt: more.expiresAt ?? null,
    revokedAt: more.revokedAt ?? null,
    accessRequestId: more.accessRequestId ?? null,
  };
}

// ---- Arbitraries: pools of 3 users, 2 groups, 2 service accounts, 4 entries, 2 folders. ----

const permissionArb = fc.constantFrom<GrantPermission>("use", "recover", "manage");
/** No expiry as often as one; an expiry falls before or after NOW, or exactly on a tested "now" (the boundary). */
const timeArb: fc.Arbitrary<number | null> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.integer({ min: NOW - 2 * HOUR, max: NOW + 2 * HOUR }), weight: 1 },
  { arbitrary: fc.constantFrom(NOW - HOUR, NOW, NOW + HOUR), weight: 1 },
);

export const principalArb: fc.Arbitrary<Principal> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map(toUser),
  fc.integer({ min: 1, max: 2 }).map(toGroup),
  fc.integer({ min: 1, max: 2 }).map(toServiceAccount),
);

export const grantArb = (n: number, principals: fc.Arbitrary<Principal> = principalArb): fc.Arbitrary<Grant> =>
  fc
    .record({
      principal: principals,
      on: fc.oneof(fc.integer({ min: 1, max: 4 }).map((e) => ({ entry: e })), fc.integer({ min: 1, max: 2 }).map((f) => ({ folder: f }))),
      permission: permissionArb,
      expiresAt: timeArb,
      revoked: fc.constantFrom(false, false, false, true),
      fromRequest: fc.boolean(),
    })
    .map((g) => grant(n, g.principal, g.on, g.permission, { expiresAt: g.expiresAt, revokedAt: g.revoked ? NOW - HOUR : null, accessRequestId: g.fromRequest ? requestId(n) : null }));

export const grantsArb: fc.Arbitrary<Grant[]> = fc.integer({ min: 0, max: 10 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => grantArb(i + 1))));

/** Grants to the two service accounts only: properties about tokens meet many allowed decisions. */
export const serviceAccountGrantsArb: fc.Arbitrary<Grant[]> = fc
  .integer({ min: 0, max: 8 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => grantArb(i + 1, fc.integer({ min: 1, max: 2 }).map(toServiceAccount)))));

export const entryArb: fc.Arbitrary<EntryFacts> = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    folder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
    owner: fc.integer({ min: 1, max: 4 }),
    approvals: fc.constantFrom(0, 0, 0, 1, 2),
    emergency: fc.boolean(),
    approverGroup: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  })
  .map((e) => entry(e.n, { folderId: e.folder === null ? null : folderId(e.folder), ownerId: userId(e.owner), approvalsRequired: e.approvals, emergencyAccess: e.emergency, approverGroupId: e.approverGroup === null ? null : groupId(e.approverGroup) }));

export const userArb: fc.Arbitrary<UserActorFacts> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    role: fc.constantFrom<Role>("admin", "member", "member", "auditor"),
    groups: fc.subarray([1, 2]),
    disabled: fc.constantFrom(false, false, false, false, false, false, false, true),
  })
  .map((u) => user(u.n, u.role, u.groups, u.disabled));

export const tokenArb: fc.Arbitrary<TokenFacts> = fc
  .record({
    entries: fc.subarray([1, 2, 3, 4]),
    folders: fc.subarray([1, 2]),
    permissions: fc.subarray<"use" | "recover">(["use", "recover"]),
    cidrs: fc.constantFrom<string[]>([], ["10.0.0.0/8"], ["192.168.0.0/16"]),
    expiresAt: timeArb,
    revoked: fc.constantFrom(false, false, false, true),
  })
  .map((t) => token({ entries: t.entries, folders: t.folders, permissions: t.permissions, allowedCidrs: t.cidrs, expiresAt: t.expiresAt, revokedAt: t.revoked ? NOW - HOUR : null }));

export const serviceAccountArb: fc.Arbitrary<ServiceAccountActorFacts> = fc
  .record({ n: fc.integer({ min: 1, max: 2 }), token: tokenArb, address: fc.constantFrom("10.1.2.3", "192.168.7.7", "::ffff:10.9.9.9"), disabled: fc.constantFrom(false, false, false, false, false, false, false, true) })
  .map((s) => serviceAccount(s.n, s.token, s.address, s.disabled));

export const actorArb = fc.oneof({ arbitrary: userArb, weight: 3 }, { arbitrary: serviceAccountArb, weight: 1 });
