// The first-run story in a real browser: start a fresh server, follow the setup link, create the
// administrator, sign out and in again, see the empty "My entries" page, in both languages and themes.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, screenshot } from "../support/browser.js";
import { cleanEnv, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "saffron-glacier-outpost-88";

describe.skipIf(!hasChromium)("first run in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let setupLink: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-"));
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    setupLink = /(http:\/\/\S+\/setup#token=\S+)/.exec(server.output())?.[1] ?? "";
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function newPage(options: { locale?: string; colorScheme?: "light" | "dark"; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale ?? "en-US",
      colorScheme: options.colorScheme ?? "light",
      viewport: { width: options.width ?? 1280, height: 800 },
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    return page;
  }

  it("prints a setup link", () => {
    expect(setupLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup#token=[A-Za-z0-9_-]{43}$/);
  });

  it("creates the administrator from the setup link, then signs out and in again", async () => {
    const page = await newPage();
    await page.goto(setupLink);
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill("not the same password");
    await page.getByRole("button", { name: "Create administrator" }).click();
    await expect.poll(() => page.getByText(/do not match/i).count()).toBeGreaterThan(0);
    await screenshot(page, "setup-mismatch-en-light");

    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create administrator" }).click();
    await page.getByRole("heading", { name: "My entries" }).waitFor();
    await screenshot(page, "entries-empty-en-light");
    const cookies = await page.context().cookies();
    // The session, and the device token that keeps this browser a known device (only ever sent to this server, never to scripts).
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite]).sort()).toEqual([
      ["__Host-ww_device", true, true, "Strict"],
      ["__Host-ww_session", true, true, "Strict"],
    ]);

    await page.getByTestId("user-menu-button").click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill("wrong password entirely");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The username or password is incorrect.").waitFor();
    await screenshot(page, "sign-in-error-en-light");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My entries" }).waitFor();
    expect(page.url()).toMatch(/\/$/);
  });

  it("answers the used setup link with a clear 'already set up' page", async () => {
    const page = await newPage();
    await page.goto(setupLink);
    await page.getByText(/already set up/i).first().waitFor();
    await screenshot(page, "setup-used-en-light");
  });

  it("speaks French and follows a dark system theme, also at phone width", async () => {
    const page = await newPage({ locale: "fr-FR", colorScheme: "dark", width: 375 });
    await page.goto(setupLink.replace(/\/setup#.*/, "/sign-in"));
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    const background = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(200); // dark
    await screenshot(page, "sign-in-fr-dark-phone");
    await page.getByLabel("Nom d’utilisateur").fill("ada");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Mes entrées" }).waitFor();
    await screenshot(page, "entries-empty-fr-dark-phone");
  });

  it("switches language from the page and remembers it", async () => {
    const page = await newPage();
    await page.goto(setupLink.replace(/\/setup#.*/, "/sign-in"));
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.getByLabel("Language").selectOption({ label: "Français" });
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await page.reload();
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    await screenshot(page, "sign-in-fr-light");
  });

  it("logged no errors in the browser console", () => {
    // A failed sign-in answers 401, which Chromium reports as a failed resource load: expected.
    expect(pageErrors.filter((e) => !/status of 401|status of 409/.test(e))).toEqual([]);
  });
});
