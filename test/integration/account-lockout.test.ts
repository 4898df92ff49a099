// The limit of 100 failed sign-ins (NIST SP 800-63B §5.2.2), made recoverable, over real HTTP on
// both databases with a controllable clock: failures spaced to dodge the growing delays lock an
// account for unknown devices only; a browser or CLI that signed in before (a device token, OWASP's
// "device cookies") still signs in and is told; its own failures count against it alone; an
// administrator unlocks through the API, audited; nothing tells a stranger whether a name exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { ACCOUNT_LOCK_FAILURES, DEVICE_LOCK_FAILURES } from "../../src/core/sign-in-throttle.js";
import { renderProblem } from "../../src/core/problems/catalogue.js";
import { WRONG_CREDENTIALS } from "../../src/services/accounts.js";

import { hashDeviceToken } from "../../src/services/device-tokens.js";
import { signInWithAuthenticator } from "../support/admin-authenticator.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const ACCOUNT_LOCKED = renderProblem({ key: "account_locked", params: {} });
const PASSWORD = "plum-orbit-lantern-4417"; // signedInClient's
/** Longer than the longest delay (15 minutes), so that no failure is refused for coming too soon. */
const SPACING_MS = 16 * 60 * 1000;

describe.each(databaseKinds)("account lockout on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.now());
  const handedOut: string[] = [];

  /** `count` wrong passwords from fresh clients (unknown devices), each after the delay has passed. */
  async function spacedFailures(username: string, count: number, deviceToken?: string): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      clock.advance(SPACING_MS);
      const attempt = server.newClient().signIn({ username, password: `wrong guess ${i}`, client: "cli", ...(deviceToken === undefined ? {} : { deviceToken }) });
      const failure = await rejection(attempt);
      expect([failure.status, failure.message]).toEqual([401, renderProblem(WRONG_CREDENTIALS)]);
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    await signedInClient(server, "mia", "member");
    // The only administrator: with another user there, they enrol the test authenticator at once.
    await signedInClient(server, "root", "admin");
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it("locks the only administrator out of unknown devices only: the browser and CLI that signed in before still sign in, and are told", async () => {
    const browser = server.newClient();
    await signInWithAuthenticator(server.url, browser, { username: "root", password: PASSWORD });
    const browserDevice = browser.jar.cookies.get("__Host-ww_device");
    expect(browserDevice).toMatch(/^ww_d_[A-Za-z0-9_-]{43}$/);
    const cli = await signInWithAuthenticator(server.url, server.newClient(), { username: "root", password: PASSWORD, client: "cli" });
    expect(cli.deviceToken).toMatch(/^ww_d_[A-Za-z0-9_-]{43}$/);
    handedOut.push(browserDevice!, cli.deviceToken!);

    await spacedFailures("root", ACCOUNT_LOCK_FAILURES);
    clock.advance(SPACING_MS);
    const locked = await rejection(server.newClient().signIn({ username: "root", password: PASSWORD }));
    expect([locked.status, locked.code, locked.message]).toEqual([429, "too_many_requests", ACCOUNT_LOCKED]);

    // The browser that signed in before: signed in, and told what others did.
    clock.advance(1000);
    const again = await signInWithAuthenticator(server.url, browser, { username: "root", password: PASSWORD });
    expect(again.status).toBe("signed_in");
    expect(again.failedSignIns).toEqual({ count: ACCOUNT_LOCK_FAILURES, accountLocked: true });
    expect(browser.jar.cookies.get("__Host-ww_device")).toBe(browserDevice); // the same device, kept
    const fromCli = await signInWithAuthenticator(server.url, server.newClient(), { username: "root", password: PASSWORD, client: "cli", deviceToken: cli.deviceToken! });
    expect([fromCli.status, fromCli.deviceToken, fromCli.failedSignIns?.accountLocked]).toEqual(["signed_in", cli.deviceToken, true]);
    // Its success does not reset the strangers' count: unknown devices are still locked out.
    expect((await rejection(server.newClient().signIn({ username: "root", password: PASSWORD }))).message).toBe(ACCOUNT_LOCKED);
    // Another user's device token does not count as known for this account.
    const other = await server.newClient().signIn({ username: "mia", password: PASSWORD, client: "cli" });
    handedOut.push(other.deviceToken!);
    expect((await rejection(server.newClient().signIn({ username: "root", password: PASSWORD, client: "cli", deviceToken: other.deviceToken! }))).message).toBe(ACCOUNT_LOCKED);
  }, 180_000);

  it("says the same for a locked name that belongs to nobody: the lock tells a stranger nothing", async () => {
    for (let i = 0; i < ACCOUNT_LOCK_FAILURES; i += 1) await server.vault.store.signInFailures.recordFailure("account", "ghost", clock.now());
    const ghost = await rejection(server.newClient().signIn({ username: "ghost", password: PASSWORD }));
    const root = await rejection(server.newClient().signIn({ username: "root", password: "wrong again" }));
    expect([ghost.status, ghost.code, ghost.message]).toEqual([root.status, root.code, root.message]);
  });

  it("counts a known device's failures against it alone, and withdraws its token after ten", async () => {
    const first = await server.newClient().signIn({ username: "mia", password: PASSWORD, client: "cli" });
    const token = first.deviceToken!;
    handedOut.push(token);
    await spacedFailures("mia", DEVICE_LOCK_FAILURES, token);
    expect(await server.vault.store.signInFailures.readFailures("account", "mia")).toBeUndefined();
    expect(await server.vault.store.deviceTokens.findDeviceToken(hashDeviceToken(token))).toBeUndefined();
    // The spent token is an unknown device now: the account's own count applies, and a new token comes with the next sign-in.
    clock.advance(SPACING_MS);
    const next = await server.newClient().signIn({ username: "mia", password: PASSWORD, client: "cli", deviceToken: token });
    expect(next.deviceToken).toMatch(/^ww_d_/);
    expect(next.deviceToken).not.toBe(token);
    handedOut.push(next.deviceToken!);
  }, 120_000);

  it("slows a known device down after five failures, without touching the account", async () => {
    const { deviceToken } = await server.newClient().signIn({ username: "mia", password: PASSWORD, client: "cli" });
    handedOut.push(deviceToken!);
    for (let i = 0; i < 5; i += 1) await rejection(server.newClient().signIn({ username: "mia", password: `nope ${i}`, client: "cli", deviceToken: deviceToken! }));
    const slowed = await rejection(server.newClient().signIn({ username: "mia", password: PASSWORD, client: "cli", deviceToken: deviceToken! }));
    expect([slowed.status, slowed.message]).toEqual([429, "Too many failed sign-ins. Try again in 1 second."]);
    // Meanwhile an unknown device signs in to the account as usual.
    expect((await server.newClient().signIn({ username: "mia", password: PASSWORD })).status).toBe("signed_in");
  });

  it("lets an administrator unlock an account through the API, audited; a member cannot, and an unknown name is 404", async () => {
    const member = await signedInClient(server, "mia", "member");
    const refused = await rejection(member.unlockUser("root"));
    expect([refused.status, refused.message]).toEqual([403, "Only administrators unlock accounts."]);

    // The locked administrator unlocks their own account from the CLI that still signs in.
    const fromKnownCli = await signInWithAuthenticator(server.url, server.newClient(), { username: "root", password: PASSWORD, client: "cli", deviceToken: handedOut[1]! });
    const admin = server.newClient({ token: fromKnownCli.token! });
    const unknown = await rejection(admin.unlockUser("nobody"));
    expect([unknown.status, unknown.message]).toEqual([404, 'No user is named "nobody".']);
    const unlocked = await admin.unlockUser("ROOT");
    expect(unlocked).toMatchObject({ user: { username: "root", role: "admin" }, wasLocked: true, failedSignInsCleared: ACCOUNT_LOCK_FAILURES });

    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 });
    expect(events.filter((e) => e.action === "user.unlocked" && e.outcome === "success").map((e) => [e.actorName, JSON.parse(e.details) as unknown])).toEqual([
      ["root", { userId: unlocked.user.id, username: "root", wasLocked: true, failedSignInsCleared: ACCOUNT_LOCK_FAILURES }],
    ]);
    // Any device may sign in again.
    expect((await signInWithAuthenticator(server.url, server.newClient(), { username: "root", password: PASSWORD })).status).toBe("signed_in");
  });

  it("never stores or logs a device token", async () => {
    const dump = await dumpDatabase(db);
    const logs = server.logs.join("\n");
    expect(handedOut.length).toBeGreaterThan(4);
    for (const token of handedOut) {
      expect(dump).not.toContain(token);
      expect(logs).not.toContain(token);
    }
    expect(dump).toContain(hashDeviceToken(handedOut[0]!)); // the hash is what is kept
  });
});
