// A passkey instead of the password in sudo mode, over real HTTP on both databases, answered by a
// software authenticator: a key that verified the person is both factors (as at passkey sign-in);
// one that did not needs an app's code beside it, asked for before its challenge is used. Another
// session's challenge, a replay, a second-factor challenge, a malformed answer, another origin and
// a counter going back are refused, audited, counted, and open nothing.
import { Secret as OtpSecret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "saffron-meadow-quartz-5582";
const ORIGIN = "https://vault.example.test";
const RP_ID = "vault.example.test";
const PAST_SUDO_MS = 11 * 60_000;

describe.each(databaseKinds)("re-authentication with a passkey instead of the password on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 6, 1, 9, 0, 5));
  const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
  let passkeyId = "";
  let totpKey = "";
  const code = () => new TOTP({ secret: OtpSecret.fromBase32(totpKey) }).generate({ timestamp: clock.now() });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock, env: { WATCHWORD_PUBLIC_URL: ORIGIN } });
    await insertNewUser(server.vault.store.users, { username: "ines", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const browser = server.newClient();
    await browser.signIn({ username: "ines", password: PASSWORD });
    const { options } = await browser.passkeyRegistrationOptions();
    passkeyId = (await browser.registerPasskey({ name: "Laptop", credential: authenticator.register(options as never) })).id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const headSeq = async () => (await server.vault.store.auditEvents.readAuditChainState()).head.seq;
  async function eventsOf(act: () => Promise<unknown>): Promise<StoredAuditEvent[]> {
    const before = await headSeq();
    await act();
    return server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 1000 });
  }
  const clearFailures = async () => {
    const id = (await server.vault.store.users.findUserByUsername("ines"))!.id;
    for (const [k, key] of [["account", "ines"], ["ip", "127.0.0.1"], ["second-factor-account", id], ["second-factor-ip", "127.0.0.1"]] as const) await server.vault.store.signInFailures.clearFailures(k, key);
  };
  /** A browser signed in (password, then the passkey) whose sudo window has since closed. */
  async function signedInBrowser(): Promise<WatchwordClient> {
    await clearFailures();
    const browser = server.newClient();
    await browser.startSignIn({ username: "ines", password: PASSWORD });
    await browser.finishSignIn({ method: "passkey", credential: authenticator.assert((await browser.secondFactorPasskeyOptions()).options as never) as never });
    clock.advance(PAST_SUDO_MS);
    return browser;
  }
  /** Whether the session may make a sensitive change now (registering a passkey needs sudo mode). */
  const isSudoOpen = async (browser: WatchwordClient) => {
    try {
      await browser.passkeyRegistrationOptions();
      return true;
    } catch (error) {
      if ((error as { key?: string }).key === "reauthentication_required") return false;
      throw error;
    }
  };

  it("takes a passkey that verified the person alone, its challenge bound to this session, audited", async () => {
    const browser = await signedInBrowser();
    expect(await isSudoOpen(browser)).toBe(false);
    const { options } = await browser.passkeyReauthenticationOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: "preferred", allowCredentials: [{ id: authenticator.credentials[0]!.id.toString("base64url") }] });
    const events = await eventsOf(async () => {
      const sudo = await browser.reauthenticateWithPasskey({ credential: authenticator.assert(options as never) as never });
      expect(sudo.reauthenticatedUntil).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
    });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["user.passkey_used", "success"],
      ["user.reauthenticated", "success"],
    ]);
    expect(JSON.parse(String(events[1]!.details))).toEqual({ firstFactor: "passkey", passkeyId, isUserVerified: true, secondFactor: "passkey" });
    expect(await isSudoOpen(browser)).toBe(true);
  });

  it("refuses another session's challenge, a replay, a second-factor challenge, a malformed answer, another origin and a counter going back", async () => {
    const browser = await signedInBrowser();
    const other = server.newClient();
    await other.startSignIn({ username: "ines", password: PASSWORD });
    await other.finishSignIn({ method: "passkey", credential: authenticator.assert((await other.secondFactorPasskeyOptions()).options as never) as never });
    const refusals: [string, number, string][] = [];
    const attempt = async (what: string, credential: unknown) => {
      const refused = await rejection(browser.reauthenticateWithPasskey({ credential: credential as never }));
      refusals.push([what, refused.status, refused.key ?? ""]);
      await clearFailures();
    };
    const events = await eventsOf(async () => {
      await attempt("another session's", authenticator.assert((await other.passkeyReauthenticationOptions()).options as never));
      await attempt("wrong origin", authenticator.assert((await browser.passkeyReauthenticationOptions()).options as never, undefined, { origin: "https://evil.example.test" }));
      await attempt("a second-factor challenge", authenticator.assert((await browser.reauthenticationPasskeyOptions()).options as never));
      const credential = authenticator.credentials[0]!;
      await attempt("counter went back", authenticator.assert((await browser.passkeyReauthenticationOptions()).options as never, credential, { counter: 1 }));
    });
    expect(refusals).toEqual([
      ["another session's", 400, "passkey_challenge_invalid"],
      ["wrong origin", 401, "passkey_sign_in_failed"],
      ["a second-factor challenge", 400, "passkey_challenge_invalid"],
      ["counter went back", 401, "passkey_counter_went_back"],
    ]);
    const reasons = events.filter((e) => e.action === "user.passkey_used").map((e) => [e.outcome, e.reason]);
    expect(reasons).toEqual([
      ["failure", "challenge_invalid"],
      ["failure", "wrong_origin"],
      ["failure", "challenge_invalid"],
      ["failure", "counter_went_back"],
    ]);
    expect(events.filter((e) => e.action === "user.reauthenticated").map((e) => [e.outcome, e.reason])).toEqual(Array(4).fill(["failure", "passkey_refused"]));
    expect(await isSudoOpen(browser)).toBe(false);

    // A replay proper: the same answer twice once it was accepted.
    const answer = authenticator.assert((await browser.passkeyReauthenticationOptions()).options as never);
    await browser.reauthenticateWithPasskey({ credential: answer as never });
    expect((await rejection(browser.reauthenticateWithPasskey({ credential: answer as never }))).key).toBe("passkey_challenge_invalid");
    await clearFailures();

    // Malformed: refused by shape (400) before anything is counted or audited.
    clock.advance(PAST_SUDO_MS);
    const shaped = authenticator.assert((await browser.passkeyReauthenticationOptions()).options as never);
    const malformed = await eventsOf(async () => {
      expect((await rejection(browser.reauthenticateWithPasskey({ credential: { ...shaped, response: { ...shaped.response, authenticatorData: "AAAA" } } as never }))).key).toBe("passkey_response_invalid");
      expect((await rejection(browser.reauthenticateWithPasskey({ credential: { id: "x" } as never }))).status).toBe(400);
      expect((await rejection(browser.reauthenticateWithPasskey({ credential: { ...shaped, response: { ...shaped.response, clientDataJSON: "bm90IGpzb24" } } as never }))).key).toBe("passkey_response_invalid");
    });
    expect(malformed.filter((e) => e.action === "user.reauthenticated" && e.outcome === "success")).toEqual([]);
    expect(await isSudoOpen(browser)).toBe(false);
  });

  it("asks for an app's code beside a key that did not verify the person, and refuses it when there is none", async () => {
    let browser = await signedInBrowser();
    const unverified = async (client: WatchwordClient) => authenticator.assert((await client.passkeyReauthenticationOptions()).options as never, undefined, { isUserVerified: false });
    // The passkey is her only factor: such a key alone is not enough, and she is told to use her password.
    const alone = await rejection(browser.reauthenticateWithPasskey({ credential: (await unverified(browser)) as never }));
    expect([alone.status, alone.key]).toEqual([400, "passkey_reauthentication_needs_verification"]);
    expect(await isSudoOpen(browser)).toBe(false);

    // With an authenticator app added, the app's code goes with it.
    await browser.reauthenticate({ password: PASSWORD, method: "passkey", credential: authenticator.assert((await browser.reauthenticationPasskeyOptions()).options as never) as never });
    const enrolment = await browser.startTotpEnrolment();
    totpKey = enrolment.manualKey.replaceAll(" ", "");
    await browser.confirmTotpEnrolment(enrolment.factorId, { code: code() });
    clock.advance(30_000);

    browser = await signedInBrowser();
    const answer = await unverified(browser);
    const asked = await rejection(browser.reauthenticateWithPasskey({ credential: answer as never }));
    expect([asked.status, asked.key]).toEqual([400, "second_factor_required"]);
    expect((await rejection(browser.reauthenticateWithPasskey({ credential: answer as never, method: "passkey" }))).key).toBe("second_factor_method_unavailable");
    // The challenge was not used by those: the same answer, with the code, opens the window.
    const events = await eventsOf(() => browser.reauthenticateWithPasskey({ credential: answer as never, method: "totp", code: code() }));
    const done = events.find((e) => e.action === "user.reauthenticated");
    expect(JSON.parse(String(done?.details))).toEqual({ firstFactor: "passkey", passkeyId, isUserVerified: false, secondFactor: "totp" });
    expect(await isSudoOpen(browser)).toBe(true);

    // A sign-in recovery code may go with it too (once).
    const { codes } = await browser.generateRecoveryCodes();
    clock.advance(PAST_SUDO_MS);
    const withRecovery = await eventsOf(async () => browser.reauthenticateWithPasskey({ credential: (await unverified(browser)) as never, method: "recovery_code", code: codes[0]! }));
    expect(JSON.parse(String(withRecovery.find((e) => e.action === "user.reauthenticated")?.details))).toMatchObject({ isUserVerified: false, secondFactor: "recovery_code" });
    clock.advance(PAST_SUDO_MS);
    expect((await rejection(browser.reauthenticateWithPasskey({ credential: (await unverified(browser)) as never, method: "recovery_code", code: codes[0]! }))).status).toBe(400);
    await clearFailures();

    // A wrong code opens nothing and is counted.
    const wrong = await rejection(browser.reauthenticateWithPasskey({ credential: (await unverified(browser)) as never, method: "totp", code: "000000" }));
    expect(wrong.key).toBe("second_factor_code_incorrect");
    expect((await server.vault.store.signInFailures.readFailures("account", "ines"))?.failures).toBeGreaterThanOrEqual(1);
    expect(await isSudoOpen(browser)).toBe(false);
  });
});
