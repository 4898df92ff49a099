// Administrators must have a second factor once others use the vault (issue 10), in Chromium: an
// administrator without one signs in after a member exists and lands on Sign-in & security with a
// notice saying why (English, then French for a second administrator), with nowhere else to go;
// once an authenticator app is enrolled, "Continue" opens Watchword. The administrators' two-step
// page shows the rule as always on, not as a setting.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { signedInApiClient } from "../support/admin-authenticator.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, screenshot, settleAnimations, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const EN: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 390 };

describe.skipIf(!hasChromium)("an administrator without a second factor, once others use the vault, in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    for (const [username, role] of [["ada", "admin"], ["cy", "admin"], ["bo", "member"]] as const) {
      await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, Date.now());
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  async function typePassword(view: BrowserView, username: string): Promise<Page> {
    const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
    const page = await context.newPage();
    // Page errors only: Sign-in & security's recovery-method and sessions panels are refused (403) to an enrolling session, as for the rule's.
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const isFrench = view.locale.startsWith("fr");
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(username);
    await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
    await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
    return page;
  }

  it("leads an administrator to enrol, says why, and opens Watchword once they have (English)", async () => {
    const page = await typePassword(EN, "ada");
    const notice = page.getByTestId("enrolment-required");
    await notice.waitFor();
    expect(new URL(page.url()).pathname).toBe("/account/security");
    expect(await page.getByTestId("enrolment-reason").textContent()).toBe(
      "Administrators must use two-step verification once anyone else uses this vault. Add a second factor below (an authenticator app, a passkey or push approval), then save your recovery codes; the rest of Watchword opens once that is done.",
    );
    expect(await notice.textContent()).toContain("Methods that count: Authenticator app, Passkey or security key, Push approval.");
    // Nowhere else to go: no main navigation, and another page leads back here.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").count()).toBe(0);
    await page.getByTestId("configure-two-step").waitFor();
    await settleAnimations(page);
    await screenshot(page, "administrator-enrolment-en-light");
    await expectNoAxeViolations(page, "administrator enrolment (en)");
    await page.goto(`${server.url}/admin/users`);
    await notice.waitFor();
    expect(new URL(page.url()).pathname).toBe("/account/security");

    // An authenticator app enrolled (through the API, as the TOTP enrolment e2e does it in the page): Continue opens the app.
    await signedInApiClient(server.url, "ada", PASSWORD);
    await page.getByTestId("enrolment-continue").click();
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(false);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).waitFor();

    // The administrators' two-step page: the rule is shown as always on, not as a toggle.
    await page.goto(`${server.url}/admin/two-step`);
    const rule = page.getByTestId("mfa-enforcement-admin-rule");
    await rule.waitFor();
    expect(await rule.textContent()).toContain("Always on");
    expect(await rule.locator("input").count()).toBe(0);
    await settleAnimations(page);
    await screenshot(page, "administrator-rule-en-light");
    await page.context().close();
  });

  it("says the same in French to another administrator, and shows the rule as always on", async () => {
    const page = await typePassword(FR, "cy");
    const notice = page.getByTestId("enrolment-required");
    await notice.waitFor();
    expect(await page.getByTestId("enrolment-reason").textContent()).toBe(
      "Les administrateurs doivent utiliser la validation en deux étapes dès que quelqu’un d’autre utilise ce coffre. Ajoutez ci-dessous un second facteur (une application d’authentification, une clé d’accès ou l’approbation par notification), puis enregistrez vos codes de secours\u00a0; le reste de Watchword s’ouvre ensuite.",
    );
    await page.getByTestId("configure-two-step").waitFor();
    await settleAnimations(page);
    await screenshot(page, "administrator-enrolment-fr-dark-phone");
    await expectNoAxeViolations(page, "administrator enrolment (fr)");
    await signedInApiClient(server.url, "cy", PASSWORD);
    await page.getByTestId("enrolment-continue").click();
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(false);
    await page.goto(`${server.url}/admin/two-step`);
    const rule = page.getByTestId("mfa-enforcement-admin-rule");
    await rule.waitFor();
    expect(await rule.textContent()).toContain("Toujours active");
    await settleAnimations(page);
    await screenshot(page, "administrator-rule-fr-dark-phone");
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
