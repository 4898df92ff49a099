// The web app can be installed to a phone's home screen (issue 10: push approval "from a phone's
// browser, or the app installed to the home screen"): Chromium itself is asked, through DevTools,
// whether it finds the web app manifest valid and the app installable, as it does before offering
// "Install app" or "Add to Home screen".
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromiumWithProfile } from "../support/browser.js";
import { cleanEnv, startServe, type ServeProcess } from "../support/cli.js";

describe.skipIf(!hasChromium)("the installable web app in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: BrowserContext;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-install-"));
    server = await startServe(["--data-dir", path.join(dataDir, "vault")], cleanEnv());
    // A profile on disk: Chromium offers no installing in an incognito context.
    browser = await launchChromiumWithProfile(path.join(dataDir, "profile"));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("serves a manifest that Chromium parses without errors, with icons it can load", async () => {
    const manifest = await fetch(`${server.url}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const body = (await manifest.json()) as { icons: { src: string; type: string }[] };
    for (const icon of body.icons) {
      const reply = await fetch(new URL(icon.src, server.url));
      expect([icon.src, reply.status, reply.headers.get("content-type")]).toEqual([icon.src, 200, icon.type]);
    }

    const page = await browser.newPage();
    await page.goto(server.url);
    const devtools = await browser.newCDPSession(page);
    const parsed = (await devtools.send("Page.getAppManifest")) as { url: string; errors: { message: string }[]; data?: string };
    expect(parsed.url).toBe(`${server.url}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
    expect(JSON.parse(parsed.data ?? "{}")).toMatchObject({ name: "Watchword", display: "standalone", start_url: "/" });
    const installability = (await devtools.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    expect(installability.installabilityErrors.map((error) => error.errorId)).toEqual([]);
    await page.close();
  });
});
