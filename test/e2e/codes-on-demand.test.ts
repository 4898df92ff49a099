// Every code handed out is one somebody asked for, proved in Chromium against the audit log the
// server wrote: "My entries" with several entries fetches no code at all however long it stays
// open; "Show code" on one entry fetches that entry's code, then the next one at each period
// boundary while it stays open and the page visible, and nothing once the page is hidden or the
// code closed; "Copy code" fetches exactly one; the keyboard does the same as the mouse.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { openStore, type Store } from "../../src/store/store.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { expectOathtoolCode, hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEEDS = {
  aws: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
  github: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  registrar: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
  vpn: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
} as const;
/** Short periods so that "more than two periods" and "across a boundary" take seconds, not minutes. */
const PERIOD = 10;
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 375 };

interface IssuedEvent {
  readonly entryName: string | null;
  readonly channel: string;
  readonly validFrom: number | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `seconds` past the next period boundary (wall clock; server and browser share it here). */
async function waitPastNextBoundary(seconds: number): Promise<void> {
  const now = Date.now() / 1000;
  const boundary = (Math.floor(now / PERIOD) + 1) * PERIOD;
  await sleep((boundary + seconds - now) * 1000);
}
const windowsFrom = (first: number, last: number): number[] => Array.from({ length: (last - first) / PERIOD + 1 }, (_, i) => first + i * PERIOD);
const currentWindow = (): number => Math.floor(Date.now() / 1000 / PERIOD) * PERIOD;

describe.skipIf(!hasChromium || !hasOathtool)("codes revealed on demand, in Chromium and in the audit log", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  let store: Store;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-on-demand-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" });
    admin = createClient({ baseUrl: server.url, token: signedIn.token! });
    const ops = await admin.createFolder({ name: "Operations" });
    await admin.createEntry({ name: "AWS root", issuer: "Amazon", account: "root@acme.example", folderId: ops.id, tags: ["prod"], seed: { secret: SEEDS.aws, period: PERIOD } });
    await admin.createEntry({ name: "GitHub", issuer: "GitHub", account: "acme-ops", tags: ["dev"], seed: { secret: SEEDS.github, period: PERIOD } });
    await admin.createEntry({ name: "Registrar", folderId: ops.id, seed: { secret: SEEDS.registrar } });
    await admin.createEntry({ name: "VPN token", seed: { uri: `otpauth://hotp/VPN?secret=${SEEDS.vpn}&counter=0` } });
    store = openStore({ databaseUrl: undefined, dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await store?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Every code.issued event so far, in order. */
  async function issuedEvents(): Promise<IssuedEvent[]> {
    const events = await store.auditEvents.listAuditEvents({ limit: 100_000 });
    return events
      .filter((event) => event.action === "code.issued" && event.outcome === "success")
      .map((event) => ({ entryName: event.entryName, channel: event.channel, validFrom: (JSON.parse(event.details) as { validFrom?: number }).validFrom }));
  }

  async function signIn(view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view, { grantClipboard: true });
    recordPageErrors(page, pageErrors);
    return page;
  }
  const row = (page: Page, name: string): Locator => page.getByTestId("entry-row").filter({ has: page.getByTestId("entry-name").getByText(name, { exact: true }) });
  /** What a browser does when the person switches to another tab or app, and back. */
  const setVisibility = (page: Page, state: "hidden" | "visible"): Promise<unknown> =>
    page.evaluate(`(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "${state}" });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => ${state === "hidden"} });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    })()`);

  it("fetches no code while nobody asks, then one entry's codes while it is shown, and none once the page is hidden", async () => {
    const page = await signIn(EN_LIGHT);
    const batchRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/v1/codes") batchRequests.push(request.url());
    });
    await row(page, "AWS root").waitFor();
    expect(await page.getByTestId("entry-row").count()).toBe(4);

    // More than two periods with the list open: not one code fetched, not one audit event.
    await sleep((2 * PERIOD + 3) * 1000);
    expect(await issuedEvents()).toEqual([]);
    expect(batchRequests).toEqual([]);
    expect(await page.getByTestId("entry-code").count()).toBe(0);
    await screenshot(page, "codes-on-demand-list-closed-en-light");
    await expectNoAxeViolations(page, "My entries, every code closed");

    // Show one: its code is oathtool's, and exactly one event says so.
    const aws = row(page, "AWS root");
    await aws.getByTestId("show-code").click();
    await expectOathtoolCode(page, aws.getByTestId("entry-code"), SEEDS.aws, PERIOD);
    const [first] = await issuedEvents();
    expect(first).toMatchObject({ entryName: "AWS root", channel: "ui" });
    expect(await aws.getByTestId("countdown").count()).toBe(1);
    expect(await page.getByTestId("entry-code").count()).toBe(1);
    await screenshot(page, "codes-on-demand-one-shown-en-light");
    await expectNoAxeViolations(page, "My entries, one code shown");

    // Across a boundary it stays live: the next code, fetched once per period, for this entry only.
    await waitPastNextBoundary(2.5);
    await expectOathtoolCode(page, aws.getByTestId("entry-code"), SEEDS.aws, PERIOD);
    const live = await issuedEvents();
    expect(live.map((event) => event.entryName)).toEqual(live.map(() => "AWS root"));
    expect(live.map((event) => event.validFrom)).toEqual(windowsFrom(first!.validFrom!, currentWindow()));
    expect(live.length).toBeGreaterThanOrEqual(2);

    // The page is hidden: the code closes and nothing more is fetched, then or after coming back.
    await setVisibility(page, "hidden");
    await page.getByTestId("entry-code").waitFor({ state: "detached" });
    await waitPastNextBoundary(2);
    await setVisibility(page, "visible");
    await sleep(2_000);
    expect(await issuedEvents()).toEqual(live);
    expect(await aws.getByTestId("show-code").isVisible()).toBe(true);

    // Shown again, then hidden by the person: one more event, then none across the next boundary.
    await aws.getByTestId("show-code").click();
    await aws.getByTestId("entry-code").waitFor();
    await aws.getByTestId("hide-code").click();
    await waitPastNextBoundary(2);
    const afterHide = await issuedEvents();
    expect(afterHide.length).toBe(live.length + 1);
    expect(afterHide.at(-1)?.entryName).toBe("AWS root");
    expect(batchRequests).toEqual([]);
    await page.context().close();
  }, 120_000);

