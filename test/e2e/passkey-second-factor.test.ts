// A passkey as the second factor in Chromium, through its virtual authenticator (DevTools WebAuthn
// domain): once the sudo window of the sign-in has passed, adding a passkey opens the shared
// re-authentication dialog (password), and the passkey is added after it; from then on a password
// sign-in asks for the passkey ("Use a passkey or security key"), and the re-authentication dialog
// asks for it too; and a person whose only second factor is that passkey adds an authenticator app
// through "Two-step verification → Configure" once the window has passed, the same dialog taking
// the password and the passkey. WebAuthn needs a secure context and a domain, so the server is
// reached as http://localhost:PORT. Screenshots EN light and FR dark phone; axe-clean.
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import * as OTPAuth from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInApiClient } from "../support/admin-authenticator.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import type { TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const PASSWORD = "juniper-harbour-compass-61";

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

describe.skipIf(!hasChromium)("a passkey as the second factor in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let url: string;
  const pageErrors: string[] = [];
  /** The browser logs every refused request; those the flow expects (403 reauthentication_required, 400 second_factor_required) are not errors of the page. */
  const unexpectedErrors = () => pageErrors.filter((error) => !/Failed to load resource: the server responded with a status of 40[03]/.test(error));

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-passkey-factor-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--display-name", "Ada Lovelace", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "lea", "--role", "member", "--display-name", "Léa Fontaine", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "max", "--role", "member", "--display-name", "Max Weber", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    // Eva, a member with no second factor yet (administrators have the test authenticator: every one must, once others exist).
    await runCli(["user", "add", "eva", "--role", "member", "--display-name", "Eva Lind", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    const port = await freePort();
    url = `http://localhost:${port}`;
    server = await startServe(["--data-dir", dataDir, "--port", String(port)], cleanEnv({ WATCHWORD_PUBLIC_URL: url }));
    browser = await launchChromium();
  }, 120_000); // three users' argon2 hashes in CLI processes, a server and Chromium: slow on a loaded CI machine
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** The sudo window a sign-in opens has passed (as 10 minutes later), behind the server's back. */
  const endSudoWindows = () =>
    withRawDatabase({ kind: "sqlite", dataDir, databaseUrl: undefined } as unknown as TestDatabase, async (raw) => {
      await sql`update sessions set reauthenticated_at = null`.execute(raw);
    });

  async function addPasskeyThroughSudo(page: Page, name: string, labels: { name: string; go: string; password: string; confirm: string }, shot: string): Promise<void> {
    await page.goto(`${url}/account/security`);
    await page.getByTestId("passkey-add").click();
    const form = page.getByTestId("passkey-add-form");
    await form.getByLabel(labels.name).fill(name);
    await endSudoWindows();
    await form.getByRole("button", { name: labels.go }).click();
    const dialog = page.getByTestId("sudo-dialog");
    await dialog.getByTestId("sudo-password").waitFor();
    await screenshot(page, shot);
    await expectNoAxeViolations(page, `the re-authentication dialog (${shot})`);
    await dialog.getByLabel(labels.password).fill(PASSWORD);
    await dialog.getByRole("button", { name: labels.confirm }).click();
    // The action is tried again after the dialog: the browser's own ceremony, then the key listed.
    await page.getByTestId("passkey-item").filter({ hasText: name }).waitFor();
  }

  async function signInWithPasswordAndPasskey(page: Page, username: string, isFrench: boolean, shot: string): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${url}/sign-in`);
    await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(username);
    await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
    await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
    const step = page.getByTestId("second-step-form");
    await step.getByTestId("second-step-passkey").waitFor();
    await screenshot(page, shot);
    await expectNoAxeViolations(page, `the second step with a passkey (${shot})`);
    await step.getByTestId("second-step-passkey").click();
    await page.getByTestId("entries-page").waitFor();
  }

  /**
   * "Two-step verification → Configure" for a person whose only second factor is a passkey, once
   * the sudo window has passed: the shared dialog takes the password, then the passkey (there is no
   * app code to give), and the wizard goes on to the authenticator app, confirmed by its first code.
   */
  async function configureAppWithPasskeyOnly(page: Page, labels: { password: string; confirm: string }, shot: string): Promise<void> {
    await page.goto(`${url}/account/security`);
    const twoStep = page.getByTestId("two-step");
    await twoStep.getByTestId("configure-two-step").waitFor();
    await endSudoWindows();
    await twoStep.getByTestId("configure-two-step").click();
    const sudo = page.getByTestId("sudo-dialog");
    await sudo.getByLabel(labels.password).fill(PASSWORD);
    await sudo.getByRole("button", { name: labels.confirm }).click();
    await sudo.getByTestId("sudo-passkey").waitFor();
    expect(await sudo.getByTestId("sudo-code").count()).toBe(0); // no app yet: the passkey is the only way on
    expect(await twoStep.getByTestId("app-step").count()).toBe(0);
    await screenshot(page, shot);
    await expectNoAxeViolations(page, `the re-authentication dialog in the Configure wizard (${shot})`);
    await sudo.getByTestId("sudo-passkey").click();
    const key = twoStep.getByTestId("totp-key");
    await key.waitFor();
    await expect.poll(() => sudo.getByTestId("sudo-form").count()).toBe(0);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32((await key.textContent())!.replaceAll(" ", "")), digits: 6, period: 30 });
    await twoStep.getByTestId("totp-confirm-code").fill(totp.generate());
    await twoStep.getByTestId("totp-confirm").click();
    await twoStep.getByTestId("two-step-done").waitFor();
    await expect.poll(() => twoStep.getByTestId("factor").count()).toBe(1);
  }

  async function open(username: string, view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, url, { username, password: PASSWORD }, view);
    recordPageErrors(page, pageErrors);
    await addVirtualAuthenticator(page);
    return page;
  }

  it("adds a passkey after re-authenticating, then asks for it after the password, and in the re-authentication dialog (English, light)", async () => {
    const page = await open("eva", { colorScheme: "light", locale: "en-GB", width: 1280 });
    await addPasskeyThroughSudo(page, "Work laptop", { name: "Name", go: "Continue", password: "Password", confirm: "Confirm" }, "sudo-dialog-en-light");
    await signInWithPasswordAndPasskey(page, "eva", false, "second-step-passkey-en-light");

    // Sudo mode again, now with the passkey as the second factor.
    await page.goto(`${url}/account/security`);
    await page.getByTestId("passkey-item").filter({ hasText: "Work laptop" }).waitFor();
    await endSudoWindows();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove Work laptop" }).click();
    const sudo = page.getByTestId("sudo-dialog");
    await sudo.getByLabel("Password").fill(PASSWORD);
    await sudo.getByRole("button", { name: "Confirm" }).click();
    await sudo.getByTestId("sudo-passkey").waitFor();
    await screenshot(page, "sudo-dialog-passkey-en-light");
    await sudo.getByTestId("sudo-passkey").click();
    await expect.poll(() => page.getByText("No passkeys yet.").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("lets a person whose only second factor is a passkey add an authenticator app after re-authenticating with it (English, light)", async () => {
    const page = await open("max", { colorScheme: "light", locale: "en-GB", width: 1280 });
    await addPasskeyThroughSudo(page, "Max’s key", { name: "Name", go: "Continue", password: "Password", confirm: "Confirm" }, "sudo-dialog-add-passkey-max-en-light");
    await configureAppWithPasskeyOnly(page, { password: "Password", confirm: "Confirm" }, "configure-sudo-passkey-en-light");
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("steps up for an entry that asks for it with the passkey alone: the dialog offers no code field (English, dark)", async () => {
    // Ada, an administrator, makes an entry that asks for a step-up and lets Eva use it; Eva's passkey went in the first test.
    const api = await signedInApiClient(url, "ada", PASSWORD);
    const { entry } = await api.createEntry({ name: "Registrar", seed: { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } });
    await api.setEntryPolicy(entry.id, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    const eva = (await api.listUsers()).users.find((user) => user.username === "eva")!;
    await api.createGrant({ principal: { kind: "user", id: eva.id }, scope: { kind: "entry", id: entry.id }, permission: "use" });
    const page = await open("eva", { colorScheme: "dark", locale: "en-GB", width: 1280 });
    await addPasskeyThroughSudo(page, "Desk key", { name: "Name", go: "Continue", password: "Password", confirm: "Confirm" }, "sudo-dialog-step-up-en-dark");
    await page.goto(`${url}/`);
    const row = page.getByTestId("entry-row").filter({ hasText: "Registrar" });
    await row.getByTestId("show-code").click();
    const dialog = page.getByTestId("step-up-dialog");
    await dialog.getByTestId("step-up-passkey").waitFor();
    expect(await dialog.getByTestId("step-up-code").count()).toBe(0);
    await screenshot(page, "step-up-passkey-en-dark");
    await expectNoAxeViolations(page, "the step-up dialog with a passkey");
    await dialog.getByTestId("step-up-passkey").click();
    await expect.poll(() => row.getByTestId("entry-code").textContent(), { timeout: 10_000 }).toMatch(/\d{3}\s?\d{3}/);
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("looks finished in French, dark, at phone width", async () => {
    const page = await open("lea", { colorScheme: "dark", locale: "fr-FR", width: 390 });
    await addPasskeyThroughSudo(page, "Téléphone de Léa", { name: "Nom", go: "Continuer", password: "Mot de passe", confirm: "Confirmer" }, "sudo-dialog-fr-dark-phone");
    await signInWithPasswordAndPasskey(page, "lea", true, "second-step-passkey-fr-dark-phone");
    await configureAppWithPasskeyOnly(page, { password: "Mot de passe", confirm: "Confirmer" }, "configure-sudo-passkey-fr-dark-phone");
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }, 60_000);
});
