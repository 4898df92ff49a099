// Registering a browser for push approval: two registrations of the same browser and subscription
// at the same moment (a double tap, two tabs, two nodes) leave one device row and raise no error;
// a user has at most MAX_PUSH_DEVICES, also when two new browsers register at once. On SQLite and
// on PostgreSQL, where the two run on two connections of their own (two stores, each with its
// pool, as two nodes would).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import { MAX_PUSH_DEVICES } from "../../src/services/push-approvals.js";
import type { PushDeviceRecord } from "../../src/store/push-approvals.js";
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
      const results = await Promise.allSettled([nodes[0].pushApprovals.upsertDevice(registration(round, 1), ROUNDS), nodes[1].pushApprovals.upsertDevice(registration(round, 2), ROUNDS)]);
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")), `round ${round}`).toEqual(["ok", "ok"]);
      const [first, second] = results.map((r) => (r as PromiseFulfilledResult<PushDeviceRecord>).value);
      // Both callers are told of the one device kept.
      expect(first!.id).toBe(second!.id);
      const rows = (await nodes[0].pushApprovals.listDevicesOfUser(USER_ID)).filter((d) => d.deviceTokenHash === `token-hash-${round}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.subscription).toEqual(registration(round, 1).subscription);
    }
    expect(await nodes[1].pushApprovals.listDevicesOfUser(USER_ID)).toHaveLength(ROUNDS);
  });

  it("updates the name and subscription of a device registered before, keeping its id, creation time and last use", async () => {
    const first = (await nodes[0].pushApprovals.upsertDevice({ ...registration(100, 1), subscription: null }, ROUNDS + 1)) as PushDeviceRecord;
    await nodes[0].pushApprovals.touchDevice(first.id, 9_000);
    // At the limit now: a browser registered before is still updated.
    const again = await nodes[1].pushApprovals.upsertDevice({ ...registration(100, 2), name: "Pixel", createdAt: 99_999 }, ROUNDS + 1);
    expect(again).toEqual({ ...first, name: "Pixel", subscription: registration(100, 2).subscription, lastUsedAt: 9_000 });
    // And back to no subscription: the browser's push service went away.
    expect(((await nodes[0].pushApprovals.upsertDevice({ ...registration(100, 3), subscription: null }, ROUNDS + 1)) as PushDeviceRecord).subscription).toBeNull();
    // A new browser finds no room, and nothing is added.
    expect(await nodes[0].pushApprovals.upsertDevice(registration(101, 1), ROUNDS + 1)).toBe("too_many");
    expect(await nodes[0].pushApprovals.listDevicesOfUser(USER_ID)).toHaveLength(ROUNDS + 1);
  });

  it(`lets only one of two new browsers registering at once take a user's last place (${MAX_PUSH_DEVICES} devices)`, async () => {
    const other = "00000000-0000-4000-8000-0000000000b2" as UserId;
    await nodes[0].users.insertUser({ id: other, username: "noa", displayName: "Noa", role: "member", passwordHash: "$argon2id$placeholder", createdAt: 1_000 });
    const browser = (n: number) => ({ ...registration(200 + n, 1), id: `00000000-0000-4000-8000-${String(900_000 + n).padStart(12, "0")}`, userId: other, deviceTokenHash: `noa-token-${n}` });
    for (let n = 0; n < MAX_PUSH_DEVICES - 1; n += 1) await nodes[0].pushApprovals.upsertDevice(browser(n), MAX_PUSH_DEVICES);
    for (let round = 0; round < ROUNDS; round += 1) {
      const a = browser(100 + 2 * round);
      const b = browser(101 + 2 * round);
      const results = await Promise.all([nodes[0].pushApprovals.upsertDevice(a, MAX_PUSH_DEVICES), nodes[1].pushApprovals.upsertDevice(b, MAX_PUSH_DEVICES)]);
      expect(results.filter((r) => r === "too_many"), `round ${round}`).toHaveLength(1);
      const devices = await nodes[0].pushApprovals.listDevicesOfUser(other);
      expect(devices).toHaveLength(MAX_PUSH_DEVICES);
      // The one that got in leaves again, for the next round.
      const added = results.find((r): r is PushDeviceRecord => r !== "too_many")!;
      expect(await nodes[0].pushApprovals.deleteDevice(other, added.id)).toBe(true);
    }
  });
});
