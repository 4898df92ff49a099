// Issue 10 in Chromium: a member the administrators' rule names loses her authenticator app and
// recovers her account from the second step of a sign-in. The page's heading says what she is
// doing (account recovery, English and French), not "Two-step verification". Once the recovery
// is approved and finished she lands on Sign-in & security in a session that may only enrol: the
// recovery-method panel and the sessions panel answer (no 403 shown as an error), she signs out
// her other session there, and the password form, which that session may not use, is not offered.
// Screenshots: test-results/screenshots/enrolment-session-*.
import * as OTPAuth from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, settleAnimations, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const ADDRESS = "ria.recovery@example.org";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 375 };

describe.skipIf(!hasChromium)("recovering an account into a session that may only enrol, in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let smtp: SmtpReceiver;
  let browser: Browser;
  let admin: WatchwordClient;
  const mailCode = (to: string): string => /\b(\d{6})\b/.exec(smtp.inbox.filter((m) => m.to.includes(to)).at(-1)!.text)![1]!;

  /** A user with an authenticator app (and, given an address, a confirmed recovery method). */
  async function userWithApp(username: string, role: "admin" | "member", address?: string): Promise<{ id: string; api: WatchwordClient }> {
    const api = await signedInClient(server, username, role);
    if (address !== undefined) {
      const sent = await api.startRecoveryMethod({ channel: "email", address });
      // (beforeAll: no expect.poll outside a test)
      for (let waited = 0; !smtp.inbox.some((m) => m.to.includes(address)) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      await api.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code: mailCode(address) });
    }
    const enrolment = await api.startTotpEnrolment();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")), digits: 6, period: 30 });
    await api.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate() });
    return { id: (await api.getSession()).user.id, api };
  }

  async function secondStepOf(username: string, view: BrowserView, errors: string[]): Promise<Page> {
    const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
    const page = await context.newPage();
    recordPageErrors(page, errors);
    const isFrench = view.locale.startsWith("fr");
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(username);
    await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
    await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
    await page.getByTestId("second-step-lost").waitFor();
    return page;
  }
  const headingOf = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { env: { WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080", WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>" } });
    // Ada sets the rule, so she has an app herself (her CLI session from before it serves on).
    admin = (await userWithApp("ada", "admin")).api;
    const ria = (await userWithApp("ria", "member", ADDRESS)).id;
    await userWithApp("noe", "member");
    const finance = await admin.createGroup("Finance");
    await admin.addGroupMember(finance.id, ria);
    await admin.setMfaEnforcement({ scope: "groups", groupIds: [finance.id], methods: ["totp"] });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    await smtp?.close();
  });

  it("says 'Recover your account' while recovering, then lets the enrolling session use its recovery method and sessions (English)", async () => {
    const errors: string[] = [];
    const page = await secondStepOf("ria", EN_LIGHT, errors);
    expect(await headingOf(page)).toBe("Two-step verification");
    await page.getByTestId("second-step-lost").click();
    const flow = page.getByTestId("recovery-sign-in");
    await flow.getByTestId("recovery-send").waitFor();
    expect(await headingOf(page)).toBe("Recover your account");
    expect(await page.title()).toMatch(/^Recover your account · /);
    // One heading says it: the flow has no second title of its own.
    expect(await page.getByRole("heading").allTextContents()).toEqual(["Recover your account"]);
    await settleAnimations(page);
    await screenshot(page, "enrolment-session-recovery-en-light");
    await expectNoAxeViolations(page, "the recovery sign-in");

    const before = smtp.inbox.length;
    await flow.getByTestId("recovery-send").click();
    await flow.getByTestId("recovery-code-form").waitFor();
    await expect.poll(() => smtp.inbox.length, { timeout: 10_000 }).toBeGreaterThan(before);
    await flow.getByTestId("recovery-code").fill(mailCode(ADDRESS));
    await flow.getByTestId("recovery-confirm").click();
    await flow.getByTestId("recovery-pending").waitFor();
    expect(await headingOf(page)).toBe("Recover your account");
    const [recovery] = (await admin.listAccountRecoveries()).recoveries;
    await admin.approveAccountRecovery(recovery!.id);
    // Back to the code: the heading is the second step's again; the lost-factor link, then finish.
    await flow.getByRole("button", { name: "Back to the code" }).click();
    await expect.poll(() => headingOf(page)).toBe("Two-step verification");
    await page.getByTestId("second-step-lost").click();
    await page.getByTestId("recovery-finish").click();

    // Sign-in & security, in a session that may only enrol (the rule names her, her app is gone).
    await page.getByTestId("enrolment-required").waitFor();
    const method = page.getByTestId("recovery-method");
    await expect.poll(() => method.getByTestId("recovery-method-current").textContent()).toContain("r•••@e•••.org (e-mail)");
    expect(await method.getByTestId("recovery-method-error").count()).toBe(0);
    const sessions = page.getByTestId("account-sessions");
    await expect.poll(() => sessions.getByTestId("session-row").count()).toBe(1);
    expect(await page.getByTestId("account-password").count()).toBe(0);

    // Another session of hers (the CLI, password alone: enrolment only too), signed out from here.
    const other = server.newClient({ token: (await server.newClient().signIn({ username: "ria", password: PASSWORD, client: "cli" })).token! });
    expect((await other.getSession()).secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
    await page.reload();
    await expect.poll(() => sessions.getByTestId("session-row").count()).toBe(2);
    await settleAnimations(page);
    await screenshot(page, "enrolment-session-security-en-light");
    await expectNoAxeViolations(page, "Sign-in & security in a session that may only enrol");
    await sessions.getByTestId("sessions-sign-out-others").click();
    await expect.poll(() => sessions.getByTestId("sessions-message").textContent()).toContain("1");
    await expect.poll(() => sessions.getByTestId("session-row").count()).toBe(1);
    expect((await other.getSession().catch((error: unknown) => error)) instanceof Error).toBe(true);

    // The recovery method can be changed from this session: the form, then the code by mail.
    await method.getByTestId("recovery-method-edit").click();
    await method.getByTestId("recovery-address").fill("ria.new@example.org");
    await method.getByTestId("recovery-method-send").click();
    await method.getByTestId("recovery-method-code-form").waitFor();
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes("ria.new@example.org")).length, { timeout: 10_000 }).toBe(1);
    await method.getByTestId("recovery-method-code").fill(mailCode("ria.new@example.org"));
    await method.getByTestId("recovery-method-confirm").click();
    await expect.poll(() => method.getByTestId("recovery-method-notice").textContent()).toBe("Recovery method saved.");
    expect(await method.getByTestId("recovery-method-current").textContent()).toContain("r•••@e•••.org (e-mail)");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says 'Récupérer votre compte' while recovering (French, dark, phone)", async () => {
    const errors: string[] = [];
    const page = await secondStepOf("noe", FR_DARK_PHONE, errors);
    expect(await headingOf(page)).toBe("Validation en deux étapes");
    await page.getByTestId("second-step-lost").click();
    await page.getByTestId("recovery-no-method").waitFor();
    expect(await headingOf(page)).toBe("Récupérer votre compte");
    expect(await page.getByRole("heading").allTextContents()).toEqual(["Récupérer votre compte"]);
    await settleAnimations(page);
    await screenshot(page, "enrolment-session-recovery-fr-dark-phone");
    await expectNoAxeViolations(page, "the recovery sign-in in French");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
