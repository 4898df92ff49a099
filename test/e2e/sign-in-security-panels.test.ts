// Sign-in & security's Recovery codes and Sessions panels in Chromium, in English light, French dark
// and at phone width: new codes made in sudo mode (the sign-in opened it), shown once, downloaded (the .txt file is
// read back) and copied (the clipboard is read back), closed only once "saved" is ticked; the
// sessions list in plain words, one session signed out, then every other. Screenshots for people
// (test-results/screenshots/sign-in-security-*); axe for machines.
import fs from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

const VIEWS: readonly (BrowserView & { readonly name: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280 },
  { name: "fr-dark", colorScheme: "dark", locale: "fr-FR", width: 1280 },
  { name: "en-light-phone", colorScheme: "light", locale: "en-US", width: 390 },
];

describe.skipIf(!hasChromium)("the Recovery codes and Sessions panels in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    await signedInClient(server, "ada", "admin");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** Two more places Ada is signed in, for the list to show. */
  async function signInElsewhere(): Promise<void> {
    for (const userAgent of [SAFARI_IPHONE, FIREFOX_WINDOWS]) await server.newClient({ headers: { "user-agent": userAgent } }).signIn({ username: "ada", password: PASSWORD });
  }
  const settled = (page: Page) => page.evaluate("document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(undefined))))");
  const noWiderThanScreen = async (page: Page, what: string) =>
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), `${what} fits the screen`).toBe(true);

  for (const view of VIEWS) {
    it(`makes, saves and counts recovery codes, and signs out other sessions (${view.name})`, async () => {
      await signInElsewhere();
      const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view, { grantClipboard: true });
      const errors: string[] = [];
      recordPageErrors(page, errors);
      const isFrench = view.locale.startsWith("fr");
      await page.goto(`${server.url}/account/security`);
      const panel = page.getByTestId("account-recovery-codes");
      await panel.getByTestId("recovery-codes-start").waitFor();

      // The sign-in just proved the password: sudo mode, so no password is asked again.
      await panel.getByTestId("recovery-codes-start").click();
      await panel.getByTestId("recovery-codes-submit").click();
      const shown = panel.getByTestId("recovery-codes-shown");
      await shown.waitFor();
      const codes = (await shown.getByTestId("recovery-codes-list").locator("code").allTextContents()).map((c) => c.trim());
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);

      // Download: the .txt file holds every code, with the account's name.
      const [download] = await Promise.all([page.waitForEvent("download"), shown.getByTestId("recovery-codes-download").click()]);
      expect(download.suggestedFilename()).toBe("watchword-recovery-codes-ada.txt");
      const file = await fs.readFile((await download.path())!, "utf8");
      for (const code of codes) expect(file).toContain(code);
      expect(file).toContain(isFrench ? "Codes de récupération de connexion Watchword de ada" : "Watchword sign-in recovery codes for ada");
      // Copy: the same text on the clipboard.
      await shown.getByTestId("recovery-codes-copy").click();
      await expect.poll(() => shown.getByTestId("recovery-codes-copy").textContent()).toBe(isFrench ? "Copié" : "Copied");
      expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(file);
      await settled(page);
      await noWiderThanScreen(page, "the codes shown");
      await screenshot(page, `sign-in-security-${view.name}-codes-shown`);
      await expectNoAxeViolations(page, `recovery codes shown (${view.name})`);
      if (view.name === "en-light") {
        // What Print gives: the codes alone, with the account they belong to.
        await page.emulateMedia({ media: "print" });
        await screenshot(page, `sign-in-security-${view.name}-codes-print`);
        await page.emulateMedia({ media: "screen" });
      }

      // "Done" waits for the tick.
      await shown.getByTestId("recovery-codes-done").click();
      await expect.poll(() => shown.getByText(isFrench ? "Cochez cette case une fois les codes mis en lieu sûr." : "Tick this once the codes are saved somewhere safe.").count()).toBe(1);
      await shown.getByLabel(isFrench ? "J’ai enregistré ces codes" : "I have saved these codes").check();
      await shown.getByTestId("recovery-codes-done").click();
      await expect.poll(() => panel.getByTestId("recovery-codes-status").textContent()).toMatch(isFrench ? /^10 codes restants sur 10, créés le / : /^10 of 10 codes left, made /);
      expect(await panel.getByTestId("recovery-codes-list").count()).toBe(0);

      // Sessions: this one first and marked, the others in plain words.
      const sessions = page.getByTestId("account-sessions");
      await expect.poll(() => sessions.getByTestId("session-row").count()).toBeGreaterThanOrEqual(3);
      const rows = sessions.getByTestId("session-row");
      expect(await rows.first().getAttribute("data-current")).toBe("true");
      expect(await rows.first().textContent()).toContain(isFrench ? "Chrome sous Linux" : "Chrome on Linux");
      expect(await sessions.textContent()).toContain(isFrench ? "Safari sous iOS" : "Safari on iOS");
      expect(await sessions.textContent()).toContain(isFrench ? "Firefox sous Windows" : "Firefox on Windows");
      await settled(page);
      await noWiderThanScreen(page, "the account page");
      await screenshot(page, `sign-in-security-${view.name}-account`);
      await expectNoAxeViolations(page, `account page with both panels (${view.name})`);

      const before = await rows.count();
      await sessions.getByRole("button", { name: isFrench ? "Déconnecter Safari sous iOS" : "Sign out Safari on iOS" }).first().click();
      await expect.poll(() => sessions.getByTestId("sessions-message").textContent()).toBe(isFrench ? "La session a été déconnectée." : "The session was signed out.");
      await expect.poll(() => rows.count()).toBe(before - 1);
      await sessions.getByTestId("sessions-sign-out-others").click();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await sessions.getByTestId("sessions-message").textContent()).toMatch(isFrench ? /autres? sessions? (a|ont) été déconnectées?\./ : /other sessions? (was|were) signed out\./);
      await settled(page);
      await screenshot(page, `sign-in-security-${view.name}-sessions-alone`);
      await expectNoAxeViolations(page, `sessions after signing out the others (${view.name})`);
      // The browser logs the wrong password's 400 reply itself; nothing else may go wrong.
      expect(errors.filter((e) => !/status of 400 .*\/api\/v1\/account\/recovery-codes\)$/.test(e))).toEqual([]);
      await page.context().close();
    }, 90_000);
  }
});
