// A known browser signing in after others failed to sign in to the account (issue 7): the person
// is told how many failed, in their language, before going on (at each such sign-in, while the
// failures stay counted); the failures never stop this browser.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { SESSION_COOKIE } from "../../src/server/authentication.js";
import { rejection } from "../support/api-rejection.js";
import { hasChromium, launchChromium, screenshot, signInAs } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "lantern-basalt-orchard-52";
const NBSP = "\u00a0";

describe.skipIf(!hasChromium)("sign-in after failed sign-ins from elsewhere, in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-sign-in-"));
    await runCli(["user", "add", "bea", "--role", "member", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("tells a known browser, in French, how many sign-ins failed elsewhere, then goes on", async () => {
    // The browser signs in once, so it holds a device token for bea; then its session ends.
    const page = await signInAs(browser, server.url, { username: "bea", password: PASSWORD }, { colorScheme: "light", locale: "fr-FR", width: 1280 });
    await page.context().clearCookies({ name: SESSION_COOKIE });
    // Two clients that never signed in to bea get her password wrong.
    for (const attempt of ["wrong-one", "wrong-two"]) expect((await rejection(createClient({ baseUrl: server.url }).signIn({ username: "bea", password: attempt }))).status).toBe(401);

    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Nom d’utilisateur").fill("bea");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    const notice = page.getByTestId("failed-sign-ins");
    await notice.waitFor();
    expect((await notice.getByRole("alert").textContent())?.trim()).toBe(
      `2 connexions à votre compte ont échoué depuis des navigateurs ou des CLI qui ne s’y étaient jamais connectés. Si cela continue, votre compte leur sera fermé${NBSP}; ce navigateur n’est pas concerné.`,
    );
    await screenshot(page, "sign-in-failed-elsewhere-fr");
    await page.getByTestId("failed-sign-ins-continue").click();
    await page.getByTestId("entries-page").waitFor();
  });
});
