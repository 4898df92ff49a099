// Push approval's panel at phone width, and a re-authentication by push seen from both browsers,
// in Chromium, English light and French dark: the panel's buttons sit at the end of the line as
// every other panel's do (not flush left); the laptop, asked to confirm it is the person (sudo
// mode), shows the number, and its own panel does not list its own request; the phone says it is a
// confirmation before a sensitive change, not a sign-in, and approving it completes the change.
// Screenshots go to test-results/screenshots/push-confirmation-*.
import path from "node:path";
import { sql } from "kysely";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, SCREENSHOT_DIR, settleAnimations, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const VIEWS: readonly (BrowserView & { readonly name: string; readonly username: string })[] = [
  { name: "en-light-phone", colorScheme: "light", locale: "en-US", width: 390, username: "ada" },
  { name: "fr-dark-phone", colorScheme: "dark", locale: "fr-FR", width: 390, username: "leo" },
];

describe.skipIf(!hasChromium)("push approval's panel on a phone, and a re-authentication approved on it, in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    for (const view of VIEWS) await signedInClient(server, view.username, "member");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** Where a box's right edge is, against the right edge of the panel's content (its padding box less padding). */
  async function gapToPanelEnd(panel: Locator, box: Locator): Promise<number> {
    return box.evaluate((element, panelElement) => {
      const frame = (panelElement as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect();
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { paddingRight: string; borderRightWidth: string } }).getComputedStyle(panelElement);
      const contentRight = frame.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
      return Math.round(contentRight - (element as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right);
    }, await panel.elementHandle());
  }

  /** The push panel alone, at the size it is on the phone: what to look at. */
  const closeUp = (panel: Locator, name: string) => panel.screenshot({ path: path.join(SCREENSHOT_DIR, `push-confirmation-${name}-closeup.png`) });

  for (const view of VIEWS) {
    it(`lays the push panel out at phone width, and approves a re-authentication there as a confirmation (${view.name})`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const phone = await signInAs(browser, server.url, { username: view.username, password: PASSWORD }, view);
      recordPageErrors(phone, errors);
      await phone.goto(`${server.url}/account/security`);
      const panel = phone.getByTestId("push-devices");
      const register = panel.getByTestId("push-register");
      await register.waitFor();
      await settleAnimations(phone);
      await screenshot(phone, `push-confirmation-panel-${view.name}`);
      await closeUp(panel, `panel-${view.name}`);
      // At the end of the line, as the passkeys panel's "Add" is: not flush left.
      expect(await gapToPanelEnd(panel, register), "the register button's gap to the panel's end").toBe(0);
      expect(await gapToPanelEnd(phone.getByTestId("account-passkeys"), phone.getByTestId("passkey-add"))).toBe(0);
      await register.click();
      const device = panel.getByTestId("push-device");
      await device.waitFor();
      await settleAnimations(phone);
      expect(await gapToPanelEnd(panel, device.getByTestId("push-device-remove")), "the remove button's gap to the panel's end").toBe(0);
      await screenshot(phone, `push-confirmation-registered-${view.name}`);
      await closeUp(panel, `registered-${view.name}`);
      await expectNoAxeViolations(phone, `push panel registered (${view.name})`);

      // The laptop signs in, approved on the phone's panel, and registers itself (its fresh sign-in is sudo mode).
      const laptop = await (await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: 1280, height: 800 } })).newPage();
      recordPageErrors(laptop, errors);
      await laptop.goto(`${server.url}/sign-in`);
      await laptop.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(view.username);
      await laptop.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
      await laptop.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
      const signInNumber = (await laptop.getByTestId("push-number").textContent())!.trim();
      const onPhone = panel.getByTestId("push-request");
      await onPhone.waitFor();
      expect(await onPhone.getAttribute("data-purpose")).toBe("sign_in");
      await onPhone.getByTestId("push-choice").filter({ hasText: new RegExp(`^${signInNumber}$`) }).click();
      await laptop.getByTestId("entries-page").waitFor();
      await laptop.goto(`${server.url}/account/security`);
      await laptop.getByTestId("push-devices").getByTestId("push-register").click();
      await expect.poll(() => laptop.getByTestId("push-devices").getByTestId("push-device").count(), { timeout: 10_000 }).toBe(2);

      // Past the sudo window: removing the phone asks to confirm it is the person, with push on the other device.
      await withRawDatabase(db, (raw) => sql`update sessions set reauthenticated_at = null`.execute(raw));
      const laptopPanel = laptop.getByTestId("push-devices");
      await laptopPanel.getByTestId("push-device").filter({ hasNotText: isFrench ? "Ce navigateur" : "This browser" }).getByTestId("push-device-remove").click();
      const sudo = laptop.getByTestId("sudo-dialog");
      await sudo.getByTestId("sudo-password").fill(PASSWORD);
      await sudo.getByTestId("sudo-submit").click();
      await sudo.getByTestId("sudo-push").click();
      const number = (await sudo.getByTestId("sudo-push-number").textContent())!.trim();
      expect(number).toMatch(/^\d\d$/);

      // The phone says what it is: a confirmation before a sensitive change, not a sign-in.
      await onPhone.waitFor();
      expect(await onPhone.getAttribute("data-purpose")).toBe("reauthentication");
      expect((await onPhone.getByRole("heading").textContent())?.replace(/\s/g, " ")).toBe(isFrench ? "Est-ce bien vous qui confirmez une modification ?" : "Is this you confirming a change?");
      expect(await onPhone.getByTestId("push-request-who").textContent()).toBe(
        isFrench
          ? `${view.username} veut confirmer que c’est bien vous avant une modification sensible (comme les paramètres de sécurité), depuis 127.0.0.1 avec Chrome sous Linux.`
          : `${view.username} wants to confirm it’s you before a sensitive change (such as security settings), from 127.0.0.1 with Chrome on Linux.`,
      );
      expect(await phone.getByText(isFrench ? "se connecte" : "is signing in").count()).toBe(0);
      await settleAnimations(phone);
      await screenshot(phone, `push-confirmation-request-${view.name}`);
      await closeUp(panel, `request-${view.name}`);
      await expectNoAxeViolations(phone, `push confirmation request (${view.name})`);
      // The laptop is a registered device too, but its own request is not listed there.
      expect(await laptopPanel.getByTestId("push-request").count()).toBe(0);
      await screenshot(laptop, `push-confirmation-asking-${view.name}`);

      await onPhone.getByTestId("push-choice").filter({ hasText: new RegExp(`^${number}$`) }).click();
      await expect.poll(() => panel.getByTestId("push-answered").textContent(), { timeout: 10_000 }).toBe(isFrench ? "Confirmation approuvée." : "Confirmation approved.");
      // Confirmed: the removal went through, and the laptop is the only device left.
      await expect.poll(() => laptopPanel.getByTestId("push-device").count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => sudo.isVisible()).toBe(false);

      // The laptop, now the only device, cannot confirm on itself: its dialog offers no push, and says why.
      await withRawDatabase(db, (raw) => sql`update sessions set reauthenticated_at = null`.execute(raw));
      await laptopPanel.getByTestId("push-device-remove").click();
      await sudo.getByTestId("sudo-password").fill(PASSWORD);
      await sudo.getByTestId("sudo-submit").click();
      await expect.poll(() => sudo.getByTestId("sudo-error").textContent(), { timeout: 10_000 }).toContain(isFrench ? "Seul ce navigateur est configuré" : "Only this browser is set up for push approval");
      expect(await sudo.getByTestId("sudo-push").count()).toBe(0);
      await screenshot(laptop, `push-confirmation-only-device-${view.name}`);
      await laptop.context().close();
      await phone.context().close();
    }, 90_000);
  }

  it("logged no errors in the browser console", () => {
    // A sudo refusal and the event stream's end answer 4xx, which Chromium reports as failed loads.
    expect(errors.filter((e) => !/status of 40[01349]/.test(e))).toEqual([]);
  });
});
