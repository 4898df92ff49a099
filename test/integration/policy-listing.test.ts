// The paged SQL listing and decide() share one description of the rule (core/policy-rule.ts):
// on random entries, policies, grants and actors, on SQLite and PostgreSQL, the ids SQL lists are
// exactly the entries decide() allows, page after page; and the one-query facts load gives
// decide() the same answer as the facts and grants the data was made from.
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decidePermission, type EntryFacts, type Grant, type GrantPermission, type PolicyActor } from "../../src/core/policy.js";
import { describeEntryAccess, type PrincipalSet } from "../../src/core/policy-rule.js";
import { openDatabase, type Connection } from "../../src/store/connect.js";
import { openStore, type Store } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { HOUR, NOW, actorArb, entryArb, entryId, folderId, grant, grantId, grantsArb, groupId, requestId, serviceAccount, serviceAccountArb, serviceAccountGrantsArb, serviceAccountId, toServiceAccount, token, userId } from "../support/policy-fixtures.js";
import { seedEntry, seedFolder, seedUser } from "../support/policy-seed.js";

const principalsOf = (actor: PolicyActor): PrincipalSet =>
  actor.kind === "user" ? { userId: actor.userId, groupIds: actor.groupIds, serviceAccountId: null } : { userId: null, groupIds: [], serviceAccountId: actor.serviceAccountId };

/** Four entries with ids 1–4 (random folder, owner, approval rule), in id order, which is also name order. */
const entriesArb = fc.tuple(entryArb, entryArb, entryArb, entryArb).map((list) => list.map((e, i): EntryFacts => ({ ...e, id: entryId(i + 1) })));

const datasetArb = fc.record({
  entries: entriesArb,
  // Grants of every kind, plus some to the service accounts (numbered from 200, so ids stay unique).
  grants: fc
    .tuple(grantsArb, serviceAccountGrantsArb)
    .map(([any, bots]) => [...any, ...bots.map((g, i): Grant => ({ ...g, id: grantId(200 + i), accessRequestId: g.accessRequestId === null ? null : requestId(200 + i) }))]),
  // A service account in every dataset: token scopes are a clause of their own.
  actors: fc.tuple(serviceAccountArb, fc.array(actorArb, { minLength: 1, maxLength: 4 })).map(([bot, others]) => [bot, ...others]),
  now: fc.constantFrom(NOW, NOW - HOUR, NOW + HOUR),
});

