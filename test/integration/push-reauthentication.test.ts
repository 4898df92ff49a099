// Push approval as the second factor of re-authentication (sudo mode), on both databases: the
// approving device is told it is a confirmation, not a sign-in (the request's purpose, in the app
// and in the Web Push payload); the browser that asked cannot approve its own request (its
// session made it), nor sees it; and the limit of 3 requests in 10 minutes counts only requests
// that were not approved, so a person who confirms three changes in a row is not locked out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { pushMessageOf, viewOfRequest } from "../../src/services/push-approvals.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SUDO_WINDOW_PASSED = 11 * 60 * 1000;

describe.each(databaseKinds)("push approval for re-authentication, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  /** mia's two registered browsers. */
  let phone: WatchwordClient;
  let laptop: WatchwordClient;

  const events = async (action: string) => (await server.vault.store.auditEvents.listAuditEvents({ afterSeq: 0, limit: 10_000 })).filter((e) => e.action === action);
  const onlyRequestOn = async (device: WatchwordClient) => {
    const { requests } = await device.listPushRequests();
    expect(requests).toHaveLength(1);
    return requests[0]!;
  };
  /** A re-authentication of the laptop by push, approved on the phone and used: sudo mode. */
  async function confirmOnPhone() {
    const sent = await laptop.requestReauthenticationPush({ password: PASSWORD });
    await phone.decidePushRequest((await onlyRequestOn(phone)).id, { number: sent.number });
    await laptop.reauthenticate({ password: PASSWORD, method: "push" });
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    await insertNewUser(server.vault.store.users, { username: "mia", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    // The phone signs in (sudo mode for a fresh sign-in) and registers.
    phone = server.newClient();
    expect((await phone.startSignIn({ username: "mia", password: PASSWORD })).status).toBe("signed_in");
    await phone.registerPushDevice({ name: "Phone" });
    // The laptop signs in with push, approved on the phone, and registers too.
    laptop = server.newClient({ headers: { "user-agent": FIREFOX_ON_WINDOWS } });
    expect((await laptop.startSignIn({ username: "mia", password: PASSWORD })).status).toBe("mfa_required");
    const signIn = await laptop.requestPushApproval();
    await phone.decidePushRequest((await onlyRequestOn(phone)).id, { number: signIn.number });
    expect((await laptop.finishSignIn({ method: "push" })).status).toBe("signed_in");
    await laptop.registerPushDevice({ name: "Laptop" });
    clock.advance(SUDO_WINDOW_PASSED);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("tells the approving device that a request is a confirmation, not a sign-in, in the app and in the Web Push payload", async () => {
    const pendingSignIn = server.newClient();
    await pendingSignIn.startSignIn({ username: "mia", password: PASSWORD });
    await pendingSignIn.requestPushApproval();
    expect((await onlyRequestOn(phone)).purpose).toBe("sign_in");
    clock.advance(2 * 60 * 1000); // that sign-in's request expires

    await laptop.requestReauthenticationPush({ password: PASSWORD });
    const seen = await onlyRequestOn(phone);
    expect(seen).toMatchObject({ purpose: "reauthentication", username: "mia", browser: "Firefox", system: "Windows" });
    const record = (await server.vault.store.pushApprovals.findRequest(seen.id))!;
    expect(pushMessageOf(viewOfRequest(record, "mia"))).toMatchObject({ kind: "push_request", purpose: "reauthentication", requestId: seen.id });
    await phone.decidePushRequest(seen.id, { deny: true });
  });

  it("does not let the browser that asked approve its own re-authentication, nor show it the request", async () => {
    clock.advance(10 * 60 * 1000); // a new 10-minute window
    const sent = await laptop.requestReauthenticationPush({ password: PASSWORD });
    const seen = await onlyRequestOn(phone);
    // The laptop is a registered device, but the request is its own session's: not shown there.
    expect((await laptop.listPushRequests()).requests).toEqual([]);
    const refused = await rejection(laptop.decidePushRequest(seen.id, { number: sent.number }));
    expect([refused.status, refused.key]).toEqual([403, "push_request_own_session"]);
    // Nothing changed: still waiting for another device, and not usable.
    expect((await laptop.reauthenticationPushStatus()).status).toBe("pending");
    expect((await rejection(laptop.reauthenticate({ password: PASSWORD, method: "push" }))).key).toBe("push_not_approved");
    expect((await server.vault.store.pushApprovals.findRequest(seen.id))).toMatchObject({ status: "pending", decidedByDevice: null });
    expect((await events("user.push_approved")).filter((e) => String(e.details).includes(seen.id)).map((e) => [e.outcome, e.reason])).toEqual([["denied", "own_session"]]);
    // A denial from there is refused the same way: it cannot end its own request either.
    expect((await rejection(laptop.decidePushRequest(seen.id, { deny: true }))).key).toBe("push_request_own_session");
    // The phone approves it, and then it works.
    await phone.decidePushRequest(seen.id, { number: sent.number });
    await laptop.reauthenticate({ password: PASSWORD, method: "push" });
  });

  it("refuses to send a re-authentication request when the browser asking is the only device that could answer it", async () => {
    // The phone goes (the laptop is in sudo mode from the test above): the laptop is the only device left.
    const phoneDevice = (await laptop.listPushDevices()).devices.find((d) => !d.isThisDevice)!;
    await laptop.removePushDevice(phoneDevice.id);
    clock.advance(SUDO_WINDOW_PASSED);
    const before = (await events("user.push_requested")).length;
    const refused = await rejection(laptop.requestReauthenticationPush({ password: PASSWORD }));
    expect([refused.status, refused.key]).toEqual([400, "push_no_other_device"]);
    expect((await events("user.push_requested")).length).toBe(before);
    // Another browser (the phone, now without a device) may still ask: the laptop answers it, and the phone registers again.
    const sent = await phone.requestReauthenticationPush({ password: PASSWORD });
    await laptop.decidePushRequest((await onlyRequestOn(laptop)).id, { number: sent.number });
    await phone.reauthenticate({ password: PASSWORD, method: "push" });
    await phone.registerPushDevice({ name: "Phone" });
    expect((await phone.listPushDevices()).devices).toHaveLength(2);
  });

  it("does not count approved requests against the limit of 3 in 10 minutes: four confirmations in a row, by a browser and by the CLI", async () => {
    clock.advance(10 * 60 * 1000);
    // A bearer-token session (the CLI) keeps its id when it re-authenticates, so its requests add up in one window.
    const cli = server.newClient();
    const started = await cli.startSignIn({ username: "mia", password: PASSWORD, client: "cli" });
    if (started.status !== "mfa_required") throw new Error("expected a challenge");
    const challengeToken = started.challengeToken!;
    const signIn = await cli.requestPushApproval({ client: "cli", challengeToken });
    await phone.decidePushRequest((await onlyRequestOn(phone)).id, { number: signIn.number });
    const terminal = server.newClient({ token: (await cli.finishSignIn({ method: "push", client: "cli", challengeToken })).token! });
    for (const session of [terminal, laptop]) {
      for (let i = 0; i < 4; i += 1) {
        clock.advance(30 * 1000); // four within one 10-minute window
        const sent = await session.requestReauthenticationPush({ password: PASSWORD });
        await phone.decidePushRequest((await onlyRequestOn(phone)).id, { number: sent.number });
        await session.reauthenticate({ password: PASSWORD, method: "push" });
      }
    }
    expect((await events("user.push_requested")).filter((e) => e.reason === "too_many_requests")).toEqual([]);
  });

  it("counts requests that were not approved (replaced, denied, left waiting): a fourth in 10 minutes is refused, until the window passes", async () => {
    clock.advance(10 * 60 * 1000);
    await laptop.requestReauthenticationPush({ password: PASSWORD }); // replaced by the next one: expired
    await laptop.requestReauthenticationPush({ password: PASSWORD }); // denied
    await phone.decidePushRequest((await onlyRequestOn(phone)).id, { deny: true });
    clock.advance(60 * 1000);
    const waiting = await laptop.requestReauthenticationPush({ password: PASSWORD }); // left waiting
    const refused = await rejection(laptop.requestReauthenticationPush({ password: PASSWORD }));
    expect([refused.status, refused.key]).toEqual([429, "push_reauthentication_requests_exhausted"]);
    expect((await events("user.push_requested")).filter((e) => e.reason === "too_many_requests")).toHaveLength(1);
    // The refused one sent nothing: the one waiting is still the one to answer.
    expect((await onlyRequestOn(phone)).choices).toContain(waiting.number);
    clock.advance(10 * 60 * 1000);
    await confirmOnPhone();
  });
});
