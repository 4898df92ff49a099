// A passkey or security key as the second factor, over real HTTP on both databases, answered by a
// software authenticator: after the password, a sign-in offers "passkey" and its options name the
// user's own keys, bound to that sign-in; re-authentication takes one the same way. A replayed,
// cross-origin, another sign-in's or session's, counter-going-back answer is refused, audited,
// and starts no session. Removing a passkey or changing the password ends the user's other
// sessions (browsers and CLI tokens), audited, and the user is told by mail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const ORIGIN = "https://vault.example.test";
const RP_ID = "vault.example.test";

describe.each(databaseKinds)("a passkey as the second factor on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let mail: SmtpReceiver;
  const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
  let passkeyId = "";

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    mail = await startSmtpReceiver();
    server = await startTestApp(db, { env: { WATCHWORD_PUBLIC_URL: ORIGIN, WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${mail.port}`, WATCHWORD_SMTP_FROM: "watchword@example.com" } });
    const { id } = await insertNewUser(server.vault.store.users, { username: "mara", role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    await server.vault.store.users.updateUser(id, { email: "mara@example.com" }, Date.now());
    const browser = server.newClient();
    await browser.signIn({ username: "mara", password: PASSWORD });
    const { options } = await browser.passkeyRegistrationOptions();
    passkeyId = (await browser.registerPasskey({ name: "YubiKey", credential: authenticator.register(options as never) })).id;
  });
  afterAll(async () => {
    await server?.close();
    await mail?.close();
    await db?.drop();
  });

  const headSeq = async () => (await server.vault.store.auditEvents.readAuditChainState()).head.seq;
  async function eventsOf(act: () => Promise<unknown>): Promise<StoredAuditEvent[]> {
    const before = await headSeq();
    await act();
    return server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 1000 });
  }
  const clearFailures = async () => {
    // Both throttles (sign-in and second step), so that the growing delays do not hide the reasons.
    const maraId = (await server.vault.store.users.findUserByUsername("mara"))!.id;
    for (const [kind, key] of [["account", "mara"], ["ip", "127.0.0.1"], ["second-factor-account", maraId], ["second-factor-ip", "127.0.0.1"]] as const) await server.vault.store.signInFailures.clearFailures(kind, key);
  };
  /** A browser whose password step asked for a second factor. */
  async function pendingSignIn(): Promise<WatchwordClient & { jar: { cookies: Map<string, string> } }> {
    const browser = server.newClient();
    const first = await browser.startSignIn({ username: "mara", password: PASSWORD });
    expect(first).toMatchObject({ status: "mfa_required", challenge: { methods: ["passkey"] } });
    return browser;
  }
  const sessionCount = async () => (await server.vault.store.sessions.listSessionsOfUser((await server.vault.store.users.findUserByUsername("mara"))!.id)).length;

  it("asks for the passkey after the password, offers only the user's keys, and signs in with it, audited", async () => {
    const browser = await pendingSignIn();
    const { options } = await browser.secondFactorPasskeyOptions();
    expect(options).toMatchObject({ rpId: RP_ID, allowCredentials: [{ id: authenticator.credentials[0]!.id.toString("base64url") }] });
    const events = await eventsOf(async () => {
      const reply = await browser.finishSignIn({ method: "passkey", credential: authenticator.assert(options as never) as never });
      expect(reply).toMatchObject({ status: "signed_in", session: { user: { username: "mara" } } });
    });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["user.passkey_used", "success"],
      ["user.signed_in", "success"],
    ]);
    expect(JSON.parse(String(events[1]!.details))).toMatchObject({ secondFactor: "passkey", factorId: passkeyId });
    expect((await browser.getSession()).user.username).toBe("mara");
    // Her only second factor is the passkey: two-step verification is on all the same (no app listed).
    expect(await browser.listFactors()).toEqual({ factors: [], methods: ["passkey"] });
    // Without a pending sign-in there are no options.
    expect((await rejection(server.newClient().secondFactorPasskeyOptions())).key).toBe("sign_in_challenge_invalid");
  });

  it("refuses a replayed, cross-origin, another sign-in's and counter-going-back answer: audited, no session started", async () => {
    await clearFailures();
    const refusedWith = async (attempt: () => Promise<unknown>, key: string, reason: string) => {
      const before = await sessionCount();
      const events = await eventsOf(async () => expect((await rejection(attempt())).key).toBe(key));
      expect(events.map((e) => [e.action, e.outcome, e.reason]).filter(([action]) => action !== "user.second_factor_throttled")).toEqual([
        ["user.passkey_used", "failure", reason],
        ["user.second_factor_failed", "failure", "wrong_code"],
      ]);
      expect(await sessionCount()).toBe(before);
      await clearFailures();
    };

    // Replayed: the answer that signed one browser in, sent again by another pending sign-in.
    const first = await pendingSignIn();
    const answer = authenticator.assert((await first.secondFactorPasskeyOptions()).options as never);
    await first.finishSignIn({ method: "passkey", credential: answer as never });
    const replayer = await pendingSignIn();
    await replayer.secondFactorPasskeyOptions();
    await refusedWith(() => replayer.finishSignIn({ method: "passkey", credential: answer as never }), "passkey_challenge_invalid", "challenge_invalid");

    // Another sign-in's challenge: options asked by the victim's sign-in, answered in the attacker's.
    const victim = await pendingSignIn();
    const victimOptions = (await victim.secondFactorPasskeyOptions()).options;
    const attacker = await pendingSignIn();
    await attacker.secondFactorPasskeyOptions();
    await refusedWith(() => attacker.finishSignIn({ method: "passkey", credential: authenticator.assert(victimOptions as never) as never }), "passkey_challenge_invalid", "challenge_invalid");
    // A passkey-only sign-in's challenge does not answer a second step either.
    const alone = server.newClient();
    const aloneOptions = (await alone.passkeySignInOptions()).options;
    const mixed = await pendingSignIn();
    await refusedWith(() => mixed.finishSignIn({ method: "passkey", credential: authenticator.assert(aloneOptions as never) as never }), "passkey_challenge_invalid", "challenge_invalid");

    const phished = await pendingSignIn();
    const phishedOptions = (await phished.secondFactorPasskeyOptions()).options;
    await refusedWith(() => phished.finishSignIn({ method: "passkey", credential: authenticator.assert(phishedOptions as never, undefined, { origin: "https://vault.example.test.evil.example" }) as never }), "passkey_sign_in_failed", "wrong_origin");

    const stored = await server.vault.store.passkeys.listPasskeysOfUser((await server.vault.store.users.findUserByUsername("mara"))!.id);
    const back = await pendingSignIn();
    const backOptions = (await back.secondFactorPasskeyOptions()).options;
    await refusedWith(() => back.finishSignIn({ method: "passkey", credential: authenticator.assert(backOptions as never, undefined, { counter: stored[0]!.counter - 1 }) as never }), "passkey_counter_went_back", "counter_went_back");

    // Malformed: refused before an attempt is counted.
    const malformed = await pendingSignIn();
    expect((await rejection(malformed.finishSignIn({ method: "passkey" }))).key).toBe("passkey_response_invalid");
    expect((await rejection(malformed.finishSignIn({ method: "passkey", credential: { id: "x" } as never }))).status).toBe(400);
  });

  it("re-authenticates with the password and a passkey, the challenge bound to this session", async () => {
    await clearFailures();
    const browser = server.newClient();
    const pending = await browser.startSignIn({ username: "mara", password: PASSWORD });
    expect(pending.status).toBe("mfa_required");
    const { options } = await browser.secondFactorPasskeyOptions();
    await browser.finishSignIn({ method: "passkey", credential: authenticator.assert(options as never) as never });
    expect((await rejection(browser.reauthenticate({ password: PASSWORD }))).key).toBe("second_factor_required");

    const other = server.newClient();
    await other.startSignIn({ username: "mara", password: PASSWORD });
    await other.finishSignIn({ method: "passkey", credential: authenticator.assert((await other.secondFactorPasskeyOptions()).options as never) as never });
    const othersOptions = (await other.reauthenticationPasskeyOptions()).options;
    const stolen = await rejection(browser.reauthenticate({ password: PASSWORD, method: "passkey", credential: authenticator.assert(othersOptions as never) as never }));
    expect(stolen.key).toBe("passkey_challenge_invalid");
    await clearFailures();

    const mine = (await browser.reauthenticationPasskeyOptions()).options;
    const sudo = await browser.reauthenticate({ password: PASSWORD, method: "passkey", credential: authenticator.assert(mine as never) as never });
    expect(Date.parse(sudo.reauthenticatedUntil)).toBeGreaterThan(Date.now());
    // Replayed: the options' challenge was used.
    expect((await rejection(browser.reauthenticate({ password: PASSWORD, method: "passkey", credential: authenticator.assert(mine as never) as never }))).key).toBe("passkey_challenge_invalid");
    await clearFailures();
  });

  it("steps up for an entry that asks for it with a passkey alone: another session's challenge refused, the code given after, audited", async () => {
    await clearFailures();
    const browser = server.newClient();
    await browser.startSignIn({ username: "mara", password: PASSWORD });
    await browser.finishSignIn({ method: "passkey", credential: authenticator.assert((await browser.secondFactorPasskeyOptions()).options as never) as never });
    const { entry } = await browser.createEntry({ name: "Registrar", seed: { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } });
    await browser.setEntryPolicy(entry.id, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    expect((await rejection(browser.getCode(entry.id))).key).toBe("step_up_required");

    const other = server.newClient();
    await other.startSignIn({ username: "mara", password: PASSWORD });
    await other.finishSignIn({ method: "passkey", credential: authenticator.assert((await other.secondFactorPasskeyOptions()).options as never) as never });
    const stolen = authenticator.assert((await other.reauthenticationPasskeyOptions()).options as never);
    expect((await rejection(browser.stepUp(entry.id, { method: "passkey", credential: stolen as never }))).key).toBe("passkey_challenge_invalid");
    expect((await rejection(browser.getCode(entry.id))).key).toBe("step_up_required");
    await clearFailures();

    const events = await eventsOf(async () => {
      const answer = authenticator.assert((await browser.reauthenticationPasskeyOptions()).options as never);
      const passed = await browser.stepUp(entry.id, { method: "passkey", credential: answer as never });
      expect(passed.scope).toBe("entry");
      expect((await browser.getCode(entry.id)).code).toMatch(/^\d{6}$/);
    });
    const passed = events.find((event) => event.action === "user.step_up_passed");
    expect(JSON.parse(String(passed?.details))).toMatchObject({ method: "passkey", factorId: passkeyId });
  });

  it("ends the other sessions and CLI tokens when a passkey is removed or the password changes, audited, the user told by mail", async () => {
    await clearFailures();
    const signedIn = async (client: "browser" | "cli") => {
      const c = server.newClient();
      const first = await c.startSignIn({ username: "mara", password: PASSWORD, client });
      const token = first.status === "mfa_required" ? first.challengeToken : undefined;
      const { options } = await c.secondFactorPasskeyOptions(client === "cli" ? { client, challengeToken: token! } : {});
      const done = await c.finishSignIn({ method: "passkey", credential: authenticator.assert(options as never) as never, client, ...(token === undefined ? {} : { challengeToken: token }) });
      return client === "cli" ? server.newClient({ token: done.token! }) : c;
    };
    const here = await signedIn("browser");
    const laptop = await signedIn("browser");
    const cli = await signedIn("cli");
    mail.inbox.length = 0;

    // The password change ends the two others; this browser carries on under a new id.
    const changed = await eventsOf(() => here.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }));
    const event = changed.find((e) => e.action === "user.password_changed")!;
    expect(JSON.parse(String(event.details))).toMatchObject({ endedSessions: expect.any(Number) as number });
    expect(JSON.parse(String(event.details)).endedSessions).toBeGreaterThanOrEqual(2);
    expect((await rejection(laptop.getSession())).status).toBe(401);
    expect((await rejection(cli.listPasskeys())).status).toBe(401);
    expect((await here.getSession()).user.username).toBe("mara");
    await expect.poll(() => mail.inbox.length, { timeout: 10_000 }).toBe(1);
    expect(mail.inbox[0]).toMatchObject({ to: ["mara@example.com"], subject: "Security change on your Watchword account" });
    expect(mail.inbox[0]!.text).toContain("Your password was changed");
    expect(mail.inbox[0]!.text).not.toContain(PASSWORD);

    // Removing the passkey does the same.
    const phone = await signedIn("browser");
    const removed = await eventsOf(() => here.removePasskey(passkeyId));
    expect(removed.map((e) => e.action)).toEqual(["user.passkey_removed"]);
    expect(JSON.parse(String(removed[0]!.details))).toMatchObject({ passkeyId, endedSessions: 1 });
    expect((await rejection(phone.getSession())).status).toBe(401);
    expect((await here.listPasskeys()).passkeys).toEqual([]);
    await expect.poll(() => mail.inbox.length, { timeout: 10_000 }).toBe(2);
    expect(mail.inbox[1]!.text).toContain("A passkey or security key was removed from your Watchword account \"mara\"");
    expect(mail.inbox[1]!.text).toContain("Your other session was signed out.");
    // The password alone signs in again.
    expect((await server.newClient().startSignIn({ username: "mara", password: PASSWORD })).status).toBe("signed_in");
  });
});
