// Admin → Service accounts in Chromium: an administrator creates a service account and a token,
// sees the token once with a copy button (the clipboard holds it, the page forgets it), sees its
// scope and its last use after a script called, revokes it (the script is refused at once) and
// disables the account; in English and French, light and dark, at phone width; members are told
// the page is for administrators. The token's entries are searched on the server as one types (the
// first 20 matches, asked once typing pauses), never by loading every entry.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NBSP = "\u00a0";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 390 };

describe.skipIf(!hasChromium)("Admin → Service accounts in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  let entryId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-service-accounts-"));
    for (const [name, role] of [["ada", "admin"], ["max", "member"]] as const) {
      await runCli(["user", "add", name, "--role", role, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    // Others exist: the administrator signs in with the test authenticator (admin-authenticator.ts).
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
    entryId = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED } })).entry.id;
    await admin.createEntry({ name: "Bank portal", seed: { secret: SEED } });
    await admin.createFolder({ name: "Cloud roots" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(username: string, view: BrowserView, grantClipboard = false): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view, { grantClipboard });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }
  const callAsScript = (token: string) => fetch(`${server.url}/api/v1/entries/${entryId}/code`, { headers: { authorization: `Bearer ${token}` } });

  it("creates a service account and a token shown once, shows its last use, revokes it and disables the account", async () => {
    const page = await signIn("ada", EN_LIGHT, true);
    const listRequests: URLSearchParams[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/v1/entries") listRequests.push(url.searchParams);
    });
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("link", { name: "Service accounts" }).click();
    await page.getByTestId("service-accounts-empty").waitFor();
    await screenshot(page, "service-accounts-empty-en-light");

    await page.getByTestId("new-service-account").click();
    await page.getByTestId("create-service-account").click();
    expect(await page.getByTestId("new-service-account-form").textContent()).toContain("Enter a name for the service account.");
    await page.getByTestId("service-account-name-input").fill("deploy-bot");
    await page.getByLabel(/Description/).fill("Release pipeline");
    await page.getByTestId("create-service-account").click();
    await page.getByTestId("service-account").waitFor();
    expect(await page.getByTestId("service-account-state").textContent()).toBe("Enabled");

    await page.getByTestId("new-token").click();
    await page.getByTestId("create-token").click();
    expect(await page.getByTestId("token-form-error").textContent()).toBe("Name at least one entry or folder the token may reach.");
    await page.getByTestId("token-label").fill("CI");
    const form = page.getByTestId("new-token-form");
    const offered = () => form.getByTestId("token-entry").evaluateAll((inputs) => inputs.map((input) => input.parentElement?.textContent ?? ""));
    await expect.poll(offered).toEqual(["AWS root", "Bank portal"]);
    const before = listRequests.length;
    await page.getByTestId("token-entry-search").pressSequentially("aws", { delay: 40 });
    await expect.poll(offered).toEqual(["AWS root"]);
    expect(listRequests.slice(before).map((search) => search.toString())).toEqual(["view=all&limit=20&q=aws"]);
    await page.getByRole("checkbox", { name: "AWS root" }).check();
    // Another search: the entry chosen stays listed, first, and checked.
    await page.getByTestId("token-entry-search").fill("bank");
    await expect.poll(offered).toEqual(["AWS root", "Bank portal"]);
    expect(await page.getByRole("checkbox", { name: "AWS root" }).isChecked()).toBe(true);
    await page.getByTestId("token-entry-search").fill("zzqxv");
    await expect.poll(offered).toEqual(["AWS root"]);
    expect(listRequests.every((search) => search.get("limit") === "20" && !search.has("cursor"))).toBe(true);
    await page.getByTestId("token-permission-recover").check();
    await page.getByTestId("token-cidrs").fill("10.0.0.0/99");
    await page.getByTestId("create-token").click();
    await expect.poll(() => page.getByTestId("token-form-error").textContent()).toMatch(/prefix length/);
    await page.getByTestId("token-cidrs").fill("127.0.0.1/32, ::1/128");
    await screenshot(page, "service-accounts-new-token-en-light");
    await page.getByTestId("create-token").click();

    const shown = page.getByTestId("created-token-value");
    await shown.waitFor();
    const token = ((await shown.textContent()) ?? "").trim();
    expect(token).toMatch(/^ww_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("copy-token").click();
    await expect.poll(() => page.getByTestId("copy-token").textContent()).toBe("Copied");
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(token);
    await screenshot(page, "service-accounts-token-shown-once-en-light");
    await page.getByTestId("dismiss-token").click();
    expect(await page.content()).not.toContain(token);
    expect(await page.getByTestId("token-row-scope").textContent()).toBe("Get codes, Reveal recovery codes — AWS root");
    expect(await page.getByTestId("token-row-last-use").textContent()).toBe("Never used");

    // A script calls (no grant yet, so no code), and the page shows when and from where.
    const refused = await callAsScript(token);
    expect(refused.status).toBe(403);
    await page.reload();
    await page.getByTestId("token-row").waitFor();
    expect(await page.getByTestId("token-row-last-use").textContent()).toMatch(/^Last used .+ from 127\.0\.0\.1$/);
    expect(await page.content()).not.toContain(token);

    await page.getByTestId("revoke-token").click();
    await page.getByTestId("confirm-revoke-token").click();
    await expect.poll(() => page.getByTestId("token-row-state").textContent()).toBe("Revoked");
    expect(((await (await callAsScript(token)).json()) as { key: string }).key).toBe("api_token_revoked");

    await page.getByTestId("disable-service-account").click();
    await expect.poll(() => page.getByTestId("service-account-state").textContent()).toBe("Disabled");
    expect(await page.getByTestId("new-token").count()).toBe(0);
    await screenshot(page, "service-accounts-list-en-light");
    await page.getByTestId("enable-service-account").click();
    await expect.poll(() => page.getByTestId("service-account-state").textContent()).toBe("Enabled");
    await page.context().close();
  });

  it("says the page in French at phone width in the dark theme, and tells members it is for administrators", async () => {
    const page = await signIn("ada", FR_DARK_PHONE);
    await page.goto(`${server.url}/admin/service-accounts`);
    await page.getByTestId("service-account").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Comptes de service");
    expect(await page.getByTestId("token-row-state").textContent()).toBe("Révoqué");
    await page.getByTestId("new-token").click();
    await page.getByTestId("create-token").click();
    expect(await page.getByTestId("token-form-error").textContent()).toBe("Indiquez au moins une entrée ou un dossier que le jeton peut atteindre.");
    await page.getByRole("checkbox", { name: "Cloud roots" }).check();
    await page.getByTestId("create-token").click();
    await page.getByTestId("created-token").waitFor();
    expect(await page.getByTestId("created-token").textContent()).toContain(`Jeton pour «${NBSP}deploy-bot${NBSP}» créé${NBSP}: copiez-le maintenant`);
    await screenshot(page, "service-accounts-token-shown-once-fr-dark-phone");
    await page.getByTestId("dismiss-token").click();
    expect(await page.getByTestId("token-row-scope").first().textContent()).toBe(`Obtenir des codes — dossier «${NBSP}Cloud roots${NBSP}»`);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, "service-accounts-list-fr-dark-phone");
    await page.context().close();

    const member = await signIn("max", EN_LIGHT);
    await member.goto(`${server.url}/admin/service-accounts`);
    await member.getByTestId("service-accounts-admins-only").waitFor();
    await screenshot(member, "service-accounts-admins-only-en-light");
    await member.context().close();
    expect(pageErrors).toEqual([]);
  });
});
