// Push approval in Chromium with two browser contexts, in English light and French dark: the
// "phone" registers on Sign-in & security (password again, in the shared re-authentication dialog), the "laptop" signs in and shows a
// number, the phone sees the request arrive over its event stream and taps that number; a denial
// ends the laptop's sign-in; a request left 2 minutes (ManualClock) expires. Screenshots of each
// step go to test-results/screenshots/push-approval-*.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const VIEWS: readonly (BrowserView & { readonly name: string; readonly username: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280, username: "ada" },
  { name: "fr-dark", colorScheme: "dark", locale: "fr-FR", width: 390, username: "leo" },
];

describe.skipIf(!hasChromium)("push approval in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    for (const view of VIEWS) await signedInClient(server, view.username, "member");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  for (const view of VIEWS) {
    it(`approves with the matching number, refuses on deny, and lets a request expire (${view.name})`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const errors: string[] = [];
      const phone = await signInAs(browser, server.url, { username: view.username, password: PASSWORD }, view);
      recordPageErrors(phone, errors);
      clock.advance(11 * 60_000); // past the sudo window the sign-in opened: registering asks for the password
      await phone.goto(`${server.url}/account/security`);
      const panel = phone.getByTestId("push-devices");
      await panel.getByTestId("push-register").click();
      const sudo = phone.getByTestId("sudo-dialog");
      await sudo.getByTestId("sudo-password").waitFor();
      await screenshot(phone, `push-approval-sudo-${view.name}`);
      expect(await panel.getByTestId("push-device").count()).toBe(0); // nothing registered before the dialog is answered
      await sudo.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
      await sudo.getByRole("button", { name: isFrench ? "Confirmer" : "Confirm" }).click();
      await panel.getByTestId("push-device").waitFor();
      await panel.getByTestId("push-requests").waitFor();
      await screenshot(phone, `push-approval-registered-${view.name}`);

      /** A new context signing in with the password: it lands on the push step with a number. */
      const pendingSignIn = async (): Promise<{ laptop: Page; number: string }> => {
        const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: 1280, height: 800 } });
        const laptop = await context.newPage();
        recordPageErrors(laptop, errors);
        await laptop.goto(`${server.url}/sign-in`);
        await laptop.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(view.username);
        await laptop.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
        await laptop.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
        const number = (await laptop.getByTestId("push-number").textContent())!.trim();
        expect(number).toMatch(/^\d\d$/);
        return { laptop, number };
      };

      // Number matching: the request arrives on the phone by itself (event stream), with three numbers.
      const first = await pendingSignIn();
      await screenshot(first.laptop, `push-approval-number-${view.name}`);
      const request = panel.getByTestId("push-request");
      await request.waitFor();
      expect(await request.getByTestId("push-choice").allTextContents()).toContain(first.number);
      expect(await request.getByTestId("push-request-who").textContent()).toContain(view.username);
      await screenshot(phone, `push-approval-request-${view.name}`);
      await request.getByTestId("push-choice").filter({ hasText: new RegExp(`^${first.number}$`) }).click();
      await first.laptop.getByTestId("entries-page").waitFor();
      await panel.getByTestId("push-answered").waitFor();
      await screenshot(phone, `push-approval-approved-${view.name}`);
      await first.laptop.context().close();

      // Deny: the laptop's sign-in ends and says so.
      const second = await pendingSignIn();
      await request.waitFor();
      await request.getByTestId("push-deny").click();
      await second.laptop.getByTestId("push-ended").waitFor();
      expect(await second.laptop.getByTestId("push-ended").textContent()).toContain(isFrench ? "refusée sur votre autre appareil" : "refused on your other device");
      await screenshot(second.laptop, `push-approval-denied-${view.name}`);
      await second.laptop.context().close();

      // Expiry: 2 minutes later the laptop offers a new request.
      const third = await pendingSignIn();
      await request.waitFor();
      clock.advance(2 * 60 * 1000);
      await third.laptop.getByTestId("push-expired").waitFor();
      await screenshot(third.laptop, `push-approval-expired-${view.name}`);
      await third.laptop.getByTestId("push-resend").click();
      const renewed = (await third.laptop.getByTestId("push-number").textContent())!.trim();
      expect(renewed).toMatch(/^\d\d$/);
      await third.laptop.context().close();
      // Subscribing in a Playwright context (incognito) makes Chromium say it has no Push API there: expected.
      expect(errors.filter((e) => !/status of 40[1349]/.test(e) && !/does not support the Push API in incognito mode/.test(e))).toEqual([]);
      await phone.context().close();
    }, 60_000);
  }
});
