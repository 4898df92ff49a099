// The recovery method and the "Lost your second factor?" recovery in Chromium beyond English light
// (recovery-method.test.ts): French dark, and phone width in both languages, by e-mail and by text
// message. The method is added on "Sign-in & security" with the code the test's SMTP server or
// SMS gateway received (in the user's language), the recovery asked for from the second step of a
// sign-in, approved by an administrator on /admin/users and finished. Every view is checked by axe
// and must fit the screen; screenshots for people (test-results/screenshots/recovery-views-*).
import * as OTPAuth from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startSmsReceiver, type SmsReceiver } from "../support/sms-receiver.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users

interface View extends BrowserView {
  readonly name: string;
  readonly channel: "email" | "sms";
  readonly address: string;
  readonly hint: string;
}

const VIEWS: readonly View[] = [
  { name: "fr-dark", colorScheme: "dark", locale: "fr-FR", width: 1280, channel: "email", address: "lea.secours@example.org", hint: "l•••@e•••.org" },
  { name: "fr-dark-phone", colorScheme: "dark", locale: "fr-FR", width: 390, channel: "sms", address: "+33 6 98 76 54 32", hint: "+33•••32" },
  { name: "en-light-phone", colorScheme: "light", locale: "en-US", width: 390, channel: "sms", address: "+44 7700 900123", hint: "+44•••23" },
];

