// The header's account menu in Chromium: a button that says whether it is open, a panel with the
// person's name, username and role, the language and "Sign out"; Escape, a click elsewhere and
// focus leaving close it, and focus returns to the button. English and French, light and dark,
// desktop and phone width, axe-clean.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "saffron-glacier-outpost-88";

describe.skipIf(!hasChromium)("the account menu in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-menu-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--display-name", "Ada Lovelace", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "max", "--role", "member", "--display-name", "Maximilien de Robespierre-Longuenom", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(username: string, view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view);
    recordPageErrors(page, pageErrors);
    return page;
  }
  const activeTestId = (page: Page): Promise<unknown> => page.evaluate("document.activeElement?.dataset.testid");

  it("opens and closes like a disclosure, says who is signed in, switches the language and signs out", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    const button = page.getByTestId("user-menu-button");
    const panel = page.getByTestId("user-menu");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("button", { name: "Ada Lovelace Administrator Account menu" }).count()).toBe(1);
    expect(await panel.isVisible()).toBe(false);

    await button.click();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    expect(await button.getAttribute("aria-controls")).toBe(await panel.getAttribute("id"));
    const account = panel.getByTestId("signed-in-user");
    expect(await account.textContent()).toBe("Signed in as Ada LovelaceadaAdministrator");
    // Two links: the Account page, and Sign-in & security.
    expect(await panel.getByRole("link").allTextContents()).toEqual(["Account", "Sign-in & security"]);
    expect(await panel.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(["/account", "/account/security"]);
    expect(await panel.getByRole("button").allTextContents()).toEqual(["English", "Français", "Sign out"]);
    expect(await panel.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "user-menu-open-en-light");
    await expectNoAxeViolations(page, "account menu open");

    // Escape closes it and gives focus back to the button.
    await panel.getByRole("button", { name: "Français" }).focus();
    await page.keyboard.press("Escape");
    expect(await panel.isVisible()).toBe(false);
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await activeTestId(page)).toBe("user-menu-button");

    // From the keyboard: Enter opens, Tab goes into the panel (Account, Sign-in & security, English, Français), Enter chooses French.
    await page.keyboard.press("Enter");
    expect(await panel.isVisible()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await activeTestId(page)).toBe("account-link");
    await page.keyboard.press("Tab");
    expect(await activeTestId(page)).toBe("security-menu-link");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await activeTestId(page)).toBe("language-fr");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link").first().textContent()).toBe("Mes entrées");
    expect(await panel.getByRole("button", { name: "Français" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("button", { name: "Ada Lovelace Administrateur Menu du compte" }).count()).toBe(1);
    await screenshot(page, "user-menu-open-fr-light");

    // A click elsewhere closes it; so does focus moving out of it.
    await page.getByTestId("entries-page").click({ position: { x: 5, y: 5 } });
    expect(await panel.isVisible()).toBe(false);
    await button.click();
    await page.getByTestId("add-entry").focus();
    expect(await panel.isVisible()).toBe(false);

    // Back to English for the next people on this browser, then sign out from the menu.
    await button.click();
    await panel.getByRole("button", { name: "English" }).click();
    await panel.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.context().close();
  });

  it("fits a long name at phone width, in French and dark", async () => {
    const page = await signIn("max", { colorScheme: "dark", locale: "fr-FR", width: 375 });
    const button = page.getByTestId("user-menu-button");
    const box = await button.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await screenshot(page, "user-menu-closed-fr-dark-phone");
    await button.click();
    const panel = page.getByTestId("user-menu");
    expect(await panel.getByTestId("signed-in-user").textContent()).toBe("Connecté en tant que Maximilien de Robespierre-LonguenommaxMembre");
    const panelBox = await panel.boundingBox();
    expect(panelBox!.x).toBeGreaterThanOrEqual(0);
    expect(panelBox!.x + panelBox!.width).toBeLessThanOrEqual(375);
    await screenshot(page, "user-menu-open-fr-dark-phone");
    await expectNoAxeViolations(page, "menu du compte, téléphone");
    await page.keyboard.press("Escape");
    expect(await page.evaluate("document.activeElement?.dataset.testid")).toBe("user-menu-button");
    await page.context().close();
  });

  it("saves the language chosen in the menu on the account, so the next sign-in (and mail) uses it", async () => {
    const asMax = async () => {
      const reply = await createClient({ baseUrl: server.url }).signIn({ username: "max", password: PASSWORD, client: "cli" });
      return createClient({ baseUrl: server.url, token: reply.token! });
    };
    const api = await asMax();
    await api.updateAccount({ language: null });
    const page = await signIn("max", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByTestId("user-menu-button").click();
    await page.getByTestId("user-menu").getByRole("button", { name: "Français" }).click();
    await expect.poll(() => page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link").first().textContent()).toBe("Mes entrées");
    await expect.poll(async () => (await api.getAccount()).language).toBe("fr");
    // The Account page shows the saved choice, not "the browser's language".
    await page.getByTestId("account-link").click();
    await expect.poll(() => page.locator("select[name=language]").inputValue()).toBe("fr");
    await page.getByTestId("user-menu-button").click();
    await page.getByTestId("user-menu").getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.context().close();

    // A new browser in English: signed in, the interface follows the account.
    const context = await browser.newContext({ locale: "en-US", colorScheme: "light", viewport: { width: 1280, height: 900 } });
    const next = await context.newPage();
    recordPageErrors(next, pageErrors);
    await next.goto(`${server.url}/sign-in`);
    await next.getByLabel("Username").fill("max");
    await next.getByLabel("Password").fill(PASSWORD);
    await next.getByRole("button", { name: "Sign in" }).click();
    await next.getByTestId("entries-page").waitFor();
    await expect.poll(() => next.getByRole("navigation", { name: "Navigation principale" }).getByRole("link").first().textContent()).toBe("Mes entrées");

    // Back to English from the menu: saved too.
    await next.getByTestId("user-menu-button").click();
    await next.getByTestId("user-menu").getByRole("button", { name: "English" }).click();
    await expect.poll(async () => (await api.getAccount()).language).toBe("en");
    await context.close();
  });

  it("raised no error in the pages", () => {
    expect(pageErrors).toEqual([]);
  });
});
