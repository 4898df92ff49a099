// The account-recovery method and account recovery, on both databases, against a real SMTP
// server and a real HTTP SMS gateway started here: a 6-digit code confirms the method (right,
// wrong, expired, replayed, superseded, malformed, too many tries, another attempt's); a user who
// lost their factors proves the method from the second step of a sign-in, the user and the
// administrators are told, and the recovery finishes after an approval or the waiting period —
// factors removed, sessions ended. No address or code is left in plaintext in the logs or the database.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { smsSegmentsOf } from "../../src/core/recovery-sms.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { reauthenticateWithAuthenticator, signedInApiClient } from "../support/admin-authenticator.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startSmsReceiver, type SmsReceiver } from "../support/sms-receiver.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const SMS_TOKEN = "gateway-token-5b8e1f0c";
const MINUTE = 60_000;
const codeIn = (text: string): string => /\b(\d{6})\b/.exec(text)![1]!;

describe.each(databaseKinds)("account recovery on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let smtp: SmtpReceiver;
  let sms: SmsReceiver;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 10));
  const sentCodes: string[] = [];
  const planted = { email: "ria.recovery@example.org", phone: "+33612345678", phoneTyped: "+33 6 12 34 56 78", frenchPhone: "+33698765432" };

  async function addUser(username: string, role: "admin" | "member", email: string): Promise<void> {
    await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const user = (await server.vault.store.users.findUserByUsername(username))!;
    await server.vault.store.users.updateUser(user.id, { email }, clock.now());
  }
  /** A CLI session in sudo mode, for a user without a second factor (password only), or an administrator with the test authenticator. */
  async function sudoClient(username: string): Promise<WatchwordClient> {
    // An administrator among others gets the test authenticator (admin-authenticator.ts).
    const client = await signedInApiClient(server.url, username, PASSWORD);
    await reauthenticateWithAuthenticator(server.url, client, username, PASSWORD);
    return client;
  }
  async function enrolTotp(client: WatchwordClient): Promise<OTPAuth.TOTP> {
    const enrolment = await client.startTotpEnrolment();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")), digits: 6, period: 30 });
    await client.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate({ timestamp: clock.now() }) });
    return totp;
  }
  async function challengeOf(username: string): Promise<{ client: WatchwordClient; challengeToken: string }> {
    const client = server.newClient();
    const reply = await client.startSignIn({ username, password: PASSWORD, client: "cli" });
    if (reply.status !== "mfa_required") throw new Error("expected a second step");
    return { client, challengeToken: reply.challengeToken! };
  }
  const mailCode = (to: string): string => {
    const mails = smtp.inbox.filter((m) => m.to.includes(to));
    const code = codeIn(mails.at(-1)!.text);
    sentCodes.push(code);
    return code;
  };
  const smsCode = (): string => {
    const code = codeIn(sms.inbox.at(-1)!.text);
    sentCodes.push(code);
    return code;
  };
  const wrongOf = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  beforeAll(async () => {
    [smtp, sms] = await Promise.all([startSmtpReceiver(), startSmsReceiver()]);
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      clock,
      env: {
        WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080",
        WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>",
        WATCHWORD_SMS_URL: sms.url,
        WATCHWORD_SMS_TOKEN: SMS_TOKEN,
        WATCHWORD_SMS_SENDER: "Watchword",
        WATCHWORD_RECOVERY_WAIT_HOURS: "72",
      },
    });
    await addUser("ada", "admin", "ada@example.com");
    await addUser("ria", "member", "ria@example.com");
    await addUser("sol", "member", "sol@example.com");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await Promise.all([smtp?.close(), sms?.close()]);
  });

  it("confirms an e-mail address with the code mailed to it, and refuses a change outside sudo mode", async () => {
    const plain = server.newClient({ token: (await server.newClient().signIn({ username: "ria", password: PASSWORD, client: "cli" })).token! });
    clock.advance(11 * MINUTE); // past the sudo window a fresh sign-in opens
    expect((await rejection(plain.startRecoveryMethod({ channel: "email", address: planted.email }))).key).toBe("reauthentication_required");
    const ria = await sudoClient("ria");
    expect(await ria.getRecoveryMethod()).toMatchObject({ method: null, channels: { email: true, sms: true }, recovery: null });
    const sent = await ria.startRecoveryMethod({ channel: "email", address: `  ${planted.email} ` });
    expect(sent).toMatchObject({ channel: "email", hint: "r•••@e•••.org" });
    const code = mailCode(planted.email);
    const method = await ria.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(method).toMatchObject({ channel: "email", hint: "r•••@e•••.org" });
    expect((await ria.getRecoveryMethod()).method).toMatchObject({ channel: "email" });
    // Replayed: the attempt is used up.
    expect(await rejection(ria.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code }))).toMatchObject({ status: 401, key: "recovery_code_expired" });
  });

  it("refuses malformed, wrong, expired and superseded codes and another attempt's, and ends an attempt after 5 wrong codes", async () => {
    const sol = await sudoClient("sol");
    expect(await rejection(sol.startRecoveryMethod({ channel: "email", address: "not-an-address" }))).toMatchObject({ status: 400, key: "recovery_email_invalid" });
    expect(await rejection(sol.startRecoveryMethod({ channel: "sms", address: "0612345678" }))).toMatchObject({ status: 400, key: "recovery_phone_invalid" });

    const first = await sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped });
    const firstCode = smsCode();
    const second = await sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped });
    const secondCode = smsCode();
    // The gateway got a JSON POST with the bearer token, to the number in E.164: a text of its own, not the mail's, in one SMS segment.
    expect(sms.inbox.at(-1)).toMatchObject({ authorization: `Bearer ${SMS_TOKEN}`, contentType: "application/json", to: planted.phone, sender: "Watchword" });
    expect(sms.inbox.at(-1)!.text).toBe(`Watchword code: ${secondCode}. It confirms this number for account recovery and expires in 10 minutes. Not you? Ignore this text.`);
    expect(smsSegmentsOf(sms.inbox.at(-1)!.text)).toBe(1);
    expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: "12345" }))).toMatchObject({ status: 400, key: "recovery_code_malformed" });
    // Superseded by the resend: even its own right code is refused.
    expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: first.attemptToken, code: firstCode }))).toMatchObject({ status: 401, key: "recovery_code_expired" });
    // Bound to its attempt: the first code does not fit the second attempt (unless the two codes happen to agree).
    if (firstCode !== secondCode) expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: firstCode }))).toMatchObject({ status: 400, key: "recovery_code_wrong", params: { count: 4 } });
    else expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: wrongOf(secondCode) }))).toMatchObject({ status: 400, key: "recovery_code_wrong" });
    for (let left = 3; left >= 1; left -= 1) {
      expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: wrongOf(secondCode) }))).toMatchObject({ status: 400, key: "recovery_code_wrong", params: { count: left } });
    }
    expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: wrongOf(secondCode) }))).toMatchObject({ status: 400, key: "recovery_code_attempts_exhausted" });
    // Ended: the right code comes too late.
    expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: second.attemptToken, code: secondCode }))).toMatchObject({ status: 401, key: "recovery_code_expired" });

    const third = await sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped });
    const thirdCode = smsCode();
    // Another user's attempt is no attempt of theirs.
    const ria = await sudoClient("ria");
    expect(await rejection(ria.confirmRecoveryMethod({ attemptToken: third.attemptToken, code: thirdCode }))).toMatchObject({ status: 401, key: "recovery_code_expired" });
    clock.advance(10 * MINUTE + 1000);
    await sol.reauthenticate({ password: PASSWORD });
    expect(await rejection(sol.confirmRecoveryMethod({ attemptToken: third.attemptToken, code: thirdCode }))).toMatchObject({ status: 401, key: "recovery_code_expired" });
    expect((await sol.getRecoveryMethod()).method).toBeNull();

    // Five codes an hour at most: two more were sent (first, second, third) + … the fifth and sixth.
    await sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped });
    const fourth = await sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped });
    expect(await rejection(sol.startRecoveryMethod({ channel: "sms", address: planted.phoneTyped }))).toMatchObject({ status: 429, key: "recovery_code_send_limit" });
    expect(await sol.confirmRecoveryMethod({ attemptToken: fourth.attemptToken, code: smsCode() })).toMatchObject({ channel: "sms", hint: "+33•••78" });

    const audit = await (await sudoClient("ada")).listAuditEvents({ action: "user.recovery_method_added" });
    expect(audit.events.map((e) => e.outcome).sort()).toEqual(["failure", "failure", "failure", "failure", "failure", "success", "success"]);
  });

  it("recovers an account after an administrator's approval: everyone is told, factors removed, sessions ended", async () => {
    const ria = await sudoClient("ria");
    await enrolTotp(ria);
    const { client, challengeToken } = await challengeOf("ria");
    expect(await client.recoveryStatus({ client: "cli", challengeToken })).toEqual({ method: { channel: "email", hint: "r•••@e•••.org" }, recovery: null });
    const sent = await client.startRecovery({ client: "cli", challengeToken });
    const code = mailCode(planted.email);
    expect(await rejection(client.confirmRecovery({ client: "cli", challengeToken, attemptToken: sent.attemptToken, code: wrongOf(code) }))).toMatchObject({ status: 400, key: "recovery_code_wrong" });
    // A code is no second factor: the sign-in itself stays unanswered.
    expect(await rejection(client.finishSignIn({ method: "totp", code, challengeToken, client: "cli" }))).toMatchObject({ status: 401 });
    const recovery = await client.confirmRecovery({ client: "cli", challengeToken, attemptToken: sent.attemptToken, code });
    expect(recovery).toMatchObject({ username: "ria", status: "pending", isReady: false, readyAt: new Date(clock.now() + 72 * 60 * MINUTE).toISOString() });
    await server.app.recoveryNoticesSettled();
    expect(smtp.inbox.some((m) => m.to.includes("ria@example.com") && m.subject === "Recovery of your Watchword account was requested")).toBe(true);
    expect(smtp.inbox.some((m) => m.to.includes("ada@example.com") && m.subject === 'Account recovery for "ria" is waiting')).toBe(true);
    // Not ready yet; a member may not approve.
    expect(await rejection(client.completeRecovery({ client: "cli", challengeToken }))).toMatchObject({ status: 409, key: "recovery_not_ready" });
    const sol = await sudoClient("sol");
    expect(await rejection(sol.approveAccountRecovery(recovery.id))).toMatchObject({ status: 403, key: "recovery_decide_forbidden" });

    const ada = await sudoClient("ada");
    expect((await ada.listAccountRecoveries()).recoveries.map((r) => r.username)).toEqual(["ria"]);
    expect(await ada.approveAccountRecovery(recovery.id)).toMatchObject({ status: "approved", isReady: true });
    const signedIn = await client.completeRecovery({ client: "cli", challengeToken });
    expect(signedIn.status).toBe("signed_in");
    // The old session is over, the factors are gone: the next sign-in needs the password only.
    expect((await rejection(ria.getRecoveryMethod())).status).toBe(401);
    const after = server.newClient({ token: signedIn.token! });
    expect((await after.listFactors()).factors).toEqual([]);
    expect((await server.newClient().startSignIn({ username: "ria", password: PASSWORD, client: "cli" })).status).toBe("signed_in");
    const actions = (await ada.listAuditEvents({ actor: "ria" })).events.map((e) => e.action);
    for (const action of ["user.recovery_code_sent", "user.recovery_requested", "user.recovery_completed"]) expect(actions).toContain(action);
    expect((await ada.listAuditEvents({ action: "user.recovery_approved" })).events).toHaveLength(1);
  });

  it("recovers an account by SMS after the waiting period without an approval, and lets its owner cancel one", async () => {
    const totp = await enrolTotp(await sudoClient("sol"));
    clock.advance(61 * MINUTE); // past the hourly sending limit reached above
    const asked = async () => {
      const { client, challengeToken } = await challengeOf("sol");
      const sent = await client.startRecovery({ client: "cli", challengeToken });
      expect(sent).toMatchObject({ channel: "sms", hint: "+33•••78" });
      return client.confirmRecovery({ client: "cli", challengeToken, attemptToken: sent.attemptToken, code: smsCode() });
    };
    const first = await asked();
    await server.app.recoveryNoticesSettled();
    // Told by text message on the recovery number and by mail on the account's address.
    const [codeText, notice] = sms.inbox.slice(-2).map((m) => m.text);
    expect(codeText).toMatch(/^Watchword code: \d{6}\. It starts the recovery of your account and expires in 10 minutes\./);
    expect(sms.inbox.at(-1)).toMatchObject({ to: planted.phone });
    expect(notice).toBe(`Watchword: someone with your password asked to recover your account. It can finish on ${new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "short", timeZone: "UTC" }).format(new Date(first.readyAt))} UTC. Not you? Sign in, cancel it, change your password.`);
    for (const text of [codeText!, notice!]) {
      expect(smsSegmentsOf(text)).toBe(1);
      expect(text).not.toMatch(/https?:|Hello/);
    }
    expect(smtp.inbox.some((m) => m.to.includes("sol@example.com") && m.subject === "Recovery of your Watchword account was requested")).toBe(true);

    // The owner still holds the factor: signed in with it, they cancel what they did not ask for.
    const { client: ownerClient, challengeToken: ownerChallenge } = await challengeOf("sol");
    const owner = await ownerClient.finishSignIn({ method: "totp", code: totp.generate({ timestamp: clock.now() }), challengeToken: ownerChallenge, client: "cli" });
    const ownerSession = server.newClient({ token: owner.token! });
    expect((await ownerSession.getRecoveryMethod()).recovery).toMatchObject({ id: first.id, status: "pending" });
    await ownerSession.cancelOwnRecovery();
    expect((await ownerSession.getRecoveryMethod()).recovery).toBeNull();

    await asked();
    clock.advance(72 * 60 * MINUTE);
    const later = await challengeOf("sol");
    expect((await later.client.recoveryStatus({ client: "cli", challengeToken: later.challengeToken })).recovery).toMatchObject({ status: "pending", isReady: true });
    expect((await later.client.completeRecovery({ client: "cli", challengeToken: later.challengeToken })).status).toBe("signed_in");
    await server.app.recoveryNoticesSettled();
    expect(sms.inbox.at(-1)!.text).toBe("Watchword: your account was recovered. Its old second factors were removed and its sessions ended. Not you? Tell an administrator at once.");
    // The challenge is used by the recovery: it cannot finish a sign-in or a second recovery.
    expect((await rejection(later.client.completeRecovery({ client: "cli", challengeToken: later.challengeToken }))).status).toBe(401);
    const ada = await sudoClient("ada");
    expect((await ada.listAuditEvents({ action: "user.recovery_completed" })).events.map((e) => e.details)).toContainEqual(expect.objectContaining({ approved: false, factorsRemoved: 1 }));
    expect((await ada.listAuditEvents({ action: "user.recovery_cancelled" })).events).toHaveLength(1);
  });

  it("texts a French user in French, each message in one SMS segment", async () => {
    clock.advance(61 * MINUTE);
    await addUser("lea", "member", "lea@example.com");
    const lea = (await server.vault.store.users.findUserByUsername("lea"))!;
    await server.vault.store.users.updateUser(lea.id, { language: "fr" }, clock.now());
    const client = await sudoClient("lea");
    const sent = await client.startRecoveryMethod({ channel: "sms", address: planted.frenchPhone });
    const confirmCode = smsCode();
    expect(sms.inbox.at(-1)).toMatchObject({ to: planted.frenchPhone, text: `Code Watchword : ${confirmCode}. Il confirme ce numéro pour la récupération du compte et expire dans 10 minutes. Pas vous ? Ignorez ce SMS.` });
    await client.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code: confirmCode });
    await enrolTotp(client);

    const { client: signIn, challengeToken } = await challengeOf("lea");
    const started = await signIn.startRecovery({ client: "cli", challengeToken });
    const recoveryCode = smsCode();
    expect(sms.inbox.at(-1)!.text).toBe(`Code Watchword : ${recoveryCode}. Il lance la récupération de votre compte et expire dans 10 minutes. Pas vous ? Quelqu'un a votre mot de passe : changez-le.`);
    const recovery = await signIn.confirmRecovery({ client: "cli", challengeToken, attemptToken: started.attemptToken, code: recoveryCode });
    await server.app.recoveryNoticesSettled();
    const readyAt = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "UTC" }).format(new Date(recovery.readyAt));
    expect(sms.inbox.at(-1)!.text).toBe(`Watchword : récupération de votre compte demandée, effective le ${readyAt} UTC. Pas vous ? Connectez-vous, annulez-la et changez de mot de passe.`);
    await (await sudoClient("ada")).denyAccountRecovery(recovery.id);
    await server.app.recoveryNoticesSettled();
    expect(sms.inbox.at(-1)!.text).toBe("Watchword : un administrateur a refusé la récupération de votre compte. Vos méthodes de connexion restent inchangées.");
    // The mails keep their long French text; every text to the number fits one segment.
    expect(smtp.inbox.some((m) => m.to.includes("lea@example.com") && m.subject === "La récupération de votre compte Watchword a été refusée")).toBe(true);
    const texts = sms.inbox.filter((m) => m.to === planted.frenchPhone).map((m) => m.text);
    expect(texts).toHaveLength(4);
    for (const text of texts) expect(smsSegmentsOf(text), text).toBe(1);
  });

  it("says so when the gateway refuses a code (503), logging neither the number nor the text", async () => {
    clock.advance(61 * MINUTE);
    const ada = await sudoClient("ada");
    sms.answerWith(500);
    try {
      expect(await rejection(ada.startRecoveryMethod({ channel: "sms", address: "+441632960961" }))).toMatchObject({ status: 503, key: "recovery_code_not_sent" });
    } finally {
      sms.answerWith(202);
    }
    const warning = server.logs.find((line) => line.includes("recovery message not sent"));
    expect(warning).toContain("SMS gateway answered 500");
    expect(server.logs.join("\n")).not.toContain("+441632960961");
    expect((await ada.getRecoveryMethod()).method).toBeNull();
  });

  it("leaves no recovery address or code in plaintext in the logs or the database", async () => {
    const tables = await dumpEveryTable(db);
    const files = await readSqliteFiles(db);
    const logs = server.logs.join("\n");
    for (const text of [tables, files, logs]) {
      for (const secret of [planted.email, planted.phone, planted.phoneTyped, planted.frenchPhone, "+33612"]) expect(text).not.toContain(secret);
    }
    expect(sentCodes.length).toBeGreaterThan(5);
    for (const code of sentCodes) {
      const alone = new RegExp(`(?<![0-9])${code}(?![0-9])`);
      expect(tables).not.toMatch(alone);
      expect(logs).not.toMatch(alone);
    }
  });
});
