// Two things a new user tripped over, in a real browser: the add-entry dialog's tabs must not
// jump as the panel below them changes height, and a session that ended in another tab must lead
// to sign-in and back to where the person was, instead of a stale page that cannot recover.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "saffron-glacier-outpost-88";

describe.skipIf(!hasChromium)("the add-entry dialog and ended sessions in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let api: WatchwordClient;
  let hotpId: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-session-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" });
    api = createClient({ baseUrl: server.url, token: signedIn.token! });
    hotpId = (await api.createEntry({ name: "Registrar", seed: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", type: "hotp" } })).entry.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (view: BrowserView): Promise<Page> => signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view);

  const views: readonly (BrowserView & { name: string })[] = [
    { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280 },
    { name: "fr-dark-phone", colorScheme: "dark", locale: "fr-FR", width: 390 },
  ];

  it.each(views)("keeps the add-entry dialog's tab bar in place across its tabs ($name)", async (view) => {
    const page = await signIn(view);
    await page.getByTestId("add-entry").click();
    const dialog = page.getByTestId("add-entry-dialog");
    const tabBar = dialog.getByRole("tablist");
    await tabBar.waitFor();
    const tops: Record<string, number> = {};
    for (const tab of ["key", "link", "qr", "camera", "key"]) {
      await dialog.getByTestId(`tab-${tab}`).click();
      // Past the opening animation and any layout the new panel causes.
      await page.waitForTimeout(350);
      tops[tab] = Math.round((await tabBar.boundingBox())!.y);
      await screenshot(page, `add-entry-tab-${tab}-${view.name}`);
    }
    expect(new Set(Object.values(tops)).size, JSON.stringify(tops)).toBe(1);
    await page.context().close();
  });

  it("sends a page whose session ended in another tab to sign-in, then back to that page", async () => {
    const page = await signIn({ colorScheme: "light", locale: "en-US", width: 1280 });
    await page.goto(`${server.url}/entries/${hotpId}`);
    await page.getByTestId("entry-page").waitFor();
    // The same browser, another tab: signing out there ends the session this tab relies on.
    const other = await page.context().newPage();
    await other.goto(`${server.url}/`);
    await other.getByTestId("entries-page").waitFor();
    await other.getByTestId("user-menu-button").click();
    await other.getByRole("button", { name: "Sign out" }).click();
    await other.waitForURL(/\/sign-in$/);

    await page.bringToFront();
    await page.getByTestId("show-code").click();
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/entries/${hotpId}`);
    await page.getByTestId("session-ended").waitFor();
    expect(await page.getByTestId("session-ended").textContent()).toMatch(/session ended/i);
    await screenshot(page, "session-ended-en-light");

    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === `/entries/${hotpId}`);
    await page.getByTestId("show-code").click();
    await expect.poll(async () => ((await page.getByTestId("code-panel").getByTestId("entry-code").textContent()) ?? "").replace(/\s/g, "")).toMatch(/^\d{6}$/);
    await page.context().close();
  });

  it("notices an ended session when the person comes back to a page that asks nothing by itself (French)", async () => {
    const page = await signIn({ colorScheme: "dark", locale: "fr-FR", width: 390 });
    await page.goto(`${server.url}/admin/templates`);
    await page.getByTestId("templates-page").waitFor();
    const other = await page.context().newPage();
    await other.goto(`${server.url}/`);
    await other.getByTestId("entries-page").waitFor();
    await other.getByTestId("user-menu-button").click();
    await other.getByRole("button", { name: "Se déconnecter" }).click();
    await other.waitForURL(/\/sign-in$/);

    await page.bringToFront();
    // What a browser fires when the person switches back to this tab.
    await page.evaluate('document.dispatchEvent(new Event("visibilitychange"))');
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === "/admin/templates");
    expect(await page.getByTestId("session-ended").textContent()).toMatch(/session a pris fin/);
    await screenshot(page, "session-ended-fr-dark-phone");
    await page.getByLabel("Nom d’utilisateur").fill("ada");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL((url) => url.pathname === "/admin/templates");
    await page.getByTestId("templates-page").waitFor();
    await page.context().close();
  });
});