  it("shows a code from the keyboard and copies one without showing it, one event each", async () => {
    const page = await signIn(EN_LIGHT);
    await row(page, "GitHub").waitFor();
    const before = (await issuedEvents()).length;

    // Tab from the entry's name to its "Show code" button, and Enter.
    const github = row(page, "GitHub");
    await github.getByTestId("entry-name").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.dataset.testid")).toBe("show-code");
    expect(await page.evaluate("document.activeElement?.closest('[data-testid=entry-row]')?.textContent")).toContain("GitHub");
    await page.keyboard.press("Enter");
    await expectOathtoolCode(page, github.getByTestId("entry-code"), SEEDS.github, PERIOD);
    const shown = (await issuedEvents()).slice(before);
    expect(shown.map((event) => event.entryName)).toEqual(shown.map(() => "GitHub"));
    expect(shown.length).toBeGreaterThanOrEqual(1);
    await github.getByTestId("hide-code").press("Enter");
    await github.getByTestId("show-code").waitFor();
    const afterGithub = (await issuedEvents()).length;

    // Space on "Copy code" of a 30-second entry: copied, not shown, one event.
    const registrar = row(page, "Registrar");
    await registrar.getByTestId("copy-code").focus();
    await page.keyboard.press("Space");
    await registrar.getByTestId("copied").waitFor();
    expect(await registrar.getByTestId("entry-code").count()).toBe(0);
    const copied = await page.evaluate("navigator.clipboard.readText()");
    const expected = [-1, 0].map((drift) => runOathtool("--totp", "-b", "-N", `@${Math.floor(Date.now() / 1000) + drift * 30}`, SEEDS.registrar));
    expect(expected).toContain(copied);
    await sleep(1_500);
    const events = (await issuedEvents()).slice(afterGithub);
    expect(events.map((event) => event.entryName)).toEqual(["Registrar"]);
    await screenshot(page, "codes-on-demand-copied-en-light");
    await page.context().close();
  });

  it("takes an HOTP code only when asked, one counter per press", async () => {
    const page = await signIn(EN_LIGHT);
    const vpn = row(page, "VPN token");
    await vpn.waitFor();
    const before = (await issuedEvents()).length;
    await vpn.getByTestId("show-code").click();
    await vpn.getByTestId("entry-code").waitFor();
    expect(((await vpn.getByTestId("entry-code").textContent()) ?? "").replace(/\s/g, "")).toBe(runOathtool("--hotp", "-b", "-c", "0", SEEDS.vpn));
    await vpn.getByTestId("next-code").click();
    await expect.poll(async () => ((await vpn.getByTestId("entry-code").textContent()) ?? "").replace(/\s/g, "")).toBe(runOathtool("--hotp", "-b", "-c", "1", SEEDS.vpn));
    await screenshot(page, "codes-on-demand-hotp-shown-en-light");
    await sleep(1_000);
    expect((await issuedEvents()).slice(before).map((event) => event.entryName)).toEqual(["VPN token", "VPN token"]);
    await page.context().close();
  });

