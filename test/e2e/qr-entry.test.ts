// The heart of the vault in a real browser: an administrator uploads a QR screenshot in the
// add-entry dialog, the entry appears, and its live code is the one oathtool computes for the seed.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import QRCode from "qrcode";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { expectOathtoolCode, hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe.skipIf(!hasChromium)("adding an entry from a QR screenshot in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let qrFile: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-qr-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    qrFile = path.join(dataDir, "okta-screenshot.png");
    await QRCode.toFile(qrFile, `otpauth://totp/Okta:alice%40acme.example?secret=${SEED}&issuer=Okta`, { width: 360, margin: 6 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (view: BrowserView): Promise<Page> => signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view, { grantClipboard: true });

  it("uploads the screenshot, names the entry and shows oathtool's code", async () => {
    const page = await signIn({ colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByTestId("add-entry").click();
    await page.getByTestId("tab-qr").click();
    await page.getByTestId("qr-file-input").setInputFiles(qrFile);
    await page.getByTestId("qr-preview").waitFor();
    await screenshot(page, "add-entry-qr-preview-en-light");
    await page.getByTestId("found-name").first().fill("Okta admin");
    await page.getByTestId("confirm-add").click();
    await page.getByTestId("entry-added").waitFor();

    const row = page.getByTestId("entry-row").filter({ hasText: "Okta admin" });
    await row.getByTestId("show-code").click();
    await expectOathtoolCode(page, row.getByTestId("entry-code"), SEED);
    const secondsLeft = Number(await row.getByTestId("countdown").getAttribute("data-seconds-left"));
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(30);

    await row.getByTestId("entry-code").click();
    await page.getByTestId("copied").first().waitFor();
    const clipboard = await page.evaluate<string>("navigator.clipboard.readText()");
    expect(clipboard).toMatch(/^\d{6}$/);
    await screenshot(page, "entries-with-code-en-light");
  });

  it("fills a template's fields for the one account a QR image holds", async () => {
    const page = await signIn({ colorScheme: "light", locale: "en-US", width: 1280 });
    const vendorQr = path.join(dataDir, "vendor-screenshot.png");
    await QRCode.toFile(vendorQr, `otpauth://totp/Vendor:ops%40acme.example?secret=${SEED}&issuer=Vendor`, { width: 360, margin: 6 });
    await page.getByTestId("add-entry").click();
    await page.getByTestId("tab-qr").click();
    await page.getByTestId("qr-file-input").setInputFiles(vendorQr);
    const form = page.getByTestId("qr-preview");
    await form.waitFor();
    await form.getByTestId("template-select").selectOption({ label: "Web app with OTP" });
    await form.getByTestId("template-value-url").fill("https://vendor.example/login");
    await form.getByTestId("template-value-username").fill("ops@acme.example");
    await form.getByTestId("template-value-password").fill("quartz-meadow-signal-63");
    await screenshot(page, "add-entry-qr-template-en-light");
    await page.getByTestId("confirm-add").click();
    await page.getByTestId("entry-added").waitFor();

    await page.getByTestId("entry-name").filter({ hasText: "Vendor (ops@acme.example)" }).click();
    await page.getByTestId("entry-page").waitFor();
    const details = page.getByTestId("details-panel");
    await expect.poll(() => details.textContent()).toContain("https://vendor.example/login");
    expect(await details.textContent()).toContain("Web app with OTP");
    await page.getByTestId("code-panel").getByTestId("show-code").click();
    const code = page.getByTestId("code-panel").getByTestId("entry-code");
    await expect.poll(async () => (await code.textContent())?.replace(/\s/g, "") ?? "", { timeout: 10_000 }).toMatch(/^\d{6}$/);
  });

  it("overwrites an entry's seed from a screenshot of the service's new QR code", async () => {
    const NEW_SEED = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF";
    const page = await signIn({ colorScheme: "light", locale: "en-US", width: 1280 });
    const newQr = path.join(dataDir, "vendor-new-seed.png");
    await QRCode.toFile(newQr, `otpauth://totp/Vendor:ops%40acme.example?secret=${NEW_SEED}&issuer=Vendor`, { width: 360, margin: 6 });
    await page.getByTestId("entry-name").filter({ hasText: "Vendor (ops@acme.example)" }).click();
    await page.getByTestId("entry-page").waitFor();
    await page.getByTestId("overwrite-seed").click();
    const form = page.getByTestId("overwrite-seed-form");
    await form.getByText("QR image", { exact: true }).click();
    // Sending without an image says what is missing.
    await form.getByTestId("confirm-overwrite").click();
    await expect.poll(() => form.getByText("Choose an image with the new QR code first.").count()).toBe(1);
    await form.getByTestId("qr-file-input").setInputFiles(newQr);
    await form.getByTestId("overwrite-found").waitFor();
    await form.getByTestId("acknowledge-overwrite").check();
    expect(await form.getByText("Choose an image with the new QR code first.").count()).toBe(0);
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "overwrite-seed-qr-en-light");
    await form.getByTestId("confirm-overwrite").click();
    await form.waitFor({ state: "detached" });

    await page.getByTestId("code-panel").getByTestId("show-code").click();
    await expectOathtoolCode(page, page.getByTestId("code-panel").getByTestId("entry-code"), NEW_SEED);
  });

  it("never sends the seed to the browser", async () => {
    const signIn = await createClient({ baseUrl: server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" });
    const client = createClient({ baseUrl: server.url, token: signIn.token! });
    const entries = await client.listEntries();
    const entry = entries.entries.find((e) => e.name === "Okta admin")!;
    const everything = JSON.stringify([entries, await client.getEntry(entry.id), await client.batchCodes()]);
    expect(everything).not.toContain(SEED);
    expect(everything).not.toContain("otpauth://");
  });

  it("looks finished in French, dark, at phone width, with the entry's detail page", async () => {
    const page = await signIn({ colorScheme: "dark", locale: "fr-FR", width: 375 });
    await page.getByTestId("entry-row").filter({ hasText: "Okta admin" }).getByTestId("show-code").click();
    await page.getByTestId("entry-row").filter({ hasText: "Okta admin" }).getByTestId("entry-code").waitFor();
    await screenshot(page, "entries-with-code-fr-dark-phone");
    await page.getByTestId("entry-name").filter({ hasText: "Okta admin" }).click();
    await page.getByTestId("code-panel").getByTestId("show-code").click();
    const code = page.getByTestId("code-panel").getByTestId("entry-code");
    await expect.poll(async () => (await code.textContent())?.replace(/\s/g, "") ?? "", { timeout: 10_000 }).toMatch(/^\d{6}$/);
    expect(await page.getByText("OTP seul").count()).toBe(1);
    await screenshot(page, "entry-detail-fr-dark-phone");
  });
});
