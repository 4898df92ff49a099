// "Two-step verification: On" counts what sign-in counts (the server's verifier registry), in
// Chromium: a member whose only second factor is a passkey, then a push device, sees "On" naming
// it, as soon as the panel beside it adds it (no reload), and "Off" once it is removed.
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "juniper-harbour-compass-61";

/** A port free now, so the public address (a passkey's relying party) can name it before the server starts. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe.skipIf(!hasChromium)("two-step verification's status, in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let url: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-two-step-status-"));
    await runCli(["user", "add", "lea", "--role", "member", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
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

  const status = (page: Page) => page.getByTestId("two-step-status").textContent();

  it("says On for a passkey alone and for a push device alone, and Off once each is removed (English)", async () => {
    // A fresh sign-in is in sudo mode: adding and removing ask for no password.
    const page = await signInAs(browser, url, { username: "lea", password: PASSWORD }, { colorScheme: "light", locale: "en-US", width: 1280 });
    recordPageErrors(page, pageErrors);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${url}/account/security`);
    await page.getByTestId("authenticator-apps").waitFor();
    await expect.poll(() => status(page)).toMatch(/^Off: /);

    await page.getByTestId("passkey-add").click();
    const form = page.getByTestId("passkey-add-form");
    await form.getByLabel("Name").fill("Work laptop");
    await form.getByRole("button", { name: "Continue" }).click();
    await page.getByTestId("passkey-item").filter({ hasText: "Work laptop" }).waitFor();
    await expect.poll(() => status(page)).toBe("On: after your password, signing in asks for a passkey or security key.");
    await screenshot(page, "two-step-status-passkey-en-light");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove Work laptop" }).click();
    await expect.poll(() => page.getByText("No passkeys yet.").isVisible()).toBe(true);
    await expect.poll(() => status(page)).toMatch(/^Off: /);

    const push = page.getByTestId("push-devices");
    await push.getByTestId("push-register").click();
    await push.getByTestId("push-device").waitFor();
    await expect.poll(() => status(page)).toBe("On: after your password, signing in asks for an approval on another browser.");
    // Still so after a reload: the server says it, not the panel's memory.
    await page.reload();
    await expect.poll(() => status(page)).toBe("On: after your password, signing in asks for an approval on another browser.");
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
