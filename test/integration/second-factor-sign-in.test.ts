// Two-step sign-in with an authenticator app, on both databases: enrolment behind sudo mode,
// confirmation by a first code, the second step for browsers (challenge cookie) and the CLI
// (challengeToken), and every way it must refuse: wrong, malformed, replayed and expired codes,
// a challenge used twice or taken from another sign-in, too many attempts. The seed appears in no
// reply after enrolment, no log line, no audit event and no table.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const STEP_MS = 30_000;

describe.each(databaseKinds)("two-step sign-in with an authenticator app, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 10));
  let seed = "";
  const codeAt = (offsetSteps = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: clock.now() + offsetSteps * STEP_MS });
  const planted: string[] = [];

  const signInCli = (client: WatchwordClient, username = "mia") => client.startSignIn({ username, password: PASSWORD, client: "cli" });
  const newStep = () => clock.advance(STEP_MS);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    for (const username of ["mia", "noa"]) await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("enrols an authenticator app only in sudo mode, and only once a first code confirms it", async () => {
    const browser = server.newClient();
    expect((await browser.startSignIn({ username: "mia", password: PASSWORD })).status).toBe("signed_in");
    // A fresh sign-in opens the sudo window; once it has passed, enrolment needs a re-authentication.
    clock.advance(10 * 60 * 1000);
    const refused = await rejection(browser.startTotpEnrolment());
    expect([refused.status, refused.key]).toEqual([403, "reauthentication_required"]);

    const wrongPassword = await rejection(browser.reauthenticate({ password: "not-the-password-at-all" }));
    expect([wrongPassword.status, wrongPassword.key]).toEqual([400, "current_password_wrong"]);
    const sudo = await browser.reauthenticate({ password: PASSWORD });
    expect(Date.parse(sudo.reauthenticatedUntil) - clock.now()).toBe(10 * 60 * 1000);

    const enrolment = await browser.startTotpEnrolment();
    expect(enrolment.issuer).toBe("Watchword");
    expect(enrolment.account).toBe("mia");
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Watchword:mia\?secret=[A-Z2-7]+&issuer=Watchword&algorithm=SHA1&digits=6&period=30$/);
    expect(enrolment.manualKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    expect(enrolment.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    seed = enrolment.manualKey.replaceAll(" ", "");
    planted.push(seed);
    expect(new URL(enrolment.otpauthUri).searchParams.get("secret")).toBe(seed);

    // Not active yet: the password alone still signs in.
    expect((await signInCli(server.newClient())).status).toBe("signed_in");
    expect(await browser.listFactors()).toEqual({ factors: [], methods: [] });

    const malformed = await rejection(browser.confirmTotpEnrolment(enrolment.factorId, { code: "12a456" }));
    expect([malformed.status, malformed.key]).toEqual([400, "second_factor_code_malformed"]);
    const wrong = await rejection(browser.confirmTotpEnrolment(enrolment.factorId, { code: codeAt(5) }));
    expect([wrong.status, wrong.key]).toEqual([400, "enrolment_code_wrong"]);
    const factor = await browser.confirmTotpEnrolment(enrolment.factorId, { code: ` ${codeAt().slice(0, 3)}-${codeAt().slice(3)} `, name: "Phone" });
    expect(factor).toMatchObject({ kind: "totp", name: "Phone", lastUsedAt: new Date(clock.now()).toISOString() });
    expect((await browser.listFactors()).factors.map((f) => f.name)).toEqual(["Phone"]);
    expect((await browser.listFactors()).methods).toEqual(["totp"]);
    expect(JSON.stringify(await browser.listFactors())).not.toContain(seed);
  });

  it("asks the CLI for a second step and signs it in with a code, keeping its device token", async () => {
    newStep();
    const cli = server.newClient();
    const first = await cli.startSignIn({ username: "mia", password: PASSWORD, client: "cli" });
    expect(first.status).toBe("mfa_required");
    if (first.status !== "mfa_required") return;
    expect(first.challenge.methods).toEqual(["totp"]);
    expect(Date.parse(first.challenge.expiresAt) - clock.now()).toBe(5 * 60 * 1000);
    expect(first.challengeToken).toMatch(/^ww_c_/);
    expect(first).not.toHaveProperty("session");
    const done = await cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: first.challengeToken, client: "cli" });
    expect(done.status).toBe("signed_in");
    expect(done.token).toMatch(/^ww_s_/);
    const signedIn = server.newClient({ token: done.token! });
    expect((await signedIn.getSession()).user.username).toBe("mia");

    // The same device signs in again: its token is kept through the second step.
    newStep();
    const again = await cli.startSignIn({ username: "mia", password: PASSWORD, client: "cli", deviceToken: done.deviceToken! });
    if (again.status !== "mfa_required") throw new Error("expected a challenge");
    const kept = await cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: again.challengeToken, client: "cli", deviceToken: done.deviceToken! });
    expect(kept.deviceToken).toBe(done.deviceToken);
    // The plain password sign-in of the client refuses instead of pretending.
    expect((await rejection(cli.signIn({ username: "mia", password: PASSWORD, client: "cli" }))).key).toBe("second_factor_required");
  });

  it("gives a browser an HttpOnly, SameSite=Strict challenge cookie and no token", async () => {
    newStep();
    const jar: string[] = [];
    const response = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "mia", password: PASSWORD }) });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.status).toBe("mfa_required");
    expect(body).not.toHaveProperty("challengeToken");
    for (const line of response.headers.getSetCookie()) jar.push(line);
    const cookie = jar.find((line) => line.startsWith("__Host-ww_sign_in="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Secure/i);
    expect(jar.some((line) => line.startsWith("__Host-ww_session="))).toBe(false);

    const browser = server.newClient();
    const first = await browser.startSignIn({ username: "mia", password: PASSWORD });
    expect(first.status).toBe("mfa_required");
    const done = await browser.finishSignIn({ method: "totp", code: codeAt() });
    expect(done.token).toBeUndefined();
    expect((await browser.getSession()).user.username).toBe("mia");
    expect(browser.jar.cookies.has("__Host-ww_sign_in")).toBe(false);
  });

  it("refuses a replayed code, even of an older step, with its own problem, and audits it", async () => {
    newStep();
    const code = codeAt();
    const a = server.newClient();
    const first = await signInCli(a);
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    await a.finishSignIn({ method: "totp", code, challengeToken: first.challengeToken, client: "cli" });

    const b = server.newClient();
    const second = await signInCli(b);
    if (second.status !== "mfa_required") throw new Error("expected a challenge");
    const replayed = await rejection(b.finishSignIn({ method: "totp", code: ` ${code} `, challengeToken: second.challengeToken, client: "cli" }));
    expect([replayed.status, replayed.key]).toEqual([401, "second_factor_code_replayed"]);
    // The previous step's code is within the drift window but older than the step accepted.
    const older = await rejection(b.finishSignIn({ method: "totp", code: codeAt(-1), challengeToken: second.challengeToken, client: "cli" }));
    expect(older.key).toBe("second_factor_code_replayed");
    const events = await server.vault.store.auditEvents.listAuditEvents({ afterSeq: 0, limit: 10_000 });
    const replays = events.filter((e) => e.action === "user.second_factor_failed" && e.reason === "replayed_code");
    expect(replays.length).toBeGreaterThanOrEqual(2);
    expect(replays[0]).toMatchObject({ outcome: "denied", targetName: "mia" });
    // The next step's code still works on the same challenge.
    newStep();
    expect((await b.finishSignIn({ method: "totp", code: codeAt(), challengeToken: second.challengeToken, client: "cli" })).status).toBe("signed_in");
  });

  it("counts wrong codes, refuses malformed ones without counting, and ends the challenge after 5", async () => {
    newStep();
    const cli = server.newClient();
    const first = await signInCli(cli);
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    const answer = (code: string) => cli.finishSignIn({ method: "totp", code, challengeToken: first.challengeToken, client: "cli" });
    for (const bad of ["12345", "1234567", "abcdef", "12 34 5x", "９９９９９９", "x".repeat(33)]) {
      const refused = await rejection(answer(bad));
      expect(refused.status, bad).toBe(400);
      if (bad.length <= 32) expect(refused.key, bad).toBe("second_factor_code_malformed");
    }
    const wrongCode = codeAt(12);
    const attempts: (string | undefined)[] = [];
    const lefts: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      // Past the account's growing delay after the third wrong code (second-factor-throttle.ts).
      clock.advance(9_000);
      const refused = await rejection(answer(wrongCode));
      attempts.push(refused.key);
      lefts.push(refused.params.count);
    }
    expect(attempts).toEqual(["second_factor_code_wrong", "second_factor_code_wrong", "second_factor_code_wrong", "second_factor_code_wrong", "second_factor_attempts_exhausted"]);
    expect(lefts.slice(0, 4)).toEqual([4, 3, 2, 1]);
    clock.advance(9_000);
    const ended = await rejection(answer(codeAt()));
    expect([ended.status, ended.key]).toEqual([401, "second_factor_attempts_exhausted"]);
    const row = await server.vault.store.signInChallenges.claimAttempt("none", clock.now(), 5);
    expect(row).toBeUndefined();
  });

  it("refuses an expired challenge, a used one, and one from another sign-in", async () => {
    newStep();
    const cli = server.newClient();
    const first = await signInCli(cli);
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    clock.advance(5 * 60 * 1000);
    const expired = await rejection(cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: first.challengeToken, client: "cli" }));
    expect([expired.status, expired.key]).toEqual([401, "sign_in_challenge_invalid"]);

    newStep();
    const used = await signInCli(cli);
    if (used.status !== "mfa_required") throw new Error("expected a challenge");
    await cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: used.challengeToken, client: "cli" });
    newStep();
    const reused = await rejection(cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: used.challengeToken, client: "cli" }));
    expect(reused.key).toBe("sign_in_challenge_invalid");

    // A CLI's challenge is not a browser's: presented as the cookie it is refused.
    const cliChallenge = await signInCli(cli);
    if (cliChallenge.status !== "mfa_required") throw new Error("expected a challenge");
    const browser = server.newClient({ headers: { cookie: `__Host-ww_sign_in=${cliChallenge.challengeToken}` } });
    expect((await rejection(browser.finishSignIn({ method: "totp", code: codeAt() }))).key).toBe("sign_in_challenge_invalid");
    // No challenge at all, a made-up one, a method the user does not have.
    expect((await rejection(server.newClient().finishSignIn({ method: "totp", code: codeAt() }))).key).toBe("sign_in_challenge_invalid");
    expect((await rejection(cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: "ww_c_forged", client: "cli" }))).key).toBe("sign_in_challenge_invalid");
    expect((await rejection(cli.finishSignIn({ method: "webauthn", code: codeAt(), challengeToken: cliChallenge.challengeToken, client: "cli" }))).key).toBe("second_factor_method_unavailable");
  });

  it("needs the second factor for sudo mode too, refuses a replay there, and removing a factor ends other sessions", async () => {
    newStep();
    const cli = server.newClient();
    const first = await signInCli(cli);
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    const other = await cli.finishSignIn({ method: "totp", code: codeAt(), challengeToken: first.challengeToken, client: "cli" });
    const otherSession = server.newClient({ token: other.token! });

    newStep();
    const browser = server.newClient();
    const challenge = await browser.startSignIn({ username: "mia", password: PASSWORD });
    expect(challenge.status).toBe("mfa_required");
    await browser.finishSignIn({ method: "totp", code: codeAt() });
    expect((await rejection(browser.reauthenticate({ password: PASSWORD }))).key).toBe("second_factor_required");
    expect((await rejection(browser.reauthenticate({ password: PASSWORD, method: "totp", code: codeAt() }))).key).toBe("second_factor_code_replayed");
    newStep();
    await browser.reauthenticate({ password: PASSWORD, method: "totp", code: codeAt() });
    const [factor] = (await browser.listFactors()).factors;
    expect((await browser.renameFactor(factor!.id, "  Work phone ")).name).toBe("Work phone");
    expect((await rejection(browser.renameFactor(factor!.id, "   "))).key).toBe("factor_name_required");
    await browser.removeFactor(factor!.id);
    expect((await rejection(otherSession.getSession())).status).toBe(401);
    expect((await browser.listFactors()).factors).toEqual([]);
    expect((await signInCli(server.newClient())).status).toBe("signed_in");
    // Another user's factor cannot be touched.
    expect((await rejection(browser.removeFactor(factor!.id))).key).toBe("factor_not_found");
  });

  it("never shows the seed after enrolment: not in logs, audit events or any table", async () => {
    const events = await server.vault.store.auditEvents.listAuditEvents({ afterSeq: 0, limit: 10_000 });
    const actions = new Set(events.map((e) => e.action));
    for (const action of ["user.mfa_enrolment_started", "user.mfa_factor_added", "user.mfa_factor_renamed", "user.mfa_factor_removed", "user.reauthenticated", "user.second_factor_requested", "user.second_factor_failed", "user.signed_in"]) {
      expect(actions, action).toContain(action);
    }
    const everything = [JSON.stringify(events), server.logs.join("\n"), await dumpEveryTable(db), await readSqliteFiles(db)].join("\n");
    for (const secret of [...planted, PASSWORD]) expect(everything.includes(secret), secret).toBe(false);
  });
});