  it("fetches nothing when an entry's page opens, then only what is shown or copied there, and stops on leaving", async () => {
    const page = await signIn(EN_LIGHT);
    await row(page, "AWS root").getByTestId("entry-name").click();
    const panel = page.getByTestId("code-panel");
    await panel.waitFor();
    const before = (await issuedEvents()).length;
    await sleep(PERIOD * 1000 + 1_000);
    expect((await issuedEvents()).length).toBe(before);
    expect(await panel.getByTestId("entry-code").count()).toBe(0);
    await screenshot(page, "codes-on-demand-entry-closed-en-light");
    await expectNoAxeViolations(page, "entry page, code closed");

    await panel.getByTestId("copy-code").click();
    await panel.getByTestId("copied").waitFor();
    await sleep(500);
    expect((await issuedEvents()).slice(before).map((event) => event.entryName)).toEqual(["AWS root"]);

    await panel.getByTestId("show-code").click();
    await expectOathtoolCode(page, panel.getByTestId("entry-code"), SEEDS.aws, PERIOD);
    await screenshot(page, "codes-on-demand-entry-shown-en-light");
    await expectNoAxeViolations(page, "entry page, code shown");
    await page.getByRole("link", { name: "My entries" }).first().click();
    await page.getByTestId("entries-page").waitFor();
    const left = (await issuedEvents()).length;
    await waitPastNextBoundary(2);
    expect((await issuedEvents()).length).toBe(left);
    await page.context().close();
  }, 60_000);

  it("keeps the search, folder and tag in the address, across a reload and Back", async () => {
    const page = await signIn(EN_LIGHT);
    const before = (await issuedEvents()).length;
    const names = () => page.getByTestId("entry-name").allTextContents();
    await page.getByTestId("entry-search").fill("aws");
    await page.waitForURL((url) => url.search === "?q=aws");
    await expect.poll(names).toEqual(["AWS root"]);
    await page.reload();
    await page.getByTestId("entries-page").waitFor();
    expect(await page.getByTestId("entry-search").inputValue()).toBe("aws");
    await expect.poll(names).toEqual(["AWS root"]);

    await page.getByTestId("entry-search").fill("");
    await page.waitForURL((url) => url.search === "");
    await page.getByTestId("folder-filter").selectOption({ label: "Operations" });
    await expect.poll(names).toEqual(["AWS root", "Registrar"]);
    await page.getByTestId("tag-filter").selectOption("prod");
    const filtered = new URL(page.url());
    expect(filtered.searchParams.get("tag")).toBe("prod");
    expect(filtered.searchParams.get("folder")).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(names).toEqual(["AWS root"]);
    expect(await page.getByTestId("entry-count").textContent()).toBe("1 of 4 entries");

    // To the entry and Back: the same filtered list.
    await page.getByTestId("entry-name").click();
    await page.getByTestId("entry-page").waitFor();
    await page.goBack();
    await page.getByTestId("entries-page").waitFor();
    expect(new URL(page.url()).search).toBe(filtered.search);
    expect(await page.getByTestId("tag-filter").inputValue()).toBe("prod");
    await expect.poll(names).toEqual(["AWS root"]);

    // A link with a filter opens on it.
    await page.goto(`${server.url}/?tag=dev`);
    await page.getByTestId("entries-page").waitFor();
    await expect.poll(names).toEqual(["GitHub"]);
    expect((await issuedEvents()).length).toBe(before);
    await page.context().close();
  });

  it("looks finished in French, dark, at phone width", async () => {
    const page = await signIn(FR_DARK_PHONE);
    const aws = row(page, "AWS root");
    await aws.waitFor();
    expect(await aws.getByTestId("show-code").textContent()).toBe("Afficher le code");
    await screenshot(page, "codes-on-demand-list-closed-fr-dark-phone");
    await expectNoAxeViolations(page, "Mes entrées, phone");
    await aws.getByTestId("show-code").click();
    await aws.getByTestId("entry-code").waitFor();
    await row(page, "Registrar").getByTestId("copy-code").click();
    await row(page, "Registrar").getByTestId("copied").waitFor();
    await screenshot(page, "codes-on-demand-one-shown-fr-dark-phone");
    await expectNoAxeViolations(page, "Mes entrées, one code shown, phone");
    await aws.getByTestId("entry-name").click();
    await page.getByTestId("code-panel").getByTestId("show-code").click();
    await page.getByTestId("code-panel").getByTestId("entry-code").waitFor();
    await screenshot(page, "codes-on-demand-entry-shown-fr-dark-phone");
    await expectNoAxeViolations(page, "page d’entrée, phone");
    await page.context().close();
  });

  it("raised no error in the pages", () => {
    expect(pageErrors).toEqual([]);
  });
});
