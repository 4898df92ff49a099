// A passkey instead of the password in the re-authentication dialog, in Chromium through its
// virtual authenticator (DevTools WebAuthn domain, user verification on): once the sudo window of
// the sign-in has passed, "Two-step verification → Configure" opens the shared dialog, which
// offers "Use a passkey instead" beside the password field to a person with a passkey (and not to
// one without); the key alone confirms it is them and the wizard goes on. The server audits it as a
// passkey-first re-authentication. WebAuthn needs a secure context and a domain, so the server is
// reached as http://localhost:PORT. Screenshots EN light and FR dark phone; axe-clean.
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import * as OTPAuth from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, settleAnimations, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import type { TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const PASSWORD = "meadow-lantern-copper-83";

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** canVerify false: a security key without PIN or biometrics, whose answers do not verify the person. */
async function addVirtualAuthenticator(page: Page, canVerify = true): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: canVerify ? "internal" : "usb", hasResidentKey: canVerify, hasUserVerification: canVerify, isUserVerified: canVerify, automaticPresenceSimulation: true },
  });
}

describe.skipIf(!hasChromium)("a passkey instead of the password in the re-authentication dialog", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let url: string;
  const pageErrors: string[] = [];
  /** The browser logs every refused request; the flows expect 403 reauthentication_required and 400 second_factor_required. */
  const unexpectedErrors = () => pageErrors.filter((error) => !/Failed to load resource: the server responded with a status of 40[03]/.test(error));
  const raw = <T>(work: Parameters<typeof withRawDatabase<T>>[1]) => withRawDatabase<T>({ kind: "sqlite", dataDir, databaseUrl: undefined } as unknown as TestDatabase, work);
  /** The sudo window a sign-in opens has passed (as 10 minutes later), behind the server's back. */
  const endSudoWindows = () => raw(async (db) => void (await sql`update sessions set reauthenticated_at = null`.execute(db)));
  const latestReauthentication = () =>
    raw(async (db) => (await sql<{ details: string }>`select details from audit_events where action = 'user.reauthenticated' and outcome = 'success' order by seq desc limit 1`.execute(db)).rows[0]?.details);

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-passkey-sudo-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--display-name", "Ada Lovelace", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "max", "--role", "member", "--display-name", "Max Weber", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "lea", "--role", "member", "--display-name", "Léa Fontaine", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    // Eva, a member with no second factor yet (administrators have the test authenticator: every one must, once others exist).
    await runCli(["user", "add", "eva", "--role", "member", "--display-name", "Eva Lind", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    const port = await freePort();
    url = `http://localhost:${port}`;
    server = await startServe(["--data-dir", dataDir, "--port", String(port)], cleanEnv({ WATCHWORD_PUBLIC_URL: url }));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function open(username: string, view: BrowserView, canVerify = true): Promise<Page> {
    const page = await signInAs(browser, url, { username, password: PASSWORD }, view);
    recordPageErrors(page, pageErrors);
    await addVirtualAuthenticator(page, canVerify);
    return page;
  }

  /** "Two-step verification → Configure" once the window has passed: the shared dialog opens. */
  async function openSudoDialog(page: Page) {
    await page.goto(`${url}/account/security`);
    const twoStep = page.getByTestId("two-step");
    await twoStep.getByTestId("configure-two-step").waitFor();
    await endSudoWindows();
    await twoStep.getByTestId("configure-two-step").click();
    const dialog = page.getByTestId("sudo-dialog");
    await dialog.getByTestId("sudo-password").waitFor();
    return { dialog, twoStep };
  }

  async function confirmWithPasskeyAlone(username: string, view: BrowserView, labels: { name: string; go: string; instead: string }, shot: string): Promise<void> {
    const page = await open(username, view);
    // Without a passkey the dialog offers only the password.
    const before = await openSudoDialog(page);
    await page.waitForTimeout(300); // the dialog asks for the person's passkeys as it opens
    expect(await before.dialog.getByTestId("sudo-passkey-instead").count()).toBe(0);
    await before.dialog.getByTestId("sudo-password").fill(PASSWORD);
    await before.dialog.getByTestId("sudo-submit").click();
    await before.twoStep.getByTestId("totp-key").waitFor();

    // The window the password just opened is still open: the passkey is added without a dialog.
    await page.goto(`${url}/account/security`);
    await page.getByTestId("passkey-add").click();
    const form = page.getByTestId("passkey-add-form");
    await form.getByLabel(labels.name).fill(`${username}’s laptop`);
    await form.getByRole("button", { name: labels.go }).click();
    await page.getByTestId("passkey-item").filter({ hasText: `${username}’s laptop` }).waitFor();

    const { dialog, twoStep } = await openSudoDialog(page);
    const instead = dialog.getByRole("button", { name: labels.instead });
    await instead.waitFor();
    await settleAnimations(page);
    await screenshot(page, shot);
    await expectNoAxeViolations(page, `the re-authentication dialog with a passkey instead of the password (${shot})`);
    await instead.click();
    // The key alone (user verification on): no password typed, the wizard goes on.
    await twoStep.getByTestId("totp-key").waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByTestId("sudo-form").count(), { timeout: 10_000 }).toBe(0);
    expect(JSON.parse((await latestReauthentication())!)).toMatchObject({ firstFactor: "passkey", isUserVerified: true, secondFactor: "passkey" });
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }

  it("confirms with a passkey alone instead of the password (English, light)", async () => {
    await confirmWithPasskeyAlone("eva", { colorScheme: "light", locale: "en-GB", width: 1280 }, { name: "Name", go: "Continue", instead: "Use a passkey instead" }, "sudo-passkey-instead-en-light");
  }, 60_000);

  it("looks finished in French, dark, at phone width", async () => {
    await confirmWithPasskeyAlone("lea", { colorScheme: "dark", locale: "fr-FR", width: 390 }, { name: "Nom", go: "Continuer", instead: "Utiliser plutôt une clé d’accès" }, "sudo-passkey-instead-fr-dark-phone");
  }, 60_000);

  it("asks for the app's code beside a security key that did not verify the person (English, light)", async () => {
    const page = await open("max", { colorScheme: "light", locale: "en-GB", width: 1280 }, false);
    // In the sign-in's window: a security key without PIN, then an authenticator app.
    await page.goto(`${url}/account/security`);
    await page.getByTestId("passkey-add").click();
    const form = page.getByTestId("passkey-add-form");
    await form.getByLabel("Name").fill("Blue key");
    await form.getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("passkey-item").filter({ hasText: "Blue key" }).waitFor();
    const twoStep = page.getByTestId("two-step");
    await twoStep.getByTestId("configure-two-step").click();
    const key = twoStep.getByTestId("totp-key");
    await key.waitFor();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32((await key.textContent())!.replaceAll(" ", "")), digits: 6, period: 30 });
    await twoStep.getByTestId("totp-confirm-code").fill(totp.generate());
    await twoStep.getByTestId("totp-confirm").click();
    await twoStep.getByTestId("two-step-done").waitFor();

    const { dialog } = await openSudoDialog(page);
    await dialog.getByRole("button", { name: "Use a passkey instead" }).click();
    await dialog.getByTestId("sudo-code").waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId("sudo-password").count()).toBe(0); // the key stands in for the password
    await expect.poll(() => dialog.getByTestId("sudo-error").textContent()).toContain("did not check that it is you");
    await settleAnimations(page);
    await screenshot(page, "sudo-passkey-needs-code-en-light");
    await expectNoAxeViolations(page, "the re-authentication dialog asking for the code beside the key");
    // The next step's code: this step's was used by the enrolment (accepted with one step of drift).
    await dialog.getByTestId("sudo-code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await dialog.getByTestId("sudo-submit").click();
    await expect.poll(() => dialog.getByTestId("sudo-form").count(), { timeout: 10_000 }).toBe(0);
    expect(JSON.parse((await latestReauthentication())!)).toMatchObject({ firstFactor: "passkey", isUserVerified: false, secondFactor: "totp" });
    expect(unexpectedErrors()).toEqual([]);
    await page.context().close();
  }, 60_000);
});