describe.each(databaseKinds)("policy listing on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;
  let raw: Connection;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const target = { databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) };
    store = openStore(target);
    await store.migrate();
    raw = openDatabase(target);
    for (const n of [1, 2, 3, 4]) await seedUser(store, userId(n));
    for (const n of [1, 2]) await seedFolder(store, folderId(n));
    for (const n of [1, 2]) await store.groups.insertGroup({ id: groupId(n), name: `Group ${n}` }, NOW);
    for (const n of [1, 2]) await store.serviceAccounts.insertServiceAccount({ id: serviceAccountId(n), name: `bot-${n}`, description: null, createdBy: null, createdAt: NOW });
  });
  afterAll(async () => {
    await raw?.close();
    await store?.close();
    await db?.drop();
  });

  async function replaceData(entries: readonly EntryFacts[], grants: readonly Grant[]): Promise<void> {
    await sql`delete from grants`.execute(raw.db);
    await sql`delete from access_requests`.execute(raw.db);
    await sql`delete from entries`.execute(raw.db);
    for (const e of entries) {
      await seedEntry(store, e.id, { folderId: e.folderId, ownerId: e.ownerId });
      if (e.approvalsRequired > 0 || e.emergencyAccess) await store.accessPolicies.setEntryPolicy(e.id, { approvalsRequired: e.approvalsRequired, emergencyAccess: e.emergencyAccess }, NOW);
    }
    for (const g of grants) {
      // The request a grant came from must exist; what it asked for does not matter to decide().
      if (g.accessRequestId !== null) {
        await store.accessRequests.insertRequest({
          id: g.accessRequestId,
          requesterId: userId(1),
          target: { kind: "folder", id: folderId(1) },
          permission: "use",
          durationMs: HOUR,
          reason: "test",
          emergency: false,
          approvalsRequired: 1,
          createdAt: NOW - 3 * HOUR,
        });
      }
      await store.grants.insertGrant({ ...g, createdBy: null, createdAt: NOW - 3 * HOUR });
      if (g.revokedAt !== null) await store.grants.revokeGrant(g.id, null, g.revokedAt);
    }
  }

  it("lists exactly the entries decide() allows, for every permission, with approval enforced or waived", async () => {
    let allowedSeen = 0;
    await fc.assert(
      fc.asyncProperty(datasetArb, async ({ entries, grants, actors, now }) => {
        await replaceData(entries, grants);
        for (const actor of actors) {
          for (const permission of ["use", "recover", "manage"] as GrantPermission[]) {
            for (const approval of ["enforced", "waived"] as const) {
              const expected = entries.filter((e) => decidePermission(actor, permission, e, grants, now, approval).allowed).map((e) => e.id);
              const description = describeEntryAccess(actor, permission, now, approval);
              expect(await store.policyListing.listEntryIds(description, { limit: 100 })).toEqual(expected);
              expect(await store.policyListing.countEntries(description)).toBe(expected.length);
              const pages = [...(await store.policyListing.listEntryIds(description, { limit: 2 })), ...(await store.policyListing.listEntryIds(description, { limit: 2, offset: 2 }))];
              expect(pages).toEqual(expected);
              allowedSeen += expected.length;
            }
          }
          // What a service loads in one query leads decide() to the same answer.
          for (const e of entries) {
            const loaded = await store.accessPolicies.loadEntryAccess(e.id, principalsOf(actor));
            expect(loaded?.facts).toEqual({ ...e, approverGroupId: null });
            expect(decidePermission(actor, "use", loaded!.facts, loaded!.grants, now)).toEqual(decidePermission(actor, "use", { ...e, approverGroupId: null }, grants, now));
          }
        }
      }),
      { numRuns: 40 },
    );
    // The property is only worth something if many entries were listed.
    expect(allowedSeen).toBeGreaterThan(100);
  }, 120_000);

  it("never lists an entry beyond a token's scope or past a grant's expiry, whatever the grants say", async () => {
    const entries = [1, 2, 3, 4].map((n): EntryFacts => ({ kind: "entry", id: entryId(n), folderId: n <= 2 ? folderId(1) : folderId(2), ownerId: userId(1), approvalsRequired: 0, emergencyAccess: false, approverGroupId: null }));
    const grants = [grant(1, toServiceAccount(1), { folder: 1 }, "use"), grant(2, toServiceAccount(1), { folder: 2 }, "manage", { expiresAt: NOW + HOUR }), grant(3, toServiceAccount(1), { entry: 4 }, "use", { expiresAt: NOW })];
    await replaceData(entries, grants);
    const list = (scope: { entries?: number[]; folders?: number[] }, now = NOW) =>
      store.policyListing.listEntryIds(describeEntryAccess(serviceAccount(1, token({ ...scope, permissions: ["use"] })), "use", now), { limit: 10 });
    expect(await list({ folders: [1] })).toEqual([entryId(1), entryId(2)]);
    expect(await list({ entries: [2, 3] })).toEqual([entryId(2), entryId(3)]);
    expect(await list({ folders: [2] })).toEqual([entryId(3), entryId(4)]);
    expect(await list({ folders: [2] }, NOW + HOUR)).toEqual([]);
    expect(await list({ entries: [4] }, NOW - 1)).toEqual([entryId(4)]);
    expect(await list({})).toEqual([]);
  });

  it("lists nothing for a description that denies outright", async () => {
    expect(await store.policyListing.listEntryIds({ kind: "denied", reason: "disabled" }, { limit: 10 })).toEqual([]);
    expect(await store.policyListing.countEntries({ kind: "denied", reason: "role_forbids" })).toBe(0);
  });
});
