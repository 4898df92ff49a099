// The people-and-policy repositories, one suite run against SQLite and PostgreSQL: groups,
// service accounts and tokens, grants, the one-query facts load that decide() is given, access
// requests with their approvals, and the approval race between two nodes.
import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGrantId } from "../../src/core/ids.js";
import { decide, type Grant } from "../../src/core/policy.js";
import { accessRequestFactsOf, type NewAccessRequest } from "../../src/store/access-requests.js";
import { serviceAccountActorOf } from "../../src/store/api-tokens.js";
import type { GrantRecord } from "../../src/store/grants.js";
import { openDatabase } from "../../src/store/connect.js";
import { openStore, type Store } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { HOUR, NOW, entryId, folderId, grant, grantId, groupId, requestId, serviceAccountId, toGroup, toServiceAccount, toUser, tokenId, user, userId } from "../support/policy-fixtures.js";
import { seedEntry, seedFolder, seedUser } from "../support/policy-seed.js";
import { startSecondNode } from "../support/second-node.js";

const newGrant = (g: Grant) => ({ ...g, createdBy: userId(1), createdAt: NOW - HOUR });

/** Stores a grant as granting and (when it says revoked) revoking would; returns the record expected back. */
async function storeGrant(store: Store, g: Grant): Promise<GrantRecord> {
  await store.grants.insertGrant(newGrant(g));
  if (g.revokedAt !== null) await store.grants.revokeGrant(g.id, userId(1), g.revokedAt);
  return { ...newGrant(g), revokedBy: g.revokedAt === null ? null : userId(1) };
}
const principalsOf = (n: number, groups: number[] = []) => ({ userId: userId(n), groupIds: groups.map(groupId), serviceAccountId: null });