describe.skipIf(!hasChromium)("the recovery method and account recovery in French, dark and at phone width", () => {
  let db: TestDatabase;
  let server: TestApp;
  let smtp: SmtpReceiver;
  let sms: SmsReceiver;
  let browser: Browser;

  beforeAll(async () => {
    [smtp, sms] = await Promise.all([startSmtpReceiver(), startSmsReceiver()]);
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, {
      env: {
        WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080",
        WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>",
        WATCHWORD_SMS_URL: sms.url,
        WATCHWORD_SMS_TOKEN: "gateway-token-5b8e1f0c",
      },
    });
    await signedInClient(server, "ada", "admin");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    await Promise.all([smtp?.close(), sms?.close()]);
  });

  const settled = (page: Page) => page.evaluate("document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(undefined))))");
  /** axe, the screen's width, and a screenshot of the view as it is now. */
  async function look(page: Page, what: string, name: string): Promise<void> {
    await page.mouse.move(0, 0); // no hover left on whatever the last click brought under the pointer
    await settled(page);
    // A button's colour transition (0.12 s) still running is a contrast axe measures half-way.
    await expect.poll(() => page.evaluate("document.getAnimations().filter((a) => a.playState === 'running').length")).toBe(0);
    await screenshot(page, name);
    await expectNoAxeViolations(page, what);
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), `${what} fits the screen`).toBe(true);
  }
  /** The code of the newest message to `address` (mail or text), once it has arrived. */
  async function codeSentTo(view: View, count: number): Promise<string> {
    const texts = () => (view.channel === "email" ? smtp.inbox.filter((m) => m.to.includes(view.address)).map((m) => m.text) : sms.inbox.filter((m) => m.to === view.address.replaceAll(" ", "")).map((m) => m.text));
    await expect.poll(() => texts().length).toBeGreaterThanOrEqual(count);
    const text = texts().at(-1)!;
    // The user chose French: the code comes in French too (SMS: the short text of its own).
    if (view.locale.startsWith("fr")) expect(text).toMatch(view.channel === "sms" ? /^Code Watchword : \d{6}\./ : /^Votre code Watchword est \d{6}\./);
    else expect(text).toMatch(view.channel === "sms" ? /^Watchword code: \d{6}\./ : /^Your Watchword code is \d{6}\./);
    return /\b(\d{6})\b/.exec(text)![1]!;
  }

  VIEWS.forEach((view, index) => {
    it(`adds a recovery method, then recovers lost factors with it (${view.name})`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const say = (en: string, fr: string) => (isFrench ? fr : en);
      const username = `ria${index}`;
      const api = await signedInClient(server, username, "member");
      const record = (await server.vault.store.users.findUserByUsername(username))!;
      if (isFrench) await server.vault.store.users.updateUser(record.id, { language: "fr" }, Date.now());

      // Sign-in & security: the sign-in just proved the password, so no password is asked again.
      const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view);
      const errors: string[] = [];
      recordPageErrors(page, errors);
      await page.goto(`${server.url}/account/security`);
      const panel = page.getByTestId("recovery-method");
      await expect.poll(async () => (await panel.getByTestId("recovery-method-current").textContent())?.replace(/\s/g, " ")).toBe(say("No recovery method yet.", "Aucun moyen de récupération pour l’instant."));
      await panel.getByTestId("recovery-method-edit").click();
      if (view.channel === "sms") await panel.getByTestId("recovery-channel-sms").check();
      await panel.getByTestId("recovery-address").fill(view.address);
      await panel.scrollIntoViewIfNeeded();
      await look(page, `the recovery-method form (${view.name})`, `recovery-views-method-form-${view.name}`);
      await panel.getByTestId("recovery-method-send").click();
      await panel.getByTestId("recovery-method-code-form").waitFor();
      const code = await codeSentTo(view, 1);
      expect((await panel.textContent())?.replace(/\s/g, " ")).toContain(say(`A code was sent to ${view.hint}.`, `Un code a été envoyé à ${view.hint}.`));
      await look(page, `the recovery-method code (${view.name})`, `recovery-views-method-code-${view.name}`);
      await panel.getByTestId("recovery-method-code").fill(code);
      await panel.getByTestId("recovery-method-confirm").click();
      await expect.poll(async () => (await panel.getByTestId("recovery-method-notice").textContent())?.replace(/\s/g, " ")).toBe(say("Recovery method saved.", "Moyen de récupération enregistré."));
      expect(await panel.getByTestId("recovery-method-current").textContent()).toContain(view.hint);
      expect(await page.content()).not.toContain(view.address);
      await look(page, `the saved recovery method (${view.name})`, `recovery-views-method-saved-${view.name}`);
      expect(errors).toEqual([]);
      await page.context().close();

      // An authenticator app, then lost: the second step of a sign-in offers the recovery.
      const enrolment = await api.startTotpEnrolment();
      await api.confirmTotpEnrolment(enrolment.factorId, { code: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")) }).generate() });
      const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
      const signIn = await context.newPage();
      recordPageErrors(signIn, errors);
      await signIn.goto(`${server.url}/sign-in`);
      await signIn.getByLabel(say("Username", "Nom d’utilisateur")).fill(username);
      await signIn.getByLabel(say("Password", "Mot de passe")).fill(PASSWORD);
      await signIn.getByRole("button", { name: say("Sign in", "Se connecter") }).click();
      await signIn.getByTestId("second-step-lost").click();
      const flow = signIn.getByTestId("recovery-sign-in");
      await flow.getByTestId("recovery-send").waitFor();
      expect(await flow.textContent()).toContain(view.hint);
      await look(signIn, `the recovery's first step (${view.name})`, `recovery-views-sign-in-start-${view.name}`);
      await flow.getByTestId("recovery-send").click();
      await flow.getByTestId("recovery-code-form").waitFor();
      const recoveryCode = await codeSentTo(view, 2);
      await flow.getByTestId("recovery-code").fill(recoveryCode);
      await look(signIn, `the recovery code (${view.name})`, `recovery-views-sign-in-code-${view.name}`);
      await flow.getByTestId("recovery-confirm").click();
      await flow.getByTestId("recovery-pending").waitFor();
      await look(signIn, `the recovery waiting (${view.name})`, `recovery-views-sign-in-pending-${view.name}`);

      // The administrator approves it on /admin/users, in the same language, theme and width.
      const admin = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view);
      recordPageErrors(admin, errors);
      await admin.goto(`${server.url}/admin/users`);
      const waiting = admin.getByTestId("account-recoveries");
      const row = waiting.getByTestId("account-recovery").filter({ hasText: username });
      await row.waitFor();
      await waiting.scrollIntoViewIfNeeded();
      await look(admin, `the account recoveries waiting (${view.name})`, `recovery-views-admin-${view.name}`);
      await row.getByTestId("account-recovery-approve").click();
      await expect.poll(async () => (await row.textContent())?.replace(/\s/g, " ")).toContain(say(`${username}, approved: the user may finish it.`, `${username}, approuvée : l’utilisateur peut la terminer.`));
      await admin.context().close();

      // Back to the code and the lost-factor link again: the recovery is ready, and finishes.
      await flow.getByRole("button", { name: say("Back to the code", "Revenir au code") }).click();
      await signIn.getByTestId("second-step-lost").click();
      await signIn.getByTestId("recovery-ready").waitFor();
      await look(signIn, `the recovery ready (${view.name})`, `recovery-views-sign-in-ready-${view.name}`);
      await signIn.getByTestId("recovery-finish").click();
      await signIn.getByTestId("security-page").waitFor();
      await expect.poll(async () => (await signIn.getByTestId("two-step").textContent())?.replace(/\s/g, " ")).toContain(say("Off", "Désactivée"));
      await look(signIn, `Sign-in & security after the recovery (${view.name})`, `recovery-views-after-${view.name}`);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  });
});
