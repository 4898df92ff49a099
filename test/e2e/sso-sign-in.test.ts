// Single sign-on in Chromium: the sign-in page's button, the real provider's (oidc-provider's)
// login and consent pages, and back into Watchword signed in as a user created just then; a
// cancelled sign-in comes back said in French. Screenshots EN light, FR dark, phone; axe on
// Watchword's own pages.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";
import { freePort, startTestProvider, type TestProvider } from "../support/oidc-provider.js";

describe.skipIf(!hasChromium)("single sign-on through the provider's pages, in Chromium", () => {
  let db: TestDatabase;
  let provider: TestProvider;
  let server: TestApp;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    // In-process (the built web app is served all the same): a spawned `watchword serve` adds nothing to what this tests.
    db = await createTestDatabase("sqlite");
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    provider = await startTestProvider([`${url}/api/v1/auth/sso/callback`]);
    server = await startTestApp(db, { port, env: provider.env(url, { WATCHWORD_OIDC_LABEL: "Corp ID", WATCHWORD_OIDC_GROUP_MAP: "idp-ops=Ops" }) });
    await signedInClient(server, "root", "admin");
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    await db?.drop();
  });

  /** A context whose requests never leave this machine: the provider's page asks for a web font. */
  async function newPage(view: BrowserView): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    recordPageErrors(page, errors);
    return { context, page, errors };
  }

  async function throughProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL(/\/interaction\//);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  it("signs a new person in from the sign-in page's button, through the provider's login and consent (English, light)", async () => {
    provider.setPerson("sub-zoe", { email: "zoe@corp.example", preferredUsername: "zoe", name: "Zoé Martin", groups: ["idp-ops"] });
    const { context, page } = await newPage({ colorScheme: "light", locale: "en-US", width: 1280 });
    await page.goto(`${url}/sign-in`);
    const button = page.getByRole("link", { name: "Sign in with Corp ID" });
    await button.waitFor();
    await expectNoAxeViolations(page, "sign-in with single sign-on (EN light)");
    await screenshot(page, "sso-sign-in-en-light");
    await button.click();
    await throughProvider(page, "sub-zoe");
    await page.getByTestId("entries-page").waitFor();
    expect(new URL(page.url()).origin).toBe(url);
    await expectNoAxeViolations(page, "entries after single sign-on (EN light)");
    await screenshot(page, "sso-signed-in-en-light");
    await expect(page.getByRole("button", { name: /Zoé Martin/ }).count()).resolves.toBeGreaterThan(0);
    await context.close();
  });

  it("says in French that the sign-in was cancelled at the provider (dark)", async () => {
    const { context, page } = await newPage({ colorScheme: "dark", locale: "fr-FR", width: 1280 });
    await page.goto(`${url}/sign-in`);
    await page.getByRole("link", { name: "Se connecter avec Corp ID" }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByRole("link", { name: "[ Cancel ]" }).click();
    const alert = page.getByTestId("form-error");
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe(
      "Le fournisseur d’identité ne vous a pas laissé vous connecter (vous avez annulé, ou il a refusé). Réessayez, ou adressez-vous à un administrateur.",
    );
    await expectNoAxeViolations(page, "single sign-on cancelled (FR dark)");
    await screenshot(page, "sso-cancelled-fr-dark");
    await context.close();
  });

  it("signs the same person in again on a phone, straight after the provider's login", async () => {
    const { context, page, errors } = await newPage({ colorScheme: "light", locale: "en-US", width: 390 });
    await page.goto(`${url}/sign-in`);
    await screenshot(page, "sso-sign-in-phone");
    await page.getByRole("link", { name: "Sign in with Corp ID" }).click();
    await page.waitForURL(/\/interaction\//);
    await page.locator('input[name="login"]').fill("sub-zoe");
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    // Consent was given at the first sign-in; the provider may still ask, on a new browser session.
    await page.waitForURL((target) => target.origin === url || target.pathname.startsWith("/interaction/"));
    if (page.url().includes("/interaction/")) await page.getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("entries-page").waitFor();
    await expectNoAxeViolations(page, "entries after single sign-on (phone)");
    await screenshot(page, "sso-signed-in-phone");
    // The provider's page asks for a web font, refused above; Watchword's pages have no error.
    expect(errors.filter((error) => !error.includes("fonts.googleapis.com"))).toEqual([]);
    await context.close();
  });
});
