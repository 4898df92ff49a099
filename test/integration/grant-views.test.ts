// Grants as people read them, on SQLite and PostgreSQL: the grants of some entries and folders
// (an entry list's "shared with", a page's) and one grant by id name their principals, scopes and
// who granted and revoked them one row at a time, and must say exactly what the listing of every
// grant, which joins those names, says of the same grants, in the same order: users, groups and
// service accounts, entry and folder scopes, live, expired and revoked, a granter and a revoker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntryId, FolderId, GrantId, UserId } from "../../src/core/ids.js";
import type { Grant } from "../../src/core/policy.js";
import type { GrantViewRecord } from "../../src/store/grant-directory.js";
import { openStore, type Store } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { HOUR, NOW, entryId, folderId, grantId, groupId, serviceAccountId, userId } from "../support/policy-fixtures.js";
import { seedEntry, seedFolder, seedUser } from "../support/policy-seed.js";

const PRINCIPALS: readonly Grant["principal"][] = [
  { kind: "user", id: userId(2) },
  { kind: "user", id: userId(3) },
  { kind: "group", id: groupId(1) },
  { kind: "group", id: groupId(2) },
  { kind: "service_account", id: serviceAccountId(1) },
];

describe.each(databaseKinds)("grant views on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;
  let every: GrantViewRecord[];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    await store.migrate();
    for (const n of [1, 2, 3]) await seedUser(store, userId(n), n === 1 ? "admin" : "member");
    for (const n of [1, 2]) await store.groups.insertGroup({ id: groupId(n), name: `Group ${n}` }, NOW);
    await store.serviceAccounts.insertServiceAccount({ id: serviceAccountId(1), name: "bot-1", description: null, createdBy: null, createdAt: NOW });
    for (const n of [1, 2, 3]) await seedFolder(store, folderId(n) as FolderId);
    for (let n = 1; n <= 8; n++) await seedEntry(store, entryId(n) as EntryId, { folderId: n % 4 === 0 ? null : (folderId(1 + (n % 3)) as FolderId), ownerId: userId(1 + (n % 3)) as UserId });
    for (let n = 1; n <= 30; n++) {
      const onFolder = n % 4 === 0;
      await store.grants.insertGrant({
        id: grantId(n) as GrantId,
        principal: PRINCIPALS[n % PRINCIPALS.length]!,
        scope: onFolder ? { kind: "folder", id: folderId(1 + (n % 3)) as FolderId } : { kind: "entry", id: entryId(1 + (n % 8)) as EntryId },
        permission: (["use", "recover", "manage"] as const)[n % 3]!,
        expiresAt: n % 5 === 0 ? NOW - HOUR : n % 5 === 1 ? NOW + HOUR : null,
        accessRequestId: null,
        // Granted by an administrator, or by no one (an import, a migration); one time for several, so the id breaks ties.
        createdBy: n % 3 === 0 ? null : (userId(1) as UserId),
        createdAt: NOW - 3 * HOUR + (n % 7),
      });
      if (n % 6 === 0) await store.grants.revokeGrant(grantId(n) as GrantId, n % 12 === 0 ? null : (userId(1) as UserId), NOW - 2 * HOUR);
    }
    every = await store.grantDirectory.listGrantViews({ includeRevoked: true });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const covers = (entryIds: readonly string[], folderIds: readonly string[]) => (g: GrantViewRecord) => (g.scope.kind === "entry" ? entryIds : folderIds).includes(g.scope.id);

  it("names the grants of some entries and folders as the listing of every grant does, in its order", async () => {
    // Worth something only if every kind of name is there to compare.
    expect(every).toHaveLength(30);
    expect(new Set(every.map((g) => g.principal.kind))).toEqual(new Set(["user", "group", "service_account"]));
    expect(every.some((g) => g.revokedByName !== null) && every.some((g) => g.revokedAt !== null && g.revokedByName === null)).toBe(true);
    expect(every.some((g) => g.createdByName !== null) && every.some((g) => g.createdByName === null)).toBe(true);
    expect(every.find((g) => g.principal.id === userId(2))).toMatchObject({ principalName: "User 0002", principalDetail: "user-0002" });
    expect(every.find((g) => g.principal.kind === "service_account")).toMatchObject({ principalName: "bot-1", principalDetail: null });

    for (const [entryIds, folderIds] of [
      [[entryId(1), entryId(2), entryId(5)], [folderId(2)]],
      [[entryId(3)], []],
      [[], [folderId(1), folderId(3)]],
      [Array.from({ length: 8 }, (_, i) => entryId(i + 1)), [folderId(1), folderId(2), folderId(3)]],
    ] as const) {
      const expected = every.filter(covers(entryIds, folderIds));
      expect(expected.length).toBeGreaterThan(0);
      expect(await store.grantDirectory.listGrantViews({ entryIds: entryIds as unknown as EntryId[], folderIds: folderIds as unknown as FolderId[], includeRevoked: true })).toEqual(expected);
      expect(await store.grantDirectory.listGrantViews({ entryIds: entryIds as unknown as EntryId[], folderIds: folderIds as unknown as FolderId[], includeRevoked: false })).toEqual(expected.filter((g) => g.revokedAt === null));
      // What an entry list asks for: only the live ones.
      const live = expected.filter((g) => g.revokedAt === null && (g.expiresAt === null || g.expiresAt > NOW));
      expect(await store.grantDirectory.listGrantViews({ entryIds: entryIds as unknown as EntryId[], folderIds: folderIds as unknown as FolderId[], includeRevoked: false, liveAt: NOW })).toEqual(live);
    }
    expect(await store.grantDirectory.listGrantViews({ entryIds: [], folderIds: [], includeRevoked: true })).toEqual([]);
  });

  it("names one grant by id as the listing of every grant does", async () => {
    for (const view of every) expect(await store.grantDirectory.findGrantView(view.id)).toEqual(view);
    expect(await store.grantDirectory.findGrantView(grantId(99) as GrantId)).toBeUndefined();
  });
});
