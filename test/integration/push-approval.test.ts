// Push approval of sign-ins, on both databases: a browser registers (in sudo mode), a pending
// sign-in sends a request and shows a number, the registered browser taps it or denies; and every
// way it must refuse: a wrong number, a denial, expiry (ManualClock), reuse, a request of another
// sign-in, too many requests, an unregistered browser, an eleventh browser. Each step is audited
// and nothing else changes.
import { createECDH, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { MAX_PUSH_DEVICES } from "../../src/services/push-approvals.js";
import { VAPID_KEY_BINDING } from "../../src/services/vapid-keys.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { isPushService } from "../../src/server/routes/push-approval.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const CHROME_ON_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

describe.each(databaseKinds)("push approval of sign-ins, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  let phone: WatchwordClient;
  /** mia's second session (a bearer token), which re-authenticates by push below. */
  let laptop: WatchwordClient;

  /** A CLI sign-in of mia waiting for its second step. */
  async function pendingSignIn(headers: Record<string, string> = {}) {
    const client = server.newClient({ headers });
    const first = await client.startSignIn({ username: "mia", password: PASSWORD, client: "cli" });
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    const challengeToken = first.challengeToken!;
    return {
      client,
      methods: first.challenge.methods,
      request: () => client.requestPushApproval({ client: "cli", challengeToken }),
      status: () => client.pushApprovalStatus({ client: "cli", challengeToken }),
      finish: () => client.finishSignIn({ method: "push", challengeToken, client: "cli" }),
    };
  }
  const events = async (action: string) => (await server.vault.store.auditEvents.listAuditEvents({ afterSeq: 0, limit: 10_000 })).filter((e) => e.action === action);
  const onlyRequest = async () => {
    const { requests } = await phone.listPushRequests();
    expect(requests).toHaveLength(1);
    return requests[0]!;
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    for (const username of ["mia", "noa"]) await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    phone = server.newClient({ headers: { "user-agent": CHROME_ON_ANDROID } });
    expect((await phone.startSignIn({ username: "mia", password: PASSWORD })).status).toBe("signed_in");
    clock.advance(11 * 60 * 1000); // past the sudo window a fresh sign-in opens
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("registers a browser only in sudo mode, named after its browser, and then asks sign-ins for push", async () => {
    expect((await rejection(phone.registerPushDevice({}))).key).toBe("reauthentication_required");
    expect((await rejection(phone.listPushRequests())).key).toBe("push_device_not_registered");
    await phone.reauthenticate({ password: PASSWORD });
    const device = await phone.registerPushDevice({});
    expect(device).toMatchObject({ name: "Chrome · Android", hasWebPush: false, isThisDevice: true, lastUsedAt: null });
    const list = await phone.listPushDevices();
    expect(list.devices.map((d) => d.id)).toEqual([device.id]);
    expect(list.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{86,88}$/);
    expect((await phone.listPushDevices()).vapidPublicKey).toBe(list.vapidPublicKey);
    // Registering the same browser again renames it, and adds no second device.
    expect((await phone.registerPushDevice({ name: "Pixel" })).id).toBe(device.id);
    expect((await phone.listPushDevices()).devices.map((d) => d.name)).toEqual(["Pixel"]);
    expect((await pendingSignIn()).methods).toEqual(["push"]);
    expect((await events("user.push_device_registered")).length).toBe(2);
    // A push device alone turns two-step verification on, as sign-in counts it.
    expect(await phone.listFactors()).toEqual({ factors: [], methods: ["push"] });
  });

  it("never calls a subscription endpoint outside the browsers' push services", async () => {
    // Still in the sudo mode the test above entered (the clock has not moved).
    const keys = { p256dh: createECDH("prime256v1").generateKeys().toString("base64url"), auth: randomBytes(16).toString("base64url") };
    const before = await phone.listPushDevices();
    for (const endpoint of ["https://169.254.169.254/latest/meta-data", "https://10.0.0.5/push", "https://fcm.googleapis.com.attacker.example/x", "https://intranet.example/fcm.googleapis.com", "http://fcm.googleapis.com/fcm/send/x"]) {
      expect(await rejection(phone.registerPushDevice({ subscription: { endpoint, keys } }))).toMatchObject({ status: 400, key: "push_subscription_invalid" });
    }
    expect(await phone.listPushDevices()).toEqual(before);
    for (const host of ["fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com", "wns2-par02p.notify.windows.com"]) expect(isPushService(host)).toBe(true);
    for (const host of ["googleapis.com", "evilfcm.googleapis.com.example", "push.apple.com.example", "localhost"]) expect(isPushService(host)).toBe(false);
  });

  it("approves a sign-in when the matching number is tapped, once", async () => {
    const signIn = await pendingSignIn({ "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" });
    const sent = await signIn.request();
    expect(sent.number).toBeGreaterThanOrEqual(10);
    expect(sent.number).toBeLessThanOrEqual(99);
    expect(Date.parse(sent.expiresAt) - clock.now()).toBe(2 * 60 * 1000);
    const seen = await onlyRequest();
    expect(seen).toMatchObject({ username: "mia", ip: "127.0.0.1", browser: "Firefox", system: "Windows", purpose: "sign_in" });
    expect(seen.choices).toHaveLength(3);
    expect(new Set(seen.choices).size).toBe(3);
    expect(seen.choices).toContain(sent.number);
    expect(JSON.stringify(seen)).not.toContain("ww_c_");

    expect((await signIn.status()).status).toBe("pending");
    expect((await rejection(signIn.finish())).key).toBe("push_not_approved");
    expect((await phone.decidePushRequest(seen.id, { number: sent.number })).outcome).toBe("approved");
    expect((await signIn.status()).status).toBe("approved");
    const done = await signIn.finish();
    expect(done.status).toBe("signed_in");
    expect((await server.newClient({ token: done.token! }).getSession()).user.username).toBe("mia");

    // Used once: neither the sign-in nor the answer can be replayed.
    expect((await rejection(signIn.finish())).key).toBe("sign_in_challenge_invalid");
    const again = await rejection(phone.decidePushRequest(seen.id, { number: sent.number }));
    expect([again.status, again.key]).toEqual([409, "push_request_ended"]);
    expect((await phone.listPushRequests()).requests).toEqual([]);
    const [signedIn] = (await events("user.signed_in")).slice(-1);
    expect(JSON.parse(String(signedIn?.details))).toMatchObject({ secondFactor: "push" });
    expect((await events("user.push_approved")).length).toBe(1);
    expect((await events("user.push_requested")).length).toBeGreaterThanOrEqual(1);
  });

  it("refuses the sign-in on a wrong number, and on a denial, and audits both", async () => {
    for (const answer of ["wrong", "deny"] as const) {
      const signIn = await pendingSignIn();
      const sent = await signIn.request();
      const seen = await onlyRequest();
      const wrong = seen.choices.find((n) => n !== sent.number)!;
      expect((await phone.decidePushRequest(seen.id, answer === "deny" ? { deny: true } : { number: wrong })).outcome).toBe("denied");
      expect((await signIn.status()).status).toBe("denied");
      // The sign-in ended: it must start again with the password.
      expect((await rejection(signIn.finish())).key).toBe("sign_in_challenge_invalid");
      expect((await rejection(signIn.request())).key).toBe("sign_in_challenge_invalid");
      expect((await rejection(phone.decidePushRequest(seen.id, { number: sent.number }))).key).toBe("push_request_ended");
    }
    const denied = await events("user.push_denied");
    expect(denied.map((e) => [e.outcome, e.reason])).toEqual([
      ["denied", "wrong_number"],
      ["denied", "denied"],
    ]);
  });

  it("lets a request expire after 2 minutes: no answer is taken, the sign-in may send a new one", async () => {
    const signIn = await pendingSignIn();
    const sent = await signIn.request();
    const seen = await onlyRequest();
    clock.advance(2 * 60 * 1000);
    expect((await phone.listPushRequests()).requests).toEqual([]);
    const late = await rejection(phone.decidePushRequest(seen.id, { number: sent.number }));
    expect([late.status, late.key]).toEqual([409, "push_request_expired"]);
    expect((await signIn.status()).status).toBe("expired");
    expect((await rejection(signIn.finish())).key).toBe("push_not_approved");
    expect((await events("user.push_expired")).length).toBe(1);
    // A new request replaces it, with its own number.
    const renewed = await signIn.request();
    const next = await onlyRequest();
    expect(next.id).not.toBe(seen.id);
    await phone.decidePushRequest(next.id, { number: renewed.number });
    expect((await signIn.finish()).status).toBe("signed_in");
  });

  it("binds a request to its sign-in: another sign-in cannot use an approval, nor another user answer it", async () => {
    const first = await pendingSignIn();
    const other = await pendingSignIn();
    const sent = await first.request();
    const seen = await onlyRequest();

    // noa, registered on her own browser, cannot see or answer mia's request.
    const noa = server.newClient();
    await noa.startSignIn({ username: "noa", password: PASSWORD });
    await noa.reauthenticate({ password: PASSWORD });
    await noa.registerPushDevice({});
    expect((await noa.listPushRequests()).requests).toEqual([]);
    expect((await rejection(noa.decidePushRequest(seen.id, { number: sent.number }))).key).toBe("push_request_not_found");

    await phone.decidePushRequest(seen.id, { number: sent.number });
    expect((await rejection(other.status())).key).toBe("push_request_not_found");
    expect((await rejection(other.finish())).key).toBe("push_not_approved");
    // A browser's challenge cookie cannot carry a CLI's sign-in, nor can a made-up one ask.
    expect((await rejection(server.newClient().requestPushApproval())).key).toBe("sign_in_challenge_invalid");
    expect((await rejection(server.newClient().requestPushApproval({ client: "cli", challengeToken: "ww_c_forged" }))).key).toBe("sign_in_challenge_invalid");
    expect((await first.finish()).status).toBe("signed_in");
  });

  it("sends at most 3 requests for one sign-in, and refuses malformed answers without changing anything", async () => {
    const signIn = await pendingSignIn();
    for (let i = 0; i < 3; i += 1) await signIn.request();
    const refused = await rejection(signIn.request());
    expect([refused.status, refused.key, refused.params.count]).toEqual([401, "push_requests_exhausted", 3]);
    expect((await events("user.push_requested")).some((e) => e.reason === "too_many_requests" && e.outcome === "denied")).toBe(true);

    const seen = await onlyRequest();
    for (const bad of [{ number: 100 }, { number: -1 }, { number: 4.5 }, {}, { number: "12" }, { deny: "yes" }]) {
      const answer = await rejection(phone.decidePushRequest(seen.id, bad as never));
      expect(answer.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await rejection(phone.decidePushRequest("not-a-uuid", { number: 12 }))).status).toBe(400);
    expect((await rejection(phone.decidePushRequest("00000000-0000-4000-8000-000000000000", { number: 12 }))).key).toBe("push_request_not_found");
    expect((await signIn.status()).status).toBe("pending");
    expect((await onlyRequest()).id).toBe(seen.id);
  });

  it("answers push requests racing for one sign-in without a server error: one request waits, and it finishes the sign-in", async () => {
    clock.advance(2 * 60 * 1000); // the request the test above left waiting expires
    for (let round = 0; round < 3; round += 1) {
      const signIn = await pendingSignIn();
      const raced = await Promise.allSettled(Array.from({ length: 6 }, () => signIn.request()));
      const failures = raced.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      // Six at once may pass the limit of three only as the same requests: a refusal, if any, is the catalogued one.
      for (const failure of failures) expect((await rejection(Promise.reject(failure))).key).toBe("push_requests_exhausted");
      const numbers = raced.flatMap((r) => (r.status === "fulfilled" ? [r.value.number] : []));
      expect(numbers.length).toBeGreaterThan(0);
      const seen = await onlyRequest();
      expect((await signIn.status()).status).toBe("pending");
      // The one request left waiting is one the racing callers were told about.
      const waiting = (await server.vault.store.pushApprovals.findRequest(seen.id))!;
      expect(numbers).toContain(waiting.number);
      expect((await phone.decidePushRequest(seen.id, { number: waiting.number })).outcome).toBe("approved");
      expect((await signIn.finish()).status).toBe("signed_in");
    }
  });

  it("re-authenticates (sudo mode) with push as the only second factor: password first, a request bound to the session, number matching", async () => {
    clock.advance(2 * 60 * 1000); // the racing test's requests are done with
    const signIn = await pendingSignIn({ "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" });
    const first = await signIn.request();
    await phone.decidePushRequest((await onlyRequest()).id, { number: first.number });
    laptop = server.newClient({ token: (await signIn.finish()).token!, headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" } });
    clock.advance(11 * 60 * 1000); // past the sudo window the sign-in opened
    expect((await rejection(laptop.removePushDevice((await laptop.listPushDevices()).devices[0]!.id))).key).toBe("reauthentication_required");
    expect((await rejection(laptop.reauthenticate({ password: PASSWORD }))).key).toBe("second_factor_required");

    // The password comes first: a wrong one sends nothing to the phone.
    expect((await rejection(laptop.requestReauthenticationPush({ password: "not-the-password" }))).key).toBe("current_password_wrong");
    expect((await phone.listPushRequests()).requests).toEqual([]);
    expect((await rejection(laptop.reauthenticationPushStatus())).key).toBe("push_request_not_found");

    const sent = await laptop.requestReauthenticationPush({ password: PASSWORD });
    const seen = await onlyRequest();
    expect(seen).toMatchObject({ username: "mia", browser: "Firefox", system: "Windows", purpose: "reauthentication" });
    expect(seen.choices).toContain(sent.number);
    expect((await laptop.reauthenticationPushStatus()).status).toBe("pending");
    expect((await rejection(laptop.reauthenticate({ password: PASSWORD, method: "push" }))).key).toBe("push_not_approved");
    // Another session of mia's cannot use it, nor see it.
    const other = await pendingSignIn();
    const otherRequest = await other.request();
    await phone.decidePushRequest((await phone.listPushRequests()).requests.find((r) => r.id !== seen.id)!.id, { number: otherRequest.number });
    const otherSession = server.newClient({ token: (await other.finish()).token! });
    expect((await rejection(otherSession.reauthenticationPushStatus())).key).toBe("push_request_not_found");

    expect((await phone.decidePushRequest(seen.id, { number: sent.number })).outcome).toBe("approved");
    expect((await rejection(otherSession.reauthenticate({ password: PASSWORD, method: "push" }))).key).toBe("push_not_approved");
    expect((await laptop.reauthenticationPushStatus()).status).toBe("approved");
    // The right password too, then sudo mode: the change goes through.
    expect((await rejection(laptop.reauthenticate({ password: "not-the-password", method: "push" }))).key).toBe("current_password_wrong");
    await laptop.reauthenticate({ password: PASSWORD, method: "push" });
    // Sudo mode passed: registering is refused now only because a bearer token has no device cookie.
    expect((await rejection(laptop.registerPushDevice({ name: "Laptop" }))).key).toBe("push_device_token_missing");
    // Used once.
    expect((await rejection(laptop.reauthenticate({ password: PASSWORD, method: "push" }))).key).toBe("push_not_approved");
    const [reauthenticated] = (await events("user.reauthenticated")).filter((e) => e.outcome === "success").slice(-1);
    expect(JSON.parse(String(reauthenticated?.details))).toMatchObject({ secondFactor: "push" });
    expect((await events("user.push_requested")).filter((e) => String(e.details).includes("reauthentication"))).toHaveLength(1);

    // At most 3 requests not approved in 10 minutes (the one used above does not count); a denial refuses that one only.
    for (let i = 0; i < 3; i += 1) await laptop.requestReauthenticationPush({ password: PASSWORD });
    const refused = await rejection(laptop.requestReauthenticationPush({ password: PASSWORD }));
    expect([refused.status, refused.key]).toEqual([429, "push_reauthentication_requests_exhausted"]);
    await phone.decidePushRequest((await onlyRequest()).id, { deny: true });
    expect((await laptop.reauthenticationPushStatus()).status).toBe("denied");
    expect((await laptop.getSession()).user.username).toBe("mia");

    // The phone, whose sudo window passed too, cannot confirm on itself: it is the only device.
    expect((await rejection(phone.requestReauthenticationPush({ password: PASSWORD }))).key).toBe("push_no_other_device");
  });

  it("removes a device in sudo mode, after which sign-in no longer offers push", async () => {
    // The laptop is in the sudo mode its push re-authentication opened above.
    const [device] = (await phone.listPushDevices()).devices;
    await laptop.removePushDevice(device!.id);
    expect((await rejection(laptop.removePushDevice(device!.id))).key).toBe("push_device_not_found");
    const first = await server.newClient().startSignIn({ username: "mia", password: PASSWORD, client: "cli" });
    expect(first.status).toBe("signed_in");
    expect((await events("user.push_device_removed")).length).toBe(1);
  });

  it(`refuses an eleventh browser with a 409 that names the limit of ${MAX_PUSH_DEVICES}, and changes nothing`, async () => {
    await insertNewUser(server.vault.store.users, { username: "eli", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const first = server.newClient();
    expect((await first.startSignIn({ username: "eli", password: PASSWORD })).status).toBe("signed_in");
    await first.registerPushDevice({ name: "First" });
    const eli = (await server.vault.store.users.findUserByUsername("eli"))!;
    for (let n = 2; n < MAX_PUSH_DEVICES; n += 1) {
      await server.vault.store.pushApprovals.upsertDevice({ id: randomUUID(), userId: eli.id, deviceTokenHash: `other-browser-${n}`, name: `Browser ${n}`, subscription: null, createdAt: clock.now() }, MAX_PUSH_DEVICES);
    }
    /** A new browser of eli's, signed in by push approved on the first (a fresh sign-in: sudo mode). */
    const newBrowser = async () => {
      const browser = server.newClient();
      expect((await browser.startSignIn({ username: "eli", password: PASSWORD })).status).toBe("mfa_required");
      const { number } = await browser.requestPushApproval();
      const { requests } = await first.listPushRequests();
      await first.decidePushRequest(requests[0]!.id, { number });
      await browser.finishSignIn({ method: "push" });
      return browser;
    };
    const tenth = await newBrowser();
    await tenth.registerPushDevice({ name: "Tenth" });
    expect((await first.listPushDevices()).devices).toHaveLength(MAX_PUSH_DEVICES);

    const eleventh = await newBrowser();
    const registered = (await events("user.push_device_registered")).length;
    const before = await dumpEveryTable(db);
    const refused = await rejection(eleventh.registerPushDevice({ name: "Eleventh" }));
    expect(refused).toMatchObject({ status: 409, key: "push_devices_too_many", params: { count: MAX_PUSH_DEVICES } });
    expect(await dumpEveryTable(db)).toBe(before);
    expect((await events("user.push_device_registered")).length).toBe(registered);
    // A browser registered before is still renamed at the limit.
    expect((await tenth.registerPushDevice({ name: "Tenth, renamed" })).name).toBe("Tenth, renamed");
  });

  it("keeps the VAPID private key sealed: never in a table, a reply or a log", async () => {
    const record = await server.vault.store.pushApprovals.readVapidKey();
    const privateKey = server.vault.keyring.open(record!.privateKeySealed, VAPID_KEY_BINDING).revealUtf8();
    expect(privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await dumpEveryTable(db)).not.toContain(privateKey);
    expect(server.logs.join("")).not.toContain(privateKey);
    expect(record!.privateKeySealed.toString("latin1")).not.toContain(privateKey);
    expect(Buffer.from(record!.privateKeySealed).includes(Buffer.from(privateKey, "base64url"))).toBe(false);
  });
});
