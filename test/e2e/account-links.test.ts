// Joining from an invitation link and one's own account in a real browser: an administrator
// invites a member through the API, the member opens the link in a browser of their own, chooses
// a password and lands signed in; changes their display name and language on the Account page;
// an administrator switches between their own entries and every entry; a used link is refused
// in the reader's language. English light and French dark, at phone width.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "saffron-glacier-outpost-88";
const MEMBER_PASSWORD = "lantern-orchard-basalt-42";
const NEW_PASSWORD = "cobalt-meadow-thistle-19";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NBSP = "\u00a0";

const EN_LIGHT_PHONE: BrowserView = { colorScheme: "light", locale: "en-US", width: 390 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 390 };

describe.skipIf(!hasChromium)("invitation links, the Account page and Mine / All entries in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  let inviteLink: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-account-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    // Others exist: the administrator signs in with the test authenticator (admin-authenticator.ts).
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
    await admin.createEntry({ name: "Ada's registrar", seed: { secret: SEED } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function newPage(view: BrowserView): Promise<Page> {
    const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
    const page = await context.newPage();
    recordPageErrors(page, pageErrors);
    return page;
  }

  it("lets an invited member choose a password from the link and lands them signed in", async () => {
    const invited = await admin.inviteUser({ username: "mia", displayName: "Mia", role: "member" });
    inviteLink = invited.link.replace(/^https?:\/\/[^/]+/, server.url);
    expect(inviteLink).toMatch(/\/join#token=/);

    const page = await newPage(EN_LIGHT_PHONE);
    await page.goto(inviteLink);
    await page.getByRole("heading", { name: "Join Watchword" }).waitFor();
    // The token is taken from the address bar as soon as the page has it.
    await expect.poll(() => page.url()).toBe(`${server.url}/join`);
    expect(await page.getByTestId("link-intro").textContent()).toContain("mia");
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Create my account" }).click();
    await page.getByText("Use at least 12 characters. This one has 5.").waitFor();
    await screenshot(page, "join-error-en-light-phone");
    await expectNoAxeViolations(page, "join page with errors");

    await page.getByLabel("New password").fill(MEMBER_PASSWORD);
    await page.getByLabel("Confirm password").fill(MEMBER_PASSWORD);
    await page.getByRole("button", { name: "Create my account" }).click();
    await page.getByTestId("entries-page").waitFor();
    await page.getByTestId("user-menu-button").click();
    expect(await page.getByTestId("signed-in-user").textContent()).toContain("mia");
    await page.context().close();
  });

  it("refuses the used invitation link in the reader's language, with the way to sign in", async () => {
    const english = await newPage(EN_LIGHT_PHONE);
    await english.goto(inviteLink);
    await english.getByTestId("link-used").waitFor();
    expect(await english.getByTestId("link-used").textContent()).toContain("This invitation link has been used already. Sign in instead.");
    await screenshot(english, "join-used-en-light-phone");
    await english.context().close();

    const french = await newPage(FR_DARK_PHONE);
    await french.goto(inviteLink);
    await french.getByTestId("link-used").waitFor();
    expect(await french.getByTestId("link-used").textContent()).toContain(`Ce lien d’invitation a déjà servi. Connectez-vous plutôt.`);
    await screenshot(french, "join-used-fr-dark-phone");
    await french.getByRole("link", { name: "Aller à la connexion" }).click();
    await french.getByRole("button", { name: "Se connecter" }).waitFor();
    await french.context().close();
  });

  it("says what is wrong with a link that never worked", async () => {
    const page = await newPage(EN_LIGHT_PHONE);
    await page.goto(`${server.url}/reset-password#token=${"x".repeat(43)}`);
    await page.getByTestId("link-invalid").waitFor();
    expect(await page.getByTestId("link-invalid").textContent()).toContain("This password-reset link is not valid or has expired.");
    await page.goto(`${server.url}/reset-password`);
    await page.getByTestId("link-incomplete").waitFor();
    await page.context().close();
  });

  it("changes the display name and language on the Account page, and signs in in that language next time", async () => {
    const page = await signInAs(browser, server.url, { username: "mia", password: MEMBER_PASSWORD }, EN_LIGHT_PHONE);
    recordPageErrors(page, pageErrors);
    // Members never see the Mine / All switch.
    expect(await page.getByTestId("entry-view").count()).toBe(0);
    await page.getByTestId("user-menu-button").click();
    await screenshot(page, "user-menu-account-en-light-phone");
    await page.getByTestId("account-link").click();
    await page.getByRole("heading", { name: "Account" }).waitFor();
    await page.getByLabel("Display name").fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Give a display name.").waitFor();
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "account-errors-en-light-phone");
    await expectNoAxeViolations(page, "account page with errors");
    // The password is changed on Sign-in & security, one link away.
    await page.getByTestId("security-link").click();
    await page.getByRole("heading", { name: "Sign-in & security" }).waitFor();
    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByLabel("Confirm password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("The current password is incorrect.").waitFor();
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "security-password-errors-en-light-phone");
    await expectNoAxeViolations(page, "sign-in & security page with a password error");
    await page.getByTestId("back-to-account").click();
    await page.getByRole("heading", { name: "Account" }).waitFor();

    await page.getByLabel("Display name").fill("Mia Durand");
    await page.getByTestId("profile-form").getByLabel("Language").selectOption("fr");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Compte" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByTestId("profile-saved").textContent()).toBe("Enregistré.");
    expect(await page.getByTestId("user-menu-button").textContent()).toContain("MD");

    await page.getByRole("link", { name: /Gérer la connexion et la sécurité/ }).click();
    await page.getByRole("heading", { name: "Connexion et sécurité" }).waitFor();
    await page.getByLabel("Mot de passe actuel").fill(MEMBER_PASSWORD);
    await page.getByLabel("Nouveau mot de passe").fill(NEW_PASSWORD);
    await page.getByLabel("Confirmer le mot de passe").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Changer le mot de passe" }).click();
    await page.getByTestId("password-changed").waitFor();
    expect(await page.getByTestId("account-password").textContent()).toContain(`ailleurs${NBSP}:`);
    await page.context().close();

    const account = await createClient({ baseUrl: server.url }).signIn({ username: "mia", password: NEW_PASSWORD, client: "cli" });
    expect(account.session.language).toBe("fr");
    expect(account.session.user.displayName).toBe("Mia Durand");

    // An English browser signs in and switches to French, the saved language.
    const again = await signInAs(browser, server.url, { username: "mia", password: NEW_PASSWORD }, { ...FR_DARK_PHONE, locale: "en-US" });
    await again.getByRole("heading", { name: "Mes entrées" }).waitFor();
    await again.goto(`${server.url}/account`);
    await again.getByRole("heading", { name: "Compte" }).waitFor();
    await screenshot(again, "account-fr-dark-phone");
    await again.context().close();
  });

  it("shows an administrator a member's private entry only under All entries, kept in the address", async () => {
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username: "mia", password: NEW_PASSWORD, client: "cli" });
    const mia = createClient({ baseUrl: server.url, token: signedIn.token! });
    await mia.createEntry({ name: "Mia's bank", seed: { secret: SEED } });

    const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, EN_LIGHT_PHONE);
    recordPageErrors(page, pageErrors);
    await page.getByText("Ada's registrar").waitFor();
    expect(await page.getByText("Mia's bank").count()).toBe(0);
    await page.getByText("All entries").click();
    await page.getByText("Mia's bank").waitFor();
    await page.getByRole("heading", { name: "Every entry in the vault" }).waitFor();
    expect(new URL(page.url()).searchParams.get("view")).toBe("all");
    await screenshot(page, "entries-all-en-light-phone");
    await expectNoAxeViolations(page, "entries with the Mine / All switch");
    await page.reload();
    await page.getByText("Mia's bank").waitFor();
    expect(await page.getByTestId("entry-view-all").isChecked()).toBe(true);
    await page.getByText("Mine", { exact: true }).click();
    await page.getByText("Ada's registrar").waitFor();
    await expect.poll(() => page.getByText("Mia's bank").count()).toBe(0);
    expect(new URL(page.url()).search).toBe("");
    await page.context().close();

    const french = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, FR_DARK_PHONE);
    await french.getByText("Toutes les entrées").click();
    await french.getByText("Mia's bank").waitFor();
    await screenshot(french, "entries-all-fr-dark-phone");
    await french.context().close();

    // A member who types ?view=all still sees only their own entries, and no switch.
    const member = await signInAs(browser, server.url, { username: "mia", password: NEW_PASSWORD }, EN_LIGHT_PHONE);
    await member.goto(`${server.url}/?view=all`);
    await member.getByText("Mia's bank").waitFor();
    expect(await member.getByText("Ada's registrar").count()).toBe(0);
    expect(await member.getByTestId("entry-view").count()).toBe(0);
    // Mia saved French on her account.
    await member.getByRole("heading", { name: "Mes entrées" }).waitFor();
    await member.context().close();
  }, 60_000);

  it("resets a password from its link in French and signs the person in", async () => {
    const mia = (await admin.listUsers()).users.find((user) => user.username === "mia");
    const reset = await admin.issuePasswordReset(mia!.id);
    const page = await newPage(FR_DARK_PHONE);
    await page.goto(reset.link.replace(/^https?:\/\/[^/]+/, server.url));
    await page.getByRole("heading", { name: "Choisissez un nouveau mot de passe" }).waitFor();
    await expect.poll(() => page.url()).toBe(`${server.url}/reset-password`);
    // Only an invitation sets the display name.
    expect(await page.getByLabel("Nom affiché").count()).toBe(0);
    await page.getByLabel("Nouveau mot de passe").fill(PASSWORD);
    await page.getByLabel("Confirmer le mot de passe").fill("autre chose encore");
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await page.getByText("Les mots de passe ne correspondent pas.").waitFor();
    await screenshot(page, "reset-form-fr-dark-phone");
    await page.getByLabel("Confirmer le mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await page.getByRole("heading", { name: "Mes entrées" }).waitFor();
    await page.context().close();
    await createClient({ baseUrl: server.url }).signIn({ username: "mia", password: PASSWORD, client: "cli" });
  });

  it("logged no errors in the browser console", () => {
    // Refused links and a wrong current password answer 4xx, which Chromium reports as failed loads: expected.
    expect(pageErrors.filter((e) => !/status of (400|404|409)/.test(e))).toEqual([]);
  });
});
