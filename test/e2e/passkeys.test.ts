// Passkeys in Chromium through its virtual authenticator (DevTools WebAuthn domain, CTAP2 with a
// resident key and user verification): register one on Sign-in & security, sign out, sign in with
// the passkey alone ("Use a passkey": a name that does not contain "Sign in", which other tests click). WebAuthn needs a secure context and a domain as its RP id, so the server is
// reached as http://localhost:PORT (not 127.0.0.1) with WATCHWORD_PUBLIC_URL saying so.
// Screenshots EN light, FR dark and phone; axe-clean.
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "juniper-harbour-compass-61";

/** A port free now, so the public address can name it before the server starts. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** A CTAP2 platform authenticator with resident keys and user verification, on this page. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

describe.skipIf(!hasChromium)("passkeys in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let url: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-passkeys-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--display-name", "Ada Lovelace", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    await runCli(["user", "add", "lea", "--role", "member", "--display-name", "Léa Fontaine", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    const port = await freePort();
    url = `http://localhost:${port}`;
    server = await startServe(["--data-dir", dataDir, "--port", String(port)], cleanEnv({ WATCHWORD_PUBLIC_URL: url }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(username: string, view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, url, { username, password: PASSWORD }, view);
    recordPageErrors(page, pageErrors);
    await addVirtualAuthenticator(page);
    return page;
  }

  /** A fresh sign-in is in sudo mode: no password asked again. */
  async function addPasskey(page: Page, name: string, labels: { add: string; name: string; go: string }): Promise<void> {
    await page.goto(`${url}/account/security`);
    await page.getByTestId("passkey-add").click();
    const form = page.getByTestId("passkey-add-form");
    await form.getByLabel(labels.name).fill(name);
    await form.getByRole("button", { name: labels.go }).click();
    await page.getByTestId("passkey-item").filter({ hasText: name }).waitFor();
  }

  it("registers a passkey on Sign-in & security, then signs in with it alone after signing out (English, light)", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-GB", width: 1280 });
    await page.goto(`${url}/account/security`);
    await expect.poll(() => page.getByText("No passkeys yet.").isVisible()).toBe(true);
    await addPasskey(page, "Work laptop", { add: "Add a passkey", name: "Name", go: "Continue" });
    expect(await page.getByTestId("passkey-message").textContent()).toContain("Passkey “Work laptop” added.");
    expect(await page.getByTestId("passkey-last-used").textContent()).toBe("Never used");
    await screenshot(page, "passkeys-account-en-light");
    await expectNoAxeViolations(page, "the account page with a passkey (English, light)");

    await page.getByTestId("user-menu-button").click();
    // The menu's own button: the sessions panel offers to sign out the others (the test authenticator's sign-in).
    await page.getByTestId("user-menu").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await screenshot(page, "passkeys-sign-in-en-light");
    await expectNoAxeViolations(page, "the sign-in page with its passkey button");
    await page.getByTestId("passkey-sign-in").click();
    await page.getByTestId("entries-page").waitFor();

    await page.goto(`${url}/account/security`);
    await expect.poll(() => page.getByTestId("passkey-last-used").textContent()).toMatch(/^Last used /);
    // Renamed, then removed: the list says so.
    await page.getByRole("button", { name: "Rename Work laptop" }).click();
    await page.getByLabel("New name for Work laptop").fill("Desk laptop");
    await page.getByTestId("passkey-item").getByRole("button", { name: "Save" }).click();
    await page.getByTestId("passkey-item").filter({ hasText: "Desk laptop" }).waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove Desk laptop" }).click();
    await expect.poll(() => page.getByText("No passkeys yet.").isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it("looks finished in French, dark, at phone width", async () => {
    const page = await signIn("lea", { colorScheme: "dark", locale: "fr-FR", width: 390 });
    await addPasskey(page, "Téléphone de Léa", { add: "Ajouter une clé d’accès", name: "Nom", go: "Continuer" });
    await screenshot(page, "passkeys-account-fr-dark-phone");
    await expectNoAxeViolations(page, "the account page with a passkey (French, dark, phone)");
    await page.context().clearCookies();
    await page.goto(`${url}/sign-in`);
    await page.getByTestId("passkey-sign-in").waitFor();
    await screenshot(page, "passkeys-sign-in-fr-dark-phone");
    await expectNoAxeViolations(page, "the sign-in page (French, dark, phone)");
    await page.getByTestId("passkey-sign-in").click();
    await page.getByTestId("entries-page").waitFor();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
