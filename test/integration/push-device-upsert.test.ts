// Registering a browser for push approval is one statement (INSERT … ON CONFLICT): two
// registrations of the same browser and subscription at the same moment (a double tap, two tabs,
// two nodes) leave one device row and raise no error, on SQLite and on PostgreSQL, where the two
// run on two connections of their own (two stores, each with its pool, as two nodes would).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { openStore, type Store } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const USER_ID = "00000000-0000-4000-8000-0000000000a1" as UserId;
const ROUNDS = 20;

describe.each(databaseKinds)("push device registration on %s", (kind) => {
  let db: TestDatabase;
  let nodes: [Store, Store];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const target = { databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) };
    nodes = [openStore(target), openStore(target)];
    await nodes[0].migrate();
    await nodes[0].users.insertUser({ id: USER_ID, username: "mia", displayName: "Mia", role: "member", passwordHash: "$argon2id$placeholder", createdAt: 1_000 });
  });
  afterAll(async () => {
    for (const node of nodes ?? []) await node.close();
    await db?.drop();
  });

  const registration = (round: number, which: number) => ({
    id: `00000000-0000-4000-8000-${String(round * 10 + which).padStart(12, "0")}`,
    userId: USER_ID,
    deviceTokenHash: `token-hash-${round}`,
    name: `Browser ${which}`,
    subscription: { endpoint: `https://fcm.googleapis.com/fcm/send/round-${round}`, p256dh: "p256dh-key", auth: "auth-secret" },
    createdAt: 2_000 + round,
  });

  it("keeps one row and raises no error when the same browser registers twice at once", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const results = await Promise.allSettled([nodes[0].pushApprovals.upsertDevice(registration(round, 1)), nodes[1].pushApprovals.upsertDevice(registration(round, 2))]);
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")), `round ${round}`).toEqual(["ok", "ok"]);
      const [first, second] = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<Store["pushApprovals"]["upsertDevice"]>>>).value);
      // Both callers are told of the one device kept.
      expect(first!.id).toBe(second!.id);
      const rows = (await nodes[0].pushApprovals.listDevicesOfUser(USER_ID)).filter((d) => d.deviceTokenHash === `token-hash-${round}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.subscription).toEqual(registration(round, 1).subscription);
    }
    expect(await nodes[1].pushApprovals.listDevicesOfUser(USER_ID)).toHaveLength(ROUNDS);
  });

  it("updates the name and subscription of a device registered before, keeping its id, creation time and last use", async () => {
    const first = await nodes[0].pushApprovals.upsertDevice({ ...registration(100, 1), subscription: null });
    await nodes[0].pushApprovals.touchDevice(first.id, 9_000);
    const again = await nodes[1].pushApprovals.upsertDevice({ ...registration(100, 2), name: "Pixel", createdAt: 99_999 });
    expect(again).toEqual({ ...first, name: "Pixel", subscription: registration(100, 2).subscription, lastUsedAt: 9_000 });
    // And back to no subscription: the browser's push service went away.
    expect((await nodes[0].pushApprovals.upsertDevice({ ...registration(100, 3), subscription: null })).subscription).toBeNull();
  });
});
