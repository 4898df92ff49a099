// Two nodes on one PostgreSQL database give the same answers about everything they must agree on:
// a session signed in on one is good (and signed out) on the other, failed sign-ins on one slow
// the account down on the other, HOTP counters advance as one, a grant revoked on one no longer
// opens the entry on the other, the audit chain's head is the same, and the outbox lease has one
// holder. Each node is its own server with its own store and connection pool.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as OTPAuth from "otpauth";
import { ManualClock } from "../../src/core/clock.js";
import { ApiError, type WatchwordClient } from "../../src/client/client.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD = "plum-orbit-lantern-4417";

const refusal = async (promise: Promise<unknown>): Promise<ApiError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
};

describe.skipIf(!databaseKinds.includes("postgres"))("two nodes on one PostgreSQL agree", () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  // Time stands still on both nodes: a sign-in delay begun on one has not run out when the other is asked.
  const clock = new ManualClock(Date.now());

  // An administrator among others signs in with the test authenticator (admin-authenticator.ts), on either node.
  const signIn = (node: TestApp, username: string, password = PASSWORD): Promise<WatchwordClient & { token: string }> => signedInApiClient(node.url, username, password);

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    a = await startTestApp(db, { clock });
    b = await startTestApp(db, { clock });
    for (const [username, role] of [["ada", "admin"], ["bob", "member"], ["cy", "member"]] as const) {
      await insertNewUser(a.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, clock.now());
    }
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it("a session signed in on one node is good on the other, and signed out on the other it is gone on both", async () => {
    const onA = await signIn(a, "bob");
    const onB = b.newClient({ token: onA.token });
    expect((await onB.getSession()).user).toMatchObject({ username: "bob" });
    await onB.signOut();
    expect((await refusal(onA.getSession())).status).toBe(401);
    expect((await refusal(onB.getSession())).status).toBe(401);
  });

  it("failed sign-ins on one node count on the other", async () => {
    for (let i = 0; i < 5; i += 1) expect((await refusal(a.newClient().signIn({ username: "cy", password: "wrong-password-000" + i, client: "cli" }))).status).toBe(401);
    // The right password, on the other node, while the delay the fifth failure began runs.
    const throttled = await refusal(b.newClient().signIn({ username: "cy", password: PASSWORD, client: "cli" }));
    expect(throttled.status).toBe(429);
    clock.advance(60_000);
    expect((await signIn(b, "cy")).token).toBeTruthy();
  });

  it("HOTP counters advance as one across nodes, and the audit head is the same on both", async () => {
    const adminA = await signIn(a, "ada");
    const adminB = b.newClient({ token: adminA.token });
    const { entry } = await adminA.createEntry({ name: "Shared HOTP", seed: { uri: `otpauth://hotp/Shared?secret=${SEED_B32}&counter=0&digits=6` } });
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) codes.push((await (i % 2 === 0 ? adminA : adminB).takeCode(entry.id)).code);
    const secret = OTPAuth.Secret.fromBase32(SEED_B32);
    expect(codes).toEqual([0, 1, 2, 3, 4, 5].map((counter) => OTPAuth.HOTP.generate({ secret, counter, digits: 6 })));

    const [headA, headB] = [await a.vault.store.auditEvents.readAuditChainState(), await b.vault.store.auditEvents.readAuditChainState()];
    expect(headA).toEqual(headB);
    const [verifiedA, verifiedB] = [await adminA.verifyAudit(), await adminB.verifyAudit()];
    expect(verifiedA).toMatchObject({ intact: true });
    // B checks one event more: A's verification is itself recorded (audit.verified).
    expect(verifiedB).toMatchObject({ intact: true, eventsChecked: verifiedA.eventsChecked + 1, headSeq: verifiedA.headSeq + 1 });
  });

  it("a grant revoked on one node no longer opens the entry on the other", async () => {
    const adminA = await signIn(a, "ada");
    const users = await adminA.listUsers();
    const bob = users.users.find((u) => u.username === "bob")!;
    const { entry } = await adminA.createEntry({ name: "Granted TOTP", seed: { secret: SEED_B32 } });
    const grant = await adminA.createGrant({ principal: { kind: "user", id: bob.id }, scope: { kind: "entry", id: entry.id }, permission: "use" });
    const bobOnB = await signIn(b, "bob");
    expect((await bobOnB.getCode(entry.id)).code).toMatch(/^\d{6}$/);
    await adminA.revokeGrant(grant.id);
    expect((await refusal(bobOnB.getCode(entry.id))).status).toBe(404);
  });

  it("the outbox lease has one holder across nodes", async () => {
    const now = clock.now();
    const name = "agreement-test";
    await a.vault.store.outbox.ensureOutboxDestination(name, "siem", 0, now);
    await b.vault.store.outbox.ensureOutboxDestination(name, "siem", 0, now);
    const tookA = await a.vault.store.outbox.acquireOutboxLease(name, "node-a", now, now + 30_000);
    const tookB = await b.vault.store.outbox.acquireOutboxLease(name, "node-b", now, now + 30_000);
    expect([tookA, tookB]).toEqual([true, false]);
    await a.vault.store.outbox.releaseOutboxLease(name, "node-a");
    expect(await b.vault.store.outbox.acquireOutboxLease(name, "node-b", now, now + 30_000)).toBe(true);
    expect(await a.vault.store.outbox.acquireOutboxLease(name, "node-a", now, now + 30_000)).toBe(false);
  });
});
