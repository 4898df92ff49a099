// The two-person rule across nodes: two `watchword serve` processes share one PostgreSQL, and
// approvers act on the same request at the same moment, each through a different node's HTTP
// API. However the race falls, every request ends approved with exactly one grant, every
// approver counted once, and a third approver who comes too late is told the request is closed.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { withDefaultUser } from "../../src/store/connect.js";
import { openStore, type Store } from "../../src/store/store.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { deployOnPostgres, type Deployment } from "../support/watchword-nodes.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "violet-harbor-compass-2291";
const ROUNDS = 8;

describe.skipIf(!databaseKinds.includes("postgres"))("approvals racing on two nodes sharing PostgreSQL", () => {
  let db: TestDatabase;
  let deployment: Deployment;
  let store: Store;
  let storeDir: string;
  /** Each person signed in once; `on(i)` is the same session through node i. */
  const people: Record<string, { token: string; id: UserId; on: (node: number) => WatchwordClient }> = {};

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    const url = new URL(withDefaultUser(TEST_DATABASE_URL));
    url.searchParams.set("options", `-c search_path=${db.postgresSchema}`);
    deployment = await deployOnPostgres(url.toString(), 2);
    storeDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-race-"));
    store = openStore({ databaseUrl: deployment.databaseUrl, dataDir: storeDir });
    for (const [username, role] of [["ann", "admin"], ["ben", "admin"], ["cal", "admin"], ["req", "member"]] as const) {
      const user = await insertNewUser(store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, Date.now());
      // Administrators among others sign in with the test authenticator (admin-authenticator.ts).
      const { token } = await signedInApiClient(deployment.nodes[0]!.url, username, PASSWORD);
      people[username] = { token, id: user.id, on: (node) => createClient({ baseUrl: deployment.nodes[node]!.url, token }) };
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await deployment?.stop();
    if (storeDir !== undefined) await fs.rm(storeDir, { recursive: true, force: true });
    await db?.drop();
  });

  async function guardedEntry(name: string): Promise<string> {
    const ann = people.ann!.on(0);
    const { entry } = await ann.createEntry({ name, seed: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" } });
    await ann.setEntryPolicy(entry.id, { approvalsRequired: 2, emergencyAccess: false });
    await store.grants.insertGrant({
      id: newGrantId(),
      principal: { kind: "user", id: people.req!.id },
      scope: { kind: "entry", id: entry.id as EntryId },
      permission: "use",
      expiresAt: null,
      accessRequestId: null,
      createdBy: people.ann!.id,
      createdAt: Date.now(),
    });
    return entry.id;
  }

  it("gives exactly one grant when the two approvers of N = 2 approve at the same moment on different nodes", async () => {
    const entryId = await guardedEntry("Bank portal");
    for (let round = 0; round < ROUNDS; round += 1) {
      const asked = await people.req!.on(round % 2).requestAccess({ entryId, durationSeconds: 3600, reason: `Round ${round}` });
      const [a, b] = await Promise.all([people.ann!.on(0).approveAccessRequest(asked.id), people.ben!.on(1).approveAccessRequest(asked.id)]);
      // One of the two saw the other's approval and closed the request; which one is the race's
      // choice. Each reply shows the request as it is once its own decision committed, so the first
      // may already show the second's approval too ("approved" twice): never "pending" twice.
      expect([a.status, b.status]).toContain("approved");
      expect([a.status, b.status].every((status) => status === "approved" || status === "pending")).toBe(true);
      const final = await people.req!.on(1).getAccessRequest(asked.id);
      expect(final).toMatchObject({ status: "approved", approvals: 2 });
      expect(final.decisions.map((d) => d.approver.username).sort()).toEqual(["ann", "ben"]);
      const grants = (await store.grants.listGrants({ entryId: entryId as EntryId })).filter((g) => g.accessRequestId === asked.id);
      expect(grants).toHaveLength(1);
      expect(final.grant?.id).toBe(grants[0]!.id);
    }
    await people.req!.on(0).getCode(entryId);
    await people.req!.on(1).getCode(entryId);
  }, 120_000);

  it("with three approvers racing for N = 2, counts two, tells the third it is closed, and still gives one grant", async () => {
    const entryId = await guardedEntry("Registrar");
    for (let round = 0; round < ROUNDS; round += 1) {
      const asked = await people.req!.on(0).requestAccess({ entryId, durationSeconds: 3600, reason: `Three-way round ${round}` });
      const settled = await Promise.allSettled([
        people.ann!.on(round % 2).approveAccessRequest(asked.id),
        people.ben!.on((round + 1) % 2).approveAccessRequest(asked.id),
        people.cal!.on(round % 2).approveAccessRequest(asked.id),
      ]);
      const fulfilled = settled.filter((s) => s.status === "fulfilled");
      const refused = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
      expect(fulfilled).toHaveLength(2);
      expect(refused).toHaveLength(1);
      expect(await rejection(Promise.reject(refused[0]!.reason))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "approved" } });
      const final = await people.req!.on(1).getAccessRequest(asked.id);
      expect(final).toMatchObject({ status: "approved", approvals: 2 });
      expect(final.decisions).toHaveLength(2);
      expect((await store.grants.listGrants({ entryId: entryId as EntryId })).filter((g) => g.accessRequestId === asked.id)).toHaveLength(1);
    }
  }, 120_000);
});
