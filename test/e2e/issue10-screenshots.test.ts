// Every page and dialog issue 10 added, photographed in English and French, light and dark,
// desktop and phone width, from one vault: Sign-in & security with each panel (off, then on),
// the Configure wizard's steps, the administrators' two-step verification rule, the step-up dialog,
// the push sign-in's number, the second step and the recovery sign-in. The pictures are for people
// to look at (test-results/screenshots/issue10-*); what a machine can check is checked here too:
// axe finds no violation, nothing is wider than the screen, no key is shown instead of a sentence.
import * as OTPAuth from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, screenshot, type BrowserView, settleAnimations, layoutProblemsOf } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const STEP_MS = 30_000;
/** Past the 10-minute sudo window (WATCHWORD_SUDO_MINUTES) that a sign-in opens. */
const SUDO_WINDOW_PASSED_MS = 11 * 60_000;

const VIEWS: readonly (BrowserView & { readonly name: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280 },
  { name: "fr-dark", colorScheme: "dark", locale: "fr-FR", width: 1280 },
  { name: "en-dark-phone", colorScheme: "dark", locale: "en-US", width: 390 },
  { name: "fr-light-phone", colorScheme: "light", locale: "fr-FR", width: 390 },
];

describe.skipIf(!hasChromium)("screenshots of issue 10's pages and dialogs", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  // The server's clock: each browser sign-in with a code moves it one step on, so no code is a replay.
  const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 5_000);
  const seeds = new Map<string, string>();
  let stepUpEntryId = "";
  const problems: string[] = [];

  const codeOf = (username: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seeds.get(username)!), digits: 6, period: 30 }).generate({ timestamp: clock.now() });

  /** A browser session's client (cookies), signed in with the password alone: in sudo mode. */
  async function browserClient(username: string): Promise<WatchwordClient> {
    await signedInClient(server, username, username === "ada" ? "admin" : "member");
    const client = server.newClient();
    await client.startSignIn({ username, password: PASSWORD });
    return client;
  }

  async function enrolApp(username: string): Promise<void> {
    const client = await browserClient(username);
    const enrolment = await client.startTotpEnrolment();
    seeds.set(username, enrolment.manualKey.replaceAll(" ", ""));
    await client.confirmTotpEnrolment(enrolment.factorId, { code: codeOf(username), name: "Phone" });
    clock.advance(STEP_MS);
  }

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    const admin = await signedInClient(server, "ada", "admin"); // before her app: a CLI token serves on
    // Ada (the only administrator) and Bo have an authenticator app, Cy a push device, Dee nothing yet.
    await enrolApp("ada");
    await enrolApp("bo");
    const cy = await browserClient("cy");
    await cy.registerPushDevice({ name: "Pixel 8" });
    await browserClient("dee");
    stepUpEntryId = (await admin.createEntry({ name: "AWS root", issuer: "Amazon Web Services", seed: { secret: SEED } })).entry.id;
    await admin.setEntryPolicy(stepUpEntryId, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    const bo = (await admin.listUsers()).users.find((u) => u.username === "bo")!;
    await admin.createGrant({ principal: { kind: "user", id: bo.id }, scope: { kind: "entry", id: stepUpEntryId }, permission: "use" });
    // A rule for one group (Bo has an app already), so that Dee is not sent to enrol.
    const group = await admin.createGroup("Finance team");
    await admin.addGroupMember(group.id, bo.id);
    await admin.setMfaEnforcement({ scope: "groups", groupIds: [group.id], methods: ["totp", "passkey", "push"] });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** Photographs the page after axe, and says whether it is wider than the screen or shows a catalogue key. */
  async function shoot(page: Page, view: BrowserView & { name: string }, name: string): Promise<void> {
    await settleAnimations(page);
    await screenshot(page, `issue10-${name}-${view.name}`);
    await expectNoAxeViolations(page, `${name} ${view.name}`);
    problems.push(...(await layoutProblemsOf(page, `${name} ${view.name}`, ["access", "admin", "account", "shell", "entries", "people", "signIn", "errors", "problems"])));
  }

  /** Up to the password step's answer: the second step, the push number or the landing page. */
  async function typePassword(page: Page, view: BrowserView, username: string): Promise<void> {
    const isFrench = view.locale.startsWith("fr");
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(username);
    await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
    await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
  }

  async function signInWithApp(page: Page, view: BrowserView, username: string): Promise<void> {
    clock.advance(STEP_MS);
    await typePassword(page, view, username);
    await page.getByTestId("second-step-code").fill(codeOf(username));
    await page.getByTestId("second-step-code").press("Enter");
    await page.getByTestId("entries-page").waitFor();
  }

  for (const view of VIEWS) {
    it(`photographs every page and dialog in ${view.name}`, async () => {
      const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
      const page = await context.newPage();
      page.on("pageerror", (error) => problems.push(`${view.name}: ${error.message}`));

      // Dee, no second factor: Sign-in & security "off", then the Configure wizard's steps.
      await typePassword(page, view, "dee");
      await page.getByTestId("entries-page").waitFor();
      await page.goto(`${server.url}/account/security`);
      await page.getByTestId("authenticator-apps").waitFor();
      await page.getByTestId("push-devices").waitFor();
      await shoot(page, view, "security-off");
      // Past the sudo window the sign-in opened, Configure asks again through the shared dialog.
      clock.advance(SUDO_WINDOW_PASSED_MS);
      await page.getByTestId("configure-two-step").click();
      const sudo = page.getByTestId("sudo-form");
      await sudo.getByTestId("sudo-password").waitFor();
      await shoot(page, view, "wizard-sudo");
      await sudo.getByTestId("sudo-password").fill(PASSWORD);
      await sudo.getByTestId("sudo-password").press("Enter");
      await page.getByTestId("totp-qr").waitFor();
      await shoot(page, view, "wizard-app");
      await context.clearCookies();

      // Cy, a push device: the sign-in shows the number to tap.
      await typePassword(page, view, "cy");
      await page.getByTestId("push-number").waitFor();
      await shoot(page, view, "push-sign-in-number");
      await context.clearCookies();

      // Bo, an authenticator app: the second step, the recovery sign-in, then the page "on" and the step-up dialog.
      clock.advance(STEP_MS);
      await typePassword(page, view, "bo");
      await page.getByTestId("second-step-code").waitFor();
      await shoot(page, view, "second-step");
      await page.getByTestId("second-step-lost").click();
      await page.getByTestId("recovery-sign-in").waitFor();
      await shoot(page, view, "recovery-sign-in");
      await context.clearCookies();
      await signInWithApp(page, view, "bo");
      await page.getByTestId("show-code").click();
      const dialog = page.locator("[data-testid=step-up-dialog][open]");
      await dialog.getByTestId("step-up-code").waitFor();
      await shoot(page, view, "step-up-dialog");
      await dialog.getByTestId("step-up-code").press("Escape");
      await page.goto(`${server.url}/account/security`);
      await page.getByTestId("factor-list").waitFor();
      await expect.poll(() => page.getByTestId("two-step-status").textContent()).toMatch(/authenticator|authentification/);
      await shoot(page, view, "security-on");
      await context.clearCookies();

      // Ada, the administrator: the two-step verification rule.
      await signInWithApp(page, view, "ada");
      await page.goto(`${server.url}/admin/two-step`);
      await page.getByTestId("mfa-enforcement-form").waitFor();
      await shoot(page, view, "mfa-enforcement");
      await context.close();
    }, 120_000);
  }

  it("found nothing wider than the screen, no untranslated key and no page error", () => {
    expect(problems).toEqual([]);
  });
});