describe.each(databaseKinds)("people and policy store on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;
  const target = () => ({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = openStore(target());
    expect(await store.migrate()).toContain("0004-people-and-policy");
    for (const n of [1, 2, 3, 4, 5]) await seedUser(store, userId(n), n === 1 ? "admin" : "member");
    for (const n of [1, 2]) await seedFolder(store, folderId(n));
    await seedEntry(store, entryId(1), { folderId: folderId(1), ownerId: userId(1) });
    await seedEntry(store, entryId(2), { folderId: folderId(2), ownerId: userId(2) });
    await seedEntry(store, entryId(3), { folderId: null, ownerId: userId(1) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it("keeps groups with unique names and their members", async () => {
    await store.groups.insertGroup({ id: groupId(1), name: "Ops" }, NOW);
    await expect(store.groups.insertGroup({ id: groupId(2), name: " ops " }, NOW)).rejects.toMatchObject({ code: "conflict", details: { field: "name" } });
    await store.groups.insertGroup({ id: groupId(2), name: "Approvers" }, NOW);
    expect(await store.groups.addMember(groupId(1), userId(2), NOW)).toBe(true);
    expect(await store.groups.addMember(groupId(1), userId(2), NOW)).toBe(false);
    await store.groups.addMember(groupId(1), userId(3), NOW);
    await store.groups.addMember(groupId(2), userId(3), NOW);
    expect((await store.groups.findGroupByName("OPS"))?.memberCount).toBe(2);
    expect((await store.groups.listMembers(groupId(1))).map((m) => m.userId)).toEqual([userId(2), userId(3)].sort((a, b) => `user-${a.slice(-4)}`.localeCompare(`user-${b.slice(-4)}`)));
    expect(await store.groups.listGroupIdsOfUser(userId(3))).toEqual([groupId(1), groupId(2)]);
    expect(await store.groups.removeMember(groupId(1), userId(3))).toBe(true);
    expect(await store.groups.removeMember(groupId(1), userId(3))).toBe(false);
    await expect(store.groups.renameGroup(groupId(2), "OPS", NOW)).rejects.toMatchObject({ code: "conflict" });
    expect(await store.groups.renameGroup(groupId(2), "Approvers of folder 1", NOW)).toBe(true);
    expect((await store.groups.listGroups()).map((g) => g.name)).toEqual(["Approvers of folder 1", "Ops"]);
  });

  it("deletes a group together with its memberships and grants", async () => {
    await store.groups.insertGroup({ id: groupId(9), name: "Temporary" }, NOW);
    await store.groups.addMember(groupId(9), userId(4), NOW);
    await store.grants.insertGrant(newGrant(grant(90, toGroup(9), { entry: 1 }, "use")));
    expect(await store.groups.deleteGroup(groupId(9))).toBe(true);
    expect(await store.groups.listGroupIdsOfUser(userId(4))).toEqual([]);
    expect(await store.grants.findGrant(grantId(90))).toBeUndefined();
    expect(await store.groups.deleteGroup(groupId(9))).toBe(false);
  });

  it("stores a token only as its hash, finds it with its service account, and revokes it once", async () => {
    await store.serviceAccounts.insertServiceAccount({ id: serviceAccountId(1), name: "deploy-bot", description: "CI", createdBy: userId(1), createdAt: NOW });
    await expect(store.serviceAccounts.insertServiceAccount({ id: serviceAccountId(2), name: "Deploy-Bot", description: null, createdBy: null, createdAt: NOW })).rejects.toMatchObject({ code: "conflict" });
    const secret = `ww_${randomBytes(32).toString("base64url")}`;
    const tokenHash = createHash("sha256").update(secret).digest("hex");
    await store.apiTokens.insertToken({
      id: tokenId(1),
      serviceAccountId: serviceAccountId(1),
      tokenHash,
      label: "pipeline",
      scope: { entryIds: [entryId(1)], folderIds: [folderId(2)], permissions: ["use"] },
      allowedCidrs: ["10.0.0.0/8"],
      expiresAt: NOW + HOUR,
      createdBy: userId(1),
      createdAt: NOW,
    });
    expect(await dumpDatabase(db)).not.toContain(secret);
    const found = await store.apiTokens.findTokenByHash(tokenHash);
    expect(found).toMatchObject({ serviceAccount: { id: serviceAccountId(1), name: "deploy-bot", disabledAt: null }, token: { label: "pipeline", allowedCidrs: ["10.0.0.0/8"], scope: { entryIds: [entryId(1)], folderIds: [folderId(2)], permissions: ["use"] } } });
    expect(await store.apiTokens.findTokenByHash(createHash("sha256").update(`${secret}x`).digest("hex"))).toBeUndefined();

    await store.apiTokens.recordTokenUse(tokenId(1), NOW + 5, "10.1.2.3");
    expect(await store.apiTokens.findToken(tokenId(1))).toMatchObject({ lastUsedAt: NOW + 5, lastUsedIp: "10.1.2.3" });

    await store.grants.insertGrant(newGrant(grant(20, toServiceAccount(1), { entry: 1 }, "use")));
    const access = await store.accessPolicies.loadEntryAccess(entryId(1), { userId: null, groupIds: [], serviceAccountId: serviceAccountId(1) });
    const asked = () => store.apiTokens.findTokenByHash(tokenHash).then((t) => decide(serviceAccountActorOf(t!, "10.1.2.3"), "use", access!.facts, access!.grants, NOW));
    expect(await asked()).toEqual({ allowed: true, via: grantId(20) });
    await store.serviceAccounts.setServiceAccountDisabled(serviceAccountId(1), NOW);
    expect(await asked()).toEqual({ allowed: false, reason: "disabled" });
    await store.serviceAccounts.setServiceAccountDisabled(serviceAccountId(1), null);
    expect(await store.apiTokens.revokeToken(tokenId(1), NOW)).toBe(true);
    expect(await store.apiTokens.revokeToken(tokenId(1), NOW + 1)).toBe(false);
    expect(await asked()).toEqual({ allowed: false, reason: "revoked" });
    expect((await store.apiTokens.listTokens(serviceAccountId(1))).map((t) => t.revokedAt)).toEqual([NOW]);
  });

  it("refuses a grant of an entry that does not exist, or with two principals or two scopes", async () => {
    const base = newGrant(grant(30, toUser(2), { entry: 1 }, "use"));
    await expect(store.grants.insertGrant({ ...base, scope: { kind: "entry", id: entryId(404) } })).rejects.toThrow();
    // The check constraints hold even for a caller that bypasses the repository's mapping.
    const raw = openDatabase(target());
    try {
      await expect(sql`insert into grants (id, user_id, group_id, entry_id, permission, created_at) values (${grantId(31)}, ${userId(2)}, ${groupId(1)}, ${entryId(1)}, 'use', 1)`.execute(raw.db)).rejects.toThrow();
      await expect(sql`insert into grants (id, user_id, entry_id, folder_id, permission, created_at) values (${grantId(32)}, ${userId(2)}, ${entryId(1)}, ${folderId(1)}, 'use', 1)`.execute(raw.db)).rejects.toThrow();
      await expect(sql`insert into grants (id, user_id, entry_id, permission, created_at) values (${grantId(33)}, ${userId(2)}, ${entryId(1)}, 'admin', 1)`.execute(raw.db)).rejects.toThrow();
    } finally {
      await raw.close();
    }
    expect(await store.grants.listGrants({ principal: toUser(2), includeRevoked: true })).toEqual([]);
  });

  it("loads an entry's facts and exactly the actor's grants that could cover it, in one query", async () => {
    await store.accessPolicies.setFolderApproverGroup(folderId(1), groupId(2), NOW);
    await store.accessPolicies.setEntryPolicy(entryId(1), { approvalsRequired: 2, emergencyAccess: true }, NOW);
    const mine = [
      grant(40, toUser(2), { entry: 1 }, "use", { expiresAt: NOW + HOUR }),
      grant(41, toGroup(1), { folder: 1 }, "recover"),
      grant(42, toUser(2), { entry: 1 }, "manage", { revokedAt: NOW - HOUR }),
      grant(43, toUser(2), { folder: 1 }, "use", { expiresAt: NOW - HOUR }),
    ];
    const others = [grant(44, toUser(3), { entry: 1 }, "use"), grant(45, toUser(2), { entry: 2 }, "use"), grant(46, toUser(2), { folder: 2 }, "use"), grant(47, toGroup(2), { entry: 1 }, "use")];
    const expected = [];
    for (const g of mine) expected.push(await storeGrant(store, g));
    for (const g of others) await storeGrant(store, g);

    const access = await store.accessPolicies.loadEntryAccess(entryId(1), principalsOf(2, [1]));
    expect(access?.facts).toEqual({ kind: "entry", id: entryId(1), folderId: folderId(1), ownerId: userId(1), approvalsRequired: 2, emergencyAccess: true, approverGroupId: groupId(2) });
    expect([...(access?.grants ?? [])].sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
    const plain = await store.accessPolicies.loadEntryAccess(entryId(3), principalsOf(2, [1]));
    expect(plain).toEqual({
      facts: { kind: "entry", id: entryId(3), folderId: null, ownerId: userId(1), approvalsRequired: 0, emergencyAccess: false, approverGroupId: null },
      grants: [],
      entry: await store.entries.findEntry(entryId(3)),
      stepUp: null,
    });
    // The entry and the step-up its codes ask for come with the facts: the entry's own, else its folder's.
    expect(access?.entry).toEqual(await store.entries.findEntry(entryId(1)));
    expect(access?.stepUp).toBeNull();
    await store.stepUps.setFolderStepUp(folderId(1), true, NOW);
    expect((await store.accessPolicies.loadEntryAccess(entryId(1), principalsOf(2, [1])))?.stepUp).toEqual({ kind: "folder", id: folderId(1) });
    await store.stepUps.setEntryStepUp(entryId(1), true, NOW);
    expect((await store.accessPolicies.loadEntryAccess(entryId(1), principalsOf(2, [1])))?.stepUp).toEqual({ kind: "entry", id: entryId(1) });
    await store.stepUps.setEntryStepUp(entryId(1), false, NOW);
    await store.stepUps.setFolderStepUp(folderId(1), false, NOW);
    expect((await store.accessPolicies.loadEntryAccess(entryId(1), principalsOf(2, [1])))?.stepUp).toBeNull();
    expect(await store.accessPolicies.loadEntryAccess(entryId(404), principalsOf(2))).toBeUndefined();

    const folderAccess = await store.accessPolicies.loadFolderAccess(folderId(1), principalsOf(2, [1]));
    expect(folderAccess?.facts).toEqual({ kind: "folder", id: folderId(1), approverGroupId: groupId(2) });
    expect(folderAccess?.grants.map((g) => g.id).sort()).toEqual([grantId(41), grantId(43)]);
  });

  it("denies the very next decision after a grant is revoked", async () => {
    await store.grants.insertGrant(newGrant(grant(50, toUser(4), { entry: 3 }, "use")));
    const ask = async () => {
      const access = await store.accessPolicies.loadEntryAccess(entryId(3), principalsOf(4));
      return decide(user(4), "use", access!.facts, access!.grants, NOW);
    };
    expect(await ask()).toEqual({ allowed: true, via: grantId(50) });
    expect(await store.grants.revokeGrant(grantId(50), userId(1), NOW)).toBe(true);
    expect(await store.grants.revokeGrant(grantId(50), userId(1), NOW)).toBe(false);
    expect(await ask()).toEqual({ allowed: false, reason: "revoked" });
    expect(await store.grants.listGrants({ entryId: entryId(3) })).toEqual([]);
    expect(await store.grants.listGrants({ entryId: entryId(3), includeRevoked: true })).toMatchObject([{ id: grantId(50), revokedAt: NOW, revokedBy: userId(1) }]);
  });

  const asked = (n: number, more: Partial<NewAccessRequest> = {}): NewAccessRequest => ({
    id: requestId(n),
    requesterId: userId(3),
    target: { kind: "entry", id: entryId(1) },
    permission: "use",
    durationMs: 2 * HOUR,
    reason: "Incident 42",
    emergency: false,
    approvalsRequired: 2,
    createdAt: NOW,
    ...more,
  });
  const decider = (n: number, approver: number, more: { durationMs?: number | null; now?: number } = {}) => ({
    requestId: requestId(n),
    approverId: userId(approver),
    comment: `from ${approver}`,
    durationMs: null,
    now: NOW,
    grantId: newGrantId(),
    ...more,
  });
  const approve = (n: number, approver: number, more: { durationMs?: number | null; now?: number } = {}) =>
    store.transaction((tx) => tx.accessRequests.approveRequest(decider(n, approver, more)));
  const grantsOfRequest = async (n: number) => (await store.grants.listGrants({ principal: toUser(3), includeRevoked: true })).filter((g) => g.accessRequestId === requestId(n));

  it("needs N distinct approvers other than the requester, then grants once, for the shortest duration chosen", async () => {
    await store.accessRequests.insertRequest(asked(1));
    expect(await approve(1, 3)).toEqual({ kind: "own_request" });
    expect(await approve(1, 1, { durationMs: HOUR })).toEqual({ kind: "recorded", approvals: 1, approvalsRequired: 2 });
    expect(await approve(1, 1)).toEqual({ kind: "already_decided" });
    const granted = await approve(1, 2, { now: NOW + 10 });
    expect(granted).toMatchObject({ kind: "granted", grant: { principal: toUser(3), scope: { kind: "entry", id: entryId(1) }, permission: "use", expiresAt: NOW + 10 + HOUR, accessRequestId: requestId(1), createdBy: userId(2) } });
    expect(await approve(1, 4)).toEqual({ kind: "closed", status: "approved" });
    expect(await approve(404, 4)).toEqual({ kind: "not_found" });

    const request = await store.accessRequests.findRequest(requestId(1));
    expect(request).toMatchObject({ status: "approved", approvals: 2, decidedAt: NOW + 10, reason: "Incident 42" });
    expect(request?.decisions.map((d) => [d.approverId, d.decision, d.comment])).toEqual([[userId(1), "approve", "from 1"], [userId(2), "approve", "from 2"]]);
    expect(await grantsOfRequest(1)).toHaveLength(1);

    // The grant opens the approval-required entry (N = 2, set above) for the requester, until it expires.
    const access = await store.accessPolicies.loadEntryAccess(entryId(1), principalsOf(3));
    const via = granted.kind === "granted" ? granted.grant.id : undefined;
    expect(decide(user(3), "use", access!.facts, access!.grants, NOW + 20)).toEqual({ allowed: true, via });
    expect(decide(user(3), "use", access!.facts, access!.grants, NOW + 10 + HOUR)).toEqual({ allowed: false, reason: "approval_required" });
    expect(accessRequestFactsOf(request!, access!.facts)).toMatchObject({ isOpen: false, approverIds: [userId(1), userId(2)], requesterId: userId(3) });
  });

  it("closes a request at the first denial, and lets only the requester cancel a pending one", async () => {
    await store.accessRequests.insertRequest(asked(2));
    await approve(2, 1);
    expect(await store.transaction((tx) => tx.accessRequests.denyRequest(decider(2, 3)))).toEqual({ kind: "own_request" });
    expect(await store.transaction((tx) => tx.accessRequests.denyRequest(decider(2, 1)))).toEqual({ kind: "already_decided" });
    expect(await store.transaction((tx) => tx.accessRequests.denyRequest(decider(2, 2)))).toEqual({ kind: "denied" });
    expect(await approve(2, 4)).toEqual({ kind: "closed", status: "denied" });
    expect(await grantsOfRequest(2)).toEqual([]);

    await store.accessRequests.insertRequest(asked(3, { target: { kind: "folder", id: folderId(1) }, permission: "recover" }));
    expect(await store.accessRequests.cancelRequest(requestId(3), userId(2), NOW)).toBe(false);
    expect(await store.accessRequests.cancelRequest(requestId(3), userId(3), NOW)).toBe(true);
    expect(await store.accessRequests.cancelRequest(requestId(3), userId(3), NOW)).toBe(false);
    expect(await store.accessRequests.findRequest(requestId(3))).toMatchObject({ status: "cancelled", target: { kind: "folder", id: folderId(1) }, permission: "recover" });
    expect((await store.accessRequests.listRequests({ requesterId: userId(3), statuses: ["denied", "cancelled"] })).map((r) => r.id).sort()).toEqual([requestId(2), requestId(3)]);
  });

  it("keeps an emergency use open until someone other than the requester reviews it", async () => {
    await store.accessRequests.insertRequest(asked(4, { emergency: true, approvalsRequired: 1 }));
    expect(await store.accessRequests.listRequests({ statuses: ["review_pending"] })).toMatchObject([{ id: requestId(4), emergency: true }]);
    expect(await approve(4, 1)).toEqual({ kind: "closed", status: "review_pending" });
    const review = (approver: number) => store.transaction((tx) => tx.accessRequests.reviewEmergencyUse({ ...decider(4, approver), now: NOW + 5 }));
    expect(await review(3)).toEqual({ kind: "own_request" });
    expect(await review(2)).toEqual({ kind: "reviewed" });
    expect(await review(1)).toEqual({ kind: "closed", status: "reviewed" });
    expect(await store.accessRequests.findRequest(requestId(4))).toMatchObject({ status: "reviewed", reviewedAt: NOW + 5, reviewedBy: userId(2) });
    expect(await grantsOfRequest(4)).toEqual([]);
  });

  it("refuses to decide outside a transaction, where its steps would not be atomic", async () => {
    await store.accessRequests.insertRequest(asked(5));
    await expect(store.accessRequests.approveRequest(decider(5, 1))).rejects.toThrow("accessRequests.approveRequest must run inside store.transaction()");
    expect(await store.accessRequests.findRequest(requestId(5))).toMatchObject({ approvals: 0, decisions: [] });
  });

  it("reads a session with its user and the user's groups in one look-up, and sees a change at the next", async () => {
    // PostgreSQL: one joined query (session-holders.ts); SQLite: the three cached look-ups.
    await seedUser(store, userId(6));
    await store.groups.insertGroup({ id: groupId(8), name: "Holders B" }, NOW);
    await store.groups.insertGroup({ id: groupId(7), name: "Holders A" }, NOW);
    const session = { idHash: "holder-session-hash", userId: userId(6), kind: "token" as const, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + HOUR, ip: "192.0.2.6", userAgent: "test", publicId: "holder-public", reauthenticatedAt: null, enrolmentRequired: false };
    await store.sessions.insertSession(session);
    expect(await store.sessions.findSessionHolder("holder-session-hash")).toEqual({ session, user: await store.users.findUserById(userId(6)), groupIds: [] });
    await store.groups.addMember(groupId(8), userId(6), NOW);
    await store.groups.addMember(groupId(7), userId(6), NOW);
    const holder = await store.sessions.findSessionHolder("holder-session-hash");
    expect(holder?.groupIds).toEqual([groupId(7), groupId(8)]);
    expect(holder?.user).toEqual(await store.users.findUserById(userId(6)));
    expect(holder?.user?.username).toBe(`user-${userId(6).slice(-4)}`);
    await store.users.updateUser(userId(6), { displayName: "Renamed Holder" }, NOW);
    expect((await store.sessions.findSessionHolder("holder-session-hash"))?.user?.displayName).toBe("Renamed Holder");
    expect(await store.sessions.findSessionHolder("no-such-session")).toBeUndefined();
  });

  it("gives exactly one grant when approvers on two nodes decide at the same moment", async () => {
    const node2 = await startSecondNode(target());
    try {
      // N = 1: both race to be the one approval; one wins, the other finds the request closed.
      for (let n = 10; n < 16; n += 1) {
        await store.accessRequests.insertRequest(asked(n, { approvalsRequired: 1 }));
        const outcomes = await Promise.all([approve(n, 1), node2.approve(decider(n, 2))]);
        expect(outcomes.map((o) => o.kind).sort()).toEqual(["closed", "granted"]);
        expect(await grantsOfRequest(n)).toHaveLength(1);
      }
      // N = 2: both approvals count; whichever comes second grants, once.
      for (let n = 20; n < 26; n += 1) {
        await store.accessRequests.insertRequest(asked(n));
        const outcomes = await Promise.all([approve(n, 1), node2.approve(decider(n, 2))]);
        expect(outcomes.map((o) => o.kind).sort()).toEqual(["granted", "recorded"]);
        expect(await grantsOfRequest(n)).toHaveLength(1);
      }
      // The other node holds its transaction open after approving; this node's approval waits for
      // it and then sees it (counting without the lock would leave two approvals and no grant).
      for (const n of [30, 31]) {
        await store.accessRequests.insertRequest(asked(n));
        const first = node2.approve({ ...decider(n, 2), holdMs: 300 });
        await new Promise((resolve) => setTimeout(resolve, 100));
        const second = approve(n, 1);
        expect((await first).kind).toBe("recorded");
        expect((await second).kind).toBe("granted");
        expect(await store.accessRequests.findRequest(requestId(n))).toMatchObject({ status: "approved", approvals: 2 });
        expect(await grantsOfRequest(n)).toHaveLength(1);
      }
    } finally {
      await node2.stop();
    }
  });
});
