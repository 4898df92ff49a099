// Step-up by push approval in Chromium with two browser contexts, in English light and French dark
// (phone width): a person whose only second factor is push approval opens an entry that asks for a
// fresh second factor before each code; the step-up dialog offers "Send a request to my device"
// (no code field), shows the number, and once the "phone" taps it the code shows. Revealing the
// entry's secret field asks in the same dialog: a denial is said, a new request is approved, the
// value shows. A request left 2 minutes (ManualClock) expires. Screenshots of each step go to
// test-results/screenshots/step-up-push-*.
import * as OTPAuth from "otpauth";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, settleAnimations, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PLANTED = "portal-password-planted-5521";
const VIEWS: readonly (BrowserView & { readonly name: string; readonly username: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280, username: "mia" },
  { name: "fr-dark-phone", colorScheme: "dark", locale: "fr-FR", width: 375, username: "leo" },
];

describe.skipIf(!hasChromium)("step-up by push approval in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  const clock = new ManualClock(Date.now());
  const ids = { vault: "", portal: "", payroll: "" };
  const codeNow = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SEED), digits: 6, period: 30 }).generate({ timestamp: clock.now() });

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    const admin = await signedInClient(server, "ada", "admin");
    for (const view of VIEWS) await signedInClient(server, view.username, "member");
    ids.vault = (await admin.createEntry({ name: "AWS root", issuer: "Amazon", account: "root@acme.example", seed: { secret: SEED } })).entry.id;
    ids.portal = (await admin.createEntry({ name: "Bank portal", templateId: "web-app-otp", seed: { secret: SEED }, fields: { password: PLANTED } })).entry.id;
    ids.payroll = (await admin.createEntry({ name: "Payroll", seed: { secret: SEED } })).entry.id;
    const users = (await admin.listUsers()).users;
    for (const entryId of Object.values(ids)) {
      await admin.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
      for (const view of VIEWS) await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === view.username)!.id }, scope: { kind: "entry", id: entryId }, permission: "use" });
    }
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  for (const view of VIEWS) {
    it(`steps up with the matching number for a code and a secret field; a denial and an expiry are said (${view.name})`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const errors: string[] = [];
      // The laptop signs in first, with the password alone; then the phone turns push approval on
      // (the sign-in opened sudo mode), and push becomes the person's only second factor.
      const laptop = await signInAs(browser, server.url, { username: view.username, password: PASSWORD }, view);
      recordPageErrors(laptop, errors);
      const phone = await signInAs(browser, server.url, { username: view.username, password: PASSWORD }, { ...view, width: 390 });
      recordPageErrors(phone, errors);
      await phone.goto(`${server.url}/account/security`);
      const panel = phone.getByTestId("push-devices");
      await panel.getByTestId("push-register").click();
      await panel.getByTestId("push-requests").waitFor();
      const request = panel.getByTestId("push-request");
      /** The phone taps the number the laptop shows, once the request arrives over its event stream. */
      const tap = async (number: string) => {
        await request.waitFor();
        expect(await request.getByTestId("push-choice").allTextContents()).toContain(number);
        await request.getByTestId("push-choice").filter({ hasText: new RegExp(`^${number}$`) }).click();
        await request.waitFor({ state: "detached" });
      };

      // A code: the dialog offers the push request only (no authenticator app), then shows the number.
      await laptop.goto(`${server.url}/entries/${ids.vault}`);
      await laptop.getByTestId("show-code").click();
      const dialog = laptop.locator("[data-testid=step-up-dialog][open]");
      const send = dialog.getByTestId("step-up-push");
      await send.waitFor();
      expect(await send.textContent()).toBe(isFrench ? "Envoyer une demande à mon appareil" : "Send a request to my device");
      expect(await dialog.getByTestId("step-up-code").count()).toBe(0);
      await settleAnimations(laptop);
      await expectNoAxeViolations(laptop, "the step-up dialog with push");
      await screenshot(laptop, `step-up-push-dialog-${view.name}`);
      await send.click();
      const number = (await dialog.getByTestId("step-up-push-number").textContent())!.trim();
      expect(number).toMatch(/^\d\d$/);
      await settleAnimations(laptop);
      await screenshot(laptop, `step-up-push-number-${view.name}`);
      await request.waitFor();
      // The phone says what it approves: a step-up before a code, not a sign-in.
      expect(await request.getByRole("heading").textContent()).toBe(isFrench ? "Est-ce bien vous qui demandez un code\u00a0?" : "Is this you asking for a code?");
      await screenshot(phone, `step-up-push-request-${view.name}`);
      await tap(number);
      await expect.poll(() => laptop.getByTestId("entry-code").textContent(), { timeout: 10_000 }).toContain(codeNow().slice(0, 3));
      expect((await laptop.getByTestId("entry-code").textContent())!.replace(/\D/g, "")).toBe(codeNow());
      await expect.poll(() => dialog.count()).toBe(0);
      await screenshot(laptop, `step-up-push-code-${view.name}`);

      // A secret field asks in the same dialog; the phone denies, the dialog says so and offers a new request.
      await laptop.goto(`${server.url}/entries/${ids.portal}`);
      const field = laptop.getByTestId("secret-field-password");
      await field.getByRole("button", { name: isFrench ? "Révéler" : "Reveal" }).first().click();
      await field.getByRole("textbox").fill("Paying an invoice");
      await field.getByRole("button", { name: isFrench ? "Révéler" : "Reveal" }).last().click();
      // The dialog says what it is for: a secret field, not a code.
      await expect.poll(() => dialog.textContent()).toContain(isFrench ? "«\u00a0Bank portal\u00a0» demande un second facteur récent avant d’afficher ses champs secrets." : "“Bank portal” asks for a fresh second factor before its secret fields are shown.");
      await dialog.getByTestId("step-up-push").click();
      await dialog.getByTestId("step-up-push-number").waitFor();
      await request.waitFor();
      await request.getByTestId("push-deny").click();
      await expect.poll(() => dialog.getByTestId("step-up-push-error").textContent(), { timeout: 10_000 }).toContain(isFrench ? "refusée sur votre autre appareil" : "refused on your other device");
      expect(await dialog.getByTestId("step-up-push-number").count()).toBe(0);
      await settleAnimations(laptop);
      await screenshot(laptop, `step-up-push-denied-${view.name}`);
      expect(await dialog.getByTestId("step-up-push").textContent()).toBe(isFrench ? "Envoyer une nouvelle demande" : "Send a new request");
      await dialog.getByTestId("step-up-push").click();
      await tap((await dialog.getByTestId("step-up-push-number").textContent())!.trim());
      await expect.poll(() => field.getByTestId("revealed-value").textContent(), { timeout: 10_000 }).toContain(PLANTED);
      await screenshot(laptop, `step-up-push-revealed-${view.name}`);

      // Expiry: 2 minutes later the dialog says the request expired.
      await laptop.goto(`${server.url}/entries/${ids.payroll}`);
      await laptop.getByTestId("show-code").click();
      await dialog.getByTestId("step-up-push").click();
      await dialog.getByTestId("step-up-push-number").waitFor();
      clock.advance(2 * 60 * 1000);
      await expect.poll(() => dialog.getByTestId("step-up-push-error").textContent(), { timeout: 10_000 }).toContain(isFrench ? "La demande a expiré" : "The request expired");
      await settleAnimations(laptop);
      await screenshot(laptop, `step-up-push-expired-${view.name}`);

      // The only errors are the refusals this story asks for: the code and the field before the step-up.
      expect(errors.filter((e) => !/status of 403 .*\/api\/v1\/entries\/[0-9a-f-]+\/(code|fields\/password\/reveal)\)$/.test(e) && !/does not support the Push API in incognito mode/.test(e))).toEqual([]);
      await laptop.context().close();
      await phone.context().close();
    }, 60_000);
  }
});
