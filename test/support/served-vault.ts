// One e2e suite's vault: registers the hooks that make a data directory, add its users with the
// local CLI (`watchword user add`), start `watchword serve` on it and launch Chromium, then stop
// them all and remove the directory. Call in a describe body, before the suite's own hooks.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium, signInAs, type BrowserView } from "./browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "./cli.js";

export interface ServedVaultUser {
  readonly username: string;
  readonly role: "admin" | "member" | "auditor";
}

export interface ServedVault {
  readonly dataDir: string;
  readonly server: ServeProcess;
  readonly browser: Browser;
  /** A new browser context signed in as `username` (with the suite's password), on "My entries". */
  signIn(username: string, view: BrowserView): Promise<Page>;
}

/** `name` goes into the data directory's name; every user gets `password`. */
export function useServedVault(name: string, users: readonly ServedVaultUser[], password: string): ServedVault {
  let dataDir: string | undefined;
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `watchword-e2e-${name}-`));
    for (const user of users) await runCli(["user", "add", user.username, "--role", user.role, "--password-stdin", "--data-dir", dataDir], { input: password });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
  });
  afterAll(async () => {
    // What started is stopped even when a later step of the set-up failed.
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("The suite's vault starts in beforeAll: use it inside a test or a hook.");
    return value;
  };
  return {
    get dataDir() {
      return started(dataDir);
    },
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    signIn: (username, view) => signInAs(started(browser), started(server).url, { username, password }, view),
  };
}
