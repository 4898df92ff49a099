// "My entries" asks the server, in Chromium: 250 entries, the first page shown and no more; an
// accented query typed key by key goes out once typing pauses and finds the entries written with
// or without the accents, in the address; "Show more" loads the next page of matches, with the
// count so far; in English and French. The tag filter offers every tag in use, with its count,
// though no entry of the first page has one; and the list's refresh, with a tag chosen, is one
// request every 15 seconds (the browser's clock driven by the test), not two.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { openStore, type Store } from "../../src/store/store.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "lantern-quarry-meadow-42";
const EN: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 375 };
/** 150 of them are Société Générale's, written three ways; the other 100 are not. */
const SPELLINGS = ["Société Générale", "SOCIETE GENERALE", "Socie\u0301te\u0301 ge\u0301ne\u0301rale"];
const MATCHING = 150;
const OTHERS = 100;

describe.skipIf(!hasChromium)("searching My entries on the server, in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let store: Store;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-entry-search-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" });
    const admin = createClient({ baseUrl: server.url, token: signedIn.token! });
    const first = await admin.createEntry({ name: "Account 000", issuer: "Bank", seed: { secret: "JBSWY3DPEHPK3PXP" } });
    // The other 249 written straight to the store, as an import writes them: 249 creates through
    // the API would take most of a minute here.
    store = openStore({ databaseUrl: undefined, dataDir });
    const model = (await store.entries.findEntry(first.entry.id))!;
    const rows = Array.from({ length: MATCHING + OTHERS - 1 }, (_, i) => {
      const n = String(i + 1).padStart(3, "0");
      // Only the Treasury entries, which come after the first page (by name), have tags.
      const tags = i < 5 ? ["finance", "legacy"] : ["finance"];
      return i < MATCHING ? { ...model, id: randomUUID(), name: `Treasury ${n}`, issuer: SPELLINGS[i % SPELLINGS.length]!, tags } : { ...model, id: randomUUID(), name: `Account ${n}`, issuer: "Crédit Agricole" };
    });
    await store.entries.insertEntries(rows);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await store?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** The entry-list requests the page makes, as their query strings. */
  function recordListRequests(page: Page): URLSearchParams[] {
    const requests: URLSearchParams[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/v1/entries") requests.push(url.searchParams);
    });
    return requests;
  }

  async function open(view: BrowserView): Promise<{ page: Page; requests: URLSearchParams[] }> {
    const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view);
    recordPageErrors(page, pageErrors);
    const requests = recordListRequests(page);
    await page.getByTestId("entries-page").waitFor();
    return { page, requests };
  }

  const names = (page: Page) => page.getByTestId("entry-name").allTextContents();
  const issuers = (page: Page) => page.getByTestId("entry-row").evaluateAll((rows) => rows.map((row) => row.textContent ?? ""));

  it("shows the first page, finds an accented query written every way, and loads the next page on demand", async () => {
    const { page, requests } = await open(EN);
    await expect.poll(async () => (await names(page)).length).toBe(100);
    expect(await page.getByTestId("entry-count").textContent()).toBe("100 entries shown so far");
    // One page asked for, not every page.
    expect(requests.some((search) => search.has("cursor"))).toBe(false);

    const before = requests.length;
    await page.getByTestId("entry-search").pressSequentially("sociÉTÉ gén", { delay: 40 });
    await page.waitForURL((url) => url.searchParams.get("q") === "sociÉTÉ gén");
    await expect.poll(() => page.getByTestId("entry-count").textContent()).toBe("100 matching entries shown so far");
    // Typing went out once it paused, not once a key.
    const searches = requests.slice(before).filter((search) => search.has("q"));
    expect(searches.map((search) => search.get("q"))).toEqual(["sociÉTÉ gén"]);
    const firstPage = await names(page);
    expect(firstPage).toHaveLength(100);
    expect(firstPage.every((name) => name.startsWith("Treasury "))).toBe(true);
    // All three spellings are among them.
    const shownIssuers = (await issuers(page)).join("\n");
    for (const spelling of SPELLINGS) expect(shownIssuers).toContain(spelling);
    await screenshot(page, "entry-search-first-page-en-light");

    await page.getByTestId("entry-show-more").click();
    await expect.poll(async () => (await names(page)).length).toBe(MATCHING);
    expect(await page.getByTestId("entry-count").textContent()).toBe("150 matching entries");
    expect(await page.getByTestId("entry-show-more").count()).toBe(0);
    const all = await names(page);
    expect(all.slice(0, 100)).toEqual(firstPage);
    expect(new Set(all).size).toBe(MATCHING);
    expect(all.every((name) => name.startsWith("Treasury "))).toBe(true);
    expect(requests.filter((search) => search.has("cursor")).map((search) => search.get("q"))).toEqual(["sociÉTÉ gén"]);
    await screenshot(page, "entry-search-next-page-en-light");
    await expectNoAxeViolations(page, "My entries, second page of a search");

    // The query stays in the address: a reload opens on it.
    await page.reload();
    await page.getByTestId("entries-page").waitFor();
    expect(await page.getByTestId("entry-search").inputValue()).toBe("sociÉTÉ gén");
    await expect.poll(async () => (await names(page)).length).toBe(100);

    // A word found nowhere: no matches, and nothing to load.
    await page.getByTestId("entry-search").fill("société zzqxv");
    await page.getByTestId("entries-no-matches").waitFor();
    expect(await page.getByTestId("entry-show-more").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it("offers every tag in use with its count, past the first page, and refreshes a filtered list with one request", async () => {
    const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, EN);
    recordPageErrors(page, pageErrors);
    const listRequests = recordListRequests(page);
    const tagRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/v1/entry-tags") tagRequests.push(request.url());
    });
    // The browser's timers under the test's hand from the next page load on (time still flows).
    await page.clock.install();
    await page.goto(`${server.url}/`);
    await expect.poll(async () => (await names(page)).length).toBe(100);
    const tagFilter = page.getByTestId("tag-filter");
    await expect.poll(() => tagFilter.locator("option").allTextContents()).toEqual(["All tags", "finance (150)", "legacy (5)"]);
    await tagFilter.selectOption("legacy");
    await page.waitForURL((url) => url.searchParams.get("tag") === "legacy");
    await expect.poll(async () => (await names(page)).length).toBe(5);
    await screenshot(page, "entry-search-tag-filter-en-light");

    // One refresh interval later: the filtered list is asked for again, once; the tags are not.
    const [lists, tags] = [listRequests.length, tagRequests.length];
    await page.clock.fastForward(15_500);
    await expect.poll(() => listRequests.length).toBeGreaterThan(lists);
    await page.waitForTimeout(1000);
    expect(listRequests.slice(lists).map((search) => search.toString())).toEqual(["tag=legacy"]);
    expect(tagRequests.length).toBe(tags);
    // And once more: still one.
    await page.clock.fastForward(15_500);
    await expect.poll(() => listRequests.length).toBe(lists + 2);
    await page.waitForTimeout(1000);
    expect(listRequests.slice(lists).map((search) => search.toString())).toEqual(["tag=legacy", "tag=legacy"]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it("says it in French, at phone width", async () => {
    const { page } = await open(FR);
    await page.getByTestId("entry-search").fill("credit");
    await expect.poll(() => page.getByTestId("entry-count").textContent()).toBe("99 entrées correspondantes");
    await page.getByTestId("entry-search").fill("générale");
    await expect.poll(() => page.getByTestId("entry-count").textContent()).toBe("100 entrées correspondantes affichées pour l’instant");
    expect(await page.getByTestId("entry-show-more").textContent()).toBe("Afficher plus");
    await page.getByTestId("entry-show-more").scrollIntoViewIfNeeded();
    await screenshot(page, "entry-search-show-more-fr-dark-phone");
    await page.getByTestId("entry-show-more").click();
    await expect.poll(() => page.getByTestId("entry-count").textContent()).toBe("150 entrées correspondantes");
    await expectNoAxeViolations(page, "Mes entrées, recherche, page suivante");
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
