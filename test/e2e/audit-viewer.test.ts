// The audit viewer in Chromium: an auditor signs in and lands on it, filters by action and by entry
// (kept in the address), opens an event's every field, loads the next page, downloads the CSV
// export of what the filters match, and verifies the chain — intact, then, after a row is edited
// in the database behind the server's back, broken at that event. An administrator sees an
// entry's recent use and the Audit item; a member sees neither and is refused the page. English
// and French, light and dark, desktop and phone, each checked with axe. An administrator finds the
// entry to filter by on the server as they type (one request once typing pauses, the first 20
// matches), never by loading every entry.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { AUDIT_CSV_COLUMNS } from "../../src/contract/audit.js";
import { loadSqlite } from "../../src/store/sqlite-module.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView, settleAnimations } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "lantern-quarry-meadow-41";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const EN_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "en-US", width: 390 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 390 };
const FR_LIGHT: BrowserView = { colorScheme: "light", locale: "fr-FR", width: 1280 };
const NBSP = "\u00a0";
/** More than one page (50) of code.issued events on one entry. */
const AWS_CODES = 55;
const MAIL_CODES = 3;

describe.skipIf(!hasChromium)("the audit viewer in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  let mailId: string;
  let awsId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-audit-"));
    for (const [name, role] of [["ada", "admin"], ["max", "member"], ["aud", "auditor"]] as const) {
      await runCli(["user", "add", name, "--role", role, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    // Others exist: the administrator signs in with the test authenticator (admin-authenticator.ts).
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
    awsId = (await admin.createEntry({ name: "AWS root", issuer: "Amazon", seed: { secret: SEED } })).entry.id;
    mailId = (await admin.createEntry({ name: "Mail", seed: { secret: SEED } })).entry.id;
    for (let i = 0; i < AWS_CODES; i += 1) await admin.getCode(awsId);
    for (let i = 0; i < MAIL_CODES; i += 1) await admin.getCode(mailId);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function signIn(username: string, view: BrowserView, landing = "entries-page"): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view, { landing });
    recordPageErrors(page, pageErrors);
    return page;
  }
  const nav = (page: Page) => page.getByRole("navigation", { name: /main|principale/i });
  const rows = (page: Page) => page.getByTestId("audit-event");
  const shownCount = async (page: Page) => Number(/^(\d+)/.exec((await page.getByTestId("audit-count").textContent()) ?? "")?.[1]);
  /** Past the dialog's opening animation, so the screenshot shows it as people see it. */
  const settled = (page: Page) => settleAnimations(page);

  it("lands an auditor on the log; filters by action and entry in the address; opens an event; loads the next page; exports CSV; verifies", { timeout: 90_000 }, async () => {
    const page = await signIn("aud", EN_LIGHT, "audit-page");
    expect(new URL(page.url()).pathname).toBe("/audit");
    expect(await nav(page).getByRole("link").allTextContents()).toEqual(["Audit"]);
    await expect.poll(() => rows(page).count()).toBe(50);
    expect(await page.getByTestId("audit-count").textContent()).toBe("50 events shown. Older events follow.");
    // Newest first: the auditor's own sign-in, then the Mail codes, the last taken.
    expect(await rows(page).first().getByTestId("audit-event-action").textContent()).toBe("Sign-in");
    expect(await rows(page).nth(1).getByTestId("audit-event-action").textContent()).toBe("Code handed out");
    const seqs = await rows(page).evaluateAll((elements) => elements.map((element) => Number(element.getAttribute("data-seq"))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await screenshot(page, "audit-list-en-light");
    await expectNoAxeViolations(page, "the audit log");

    // The next (older) page, by the button, pressed where it is (scrolling to it would load the page by itself, below).
    await page.getByTestId("audit-load-more").evaluate((button) => (button as unknown as { click(): void }).click());
    await expect.poll(() => page.getByTestId("audit-count").textContent()).toMatch(/ events shown\. That is every matching event\.$/);
    const all = await shownCount(page);
    expect(all).toBeGreaterThanOrEqual(AWS_CODES + MAIL_CODES + 2);
    expect(await rows(page).count()).toBe(all);
    expect(await page.getByTestId("audit-load-more").count()).toBe(0);
    const allSeqs = await rows(page).evaluateAll((elements) => elements.map((element) => Number(element.getAttribute("data-seq"))));
    expect(new Set(allSeqs).size).toBe(all);

    // By action: only codes handed out, said in the address.
    await page.getByTestId("audit-filter-action").selectOption({ label: "Code handed out" });
    await expect.poll(() => new URL(page.url()).searchParams.get("action")).toBe("code.issued");
    await expect.poll(() => rows(page).evaluateAll((elements) => [...new Set(elements.map((element) => element.getAttribute("data-action")))])).toEqual(["code.issued"]);
    expect(await page.getByTestId("audit-filter-count").textContent()).toBe("1 filter");

    // By entry (an auditor lists no entries: the choices are those the events name), on top.
    await page.getByTestId("audit-filter-entry").selectOption({ label: "Mail" });
    await expect.poll(() => new URL(page.url()).searchParams.get("entry")).toBe(mailId);
    await expect.poll(() => rows(page).count()).toBe(MAIL_CODES);
    expect(await page.getByTestId("audit-count").textContent()).toBe(`${MAIL_CODES} events shown. That is every matching event.`);
    // The address alone brings the same view back.
    await page.reload();
    await expect.poll(() => rows(page).count()).toBe(MAIL_CODES);
    expect(await page.getByTestId("audit-filter-entry").inputValue()).toBe(mailId);
    expect(await page.getByTestId("audit-filter-action").inputValue()).toBe("code.issued");

    // One event, every field.
    const first = rows(page).first();
    const seq = Number(await first.getAttribute("data-seq"));
    await first.getByTestId("audit-event-open").click();
    const dialog = page.getByTestId("audit-event-dialog");
    await dialog.getByTestId("audit-detail-id").waitFor();
    expect(await dialog.getByRole("heading", { level: 2 }).textContent()).toBe(`Event ${seq}`);
    expect(await dialog.getByTestId("audit-detail-seq").textContent()).toBe(String(seq));
    expect(await dialog.getByTestId("audit-detail-id").textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await dialog.getByTestId("audit-detail-at").textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}\s[AP]MUTC: \d{4}-\d{2}-\d{2}T/);
    expect(await dialog.getByTestId("audit-detail-actor").textContent()).toMatch(/^adaUser · \S+$/);
    expect(await dialog.getByTestId("audit-detail-approved-by").textContent()).toBe("None");
    expect(await dialog.getByTestId("audit-detail-action").textContent()).toBe("Code handed outcode.issued");
    expect(await dialog.getByTestId("audit-detail-entry").textContent()).toBe(`Mail${mailId}`);
    expect(await dialog.getByTestId("audit-detail-target").textContent()).toBe(`MailEntry · ${mailId}`);
    expect(await dialog.getByTestId("audit-detail-outcome").textContent()).toBe("Success");
    expect(await dialog.getByTestId("audit-detail-channel").textContent()).toBe("API");
    expect(await dialog.getByTestId("audit-detail-ip").textContent()).toBe("127.0.0.1");
    for (const field of ["target", "reason", "user-agent", "details"]) expect(await dialog.getByTestId(`audit-detail-${field}`).count(), field).toBe(1);
    await settled(page);
    await screenshot(page, "audit-event-detail-en-light");
    await expectNoAxeViolations(page, "an audit event's detail");
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.getByTestId("audit-detail-id").count()).toBe(0);

    // The CSV export of what the filters match, downloaded and read.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export-csv").click()]);
    const csv = await fs.readFile((await download.path())!, "utf8");
    const lines = csv.split(/\r?\n/).filter((line) => line !== "");
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + MAIL_CODES);
    for (const line of lines.slice(1)) {
      expect(line).toContain(",code.issued,");
      expect(line).toContain(mailId);
    }
    expect(lines[1]!.startsWith(`${seq},`)).toBe(true);
    expect(await page.getByTestId("audit-export-jsonl").getAttribute("href")).toBe(`/api/v1/audit/export?entry=${mailId}&action=code.issued&format=jsonl`);

    // Verify: intact, asked as a stream of progress lines ending with the verdict.
    const [verifyReply] = await Promise.all([page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/audit/verify"), page.getByTestId("audit-verify-start").click()]);
    expect(verifyReply.headers()["content-type"]).toMatch(/^application\/x-ndjson/);
    // (Its lines are read by the page as they come, so the browser keeps no body to show the test.)
    const verdict = page.getByTestId("audit-verdict");
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.getAttribute("data-verdict")).toBe("intact");
    expect(await verdict.getByTestId("audit-verdict-sentence").textContent()).toMatch(/^The audit chain is intact: [\d,]+ events, checked against [\d,]+ checkpoints?\.$/);
    await screenshot(page, "audit-verified-intact-en-light");
    await expectNoAxeViolations(page, "the audit log, verified");

    // Clear the filters, then narrow again from the event's own buttons.
    await page.getByTestId("audit-filter-clear").click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await expect.poll(() => rows(page).count()).toBe(50);
    // The newest code handed out (sign-ins and the verification itself came after it, about no entry).
    await page.locator('[data-testid="audit-event"][data-action="code.issued"]').first().getByTestId("audit-event-open").click();
    await dialog.getByTestId("audit-only-entry").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("entry")).toBe(mailId);
    await page.context().close();
  });

  it("shows the log in French, dark, at phone width; members see no Audit item and are refused the page", async () => {
    const page = await signIn("aud", FR_DARK_PHONE, "audit-page");
    await expect.poll(() => rows(page).count()).toBe(50);
    expect(await page.getByTestId("audit-count").textContent()).toBe("50 événements affichés. Des événements plus anciens suivent.");
    // The auditor's sign-in, newest.
    expect(await rows(page).first().getByTestId("audit-event-action").textContent()).toBe("Connexion");
    await screenshot(page, "audit-list-fr-dark-phone");
    await expectNoAxeViolations(page, "the audit log in French at phone width");
    await rows(page).first().getByTestId("audit-event-open").click();
    const dialog = page.getByTestId("audit-event-dialog");
    await dialog.getByTestId("audit-detail-id").waitFor();
    expect(await dialog.getByTestId("audit-detail-outcome").textContent()).toBe("Réussite");
    await settled(page);
    await screenshot(page, "audit-event-detail-fr-dark-phone");
    await expectNoAxeViolations(page, "an audit event's detail in French at phone width");
    await page.keyboard.press("Escape");
    await page.getByTestId("audit-verify-start").click();
    const verdict = page.getByTestId("audit-verdict");
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.getByTestId("audit-verdict-sentence").textContent()).toMatch(new RegExp(`^La chaîne d’audit est intacte${NBSP}: `));
    await screenshot(page, "audit-verified-intact-fr-dark-phone");
    await page.context().close();

    const english = await signIn("aud", EN_DARK_PHONE, "audit-page");
    await expect.poll(() => rows(english).count()).toBe(50);
    await screenshot(english, "audit-list-en-dark-phone");
    await expectNoAxeViolations(english, "the audit log in dark at phone width");
    // Scrolling down to the end of the list loads the next page by itself.
    await english.getByTestId("audit-more").scrollIntoViewIfNeeded();
    await expect.poll(() => english.getByTestId("audit-count").textContent()).toMatch(/ events shown\. That is every matching event\.$/);
    expect(await rows(english).count()).toBeGreaterThan(50);
    await english.context().close();

    const french = await signIn("aud", FR_LIGHT, "audit-page");
    await expect.poll(() => rows(french).count()).toBe(50);
    await french.getByTestId("audit-filter-outcome").selectOption({ label: "Refus" });
    await french.getByTestId("audit-empty").waitFor();
    expect(await french.getByTestId("audit-empty").textContent()).toContain("Aucun événement ne correspond à ces filtres.");
    await screenshot(french, "audit-empty-fr-light");
    await expectNoAxeViolations(french, "no matching audit event, in French");
    await french.context().close();

    const member = await signIn("max", EN_LIGHT);
    expect(await nav(member).getByRole("link").allTextContents()).not.toContain("Audit");
    await member.goto(`${server.url}/audit`);
    await member.getByTestId("audit-forbidden").waitFor();
    expect(await member.getByTestId("audit-forbidden").textContent()).toContain("Only administrators and auditors may read the audit log.");
    expect(await rows(member).count()).toBe(0);
    await screenshot(member, "audit-forbidden-member-en-light");
    // Allowed only to use an entry, they are not shown who else used it (and the page asks nothing it would be refused).
    const maxId = (await admin.listUsers()).users.find((user) => user.username === "max")!.id;
    await admin.createGrant({ principal: { kind: "user", id: maxId }, scope: { kind: "entry", id: awsId }, permission: "use" });
    const asked: string[] = [];
    member.on("request", (request) => asked.push(new URL(request.url()).pathname));
    await member.goto(`${server.url}/entries/${awsId}`);
    await member.getByTestId("details-panel").waitFor();
    expect(await member.getByTestId("recent-use-panel").count()).toBe(0);
    expect(asked.filter((pathname) => pathname.includes("audit"))).toEqual([]);
    await member.context().close();
  });

  it("gives administrators the Audit item and an entry's recent use", async () => {
    const page = await signIn("ada", EN_LIGHT);
    expect(await nav(page).getByRole("link").allTextContents()).toContain("Audit");
    await page.goto(`${server.url}/entries/${mailId}`);
    const panel = page.getByTestId("recent-use-panel");
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId("recent-use-event").count()).toBeGreaterThanOrEqual(MAIL_CODES);
    expect(await panel.getByTestId("recent-use-event").first().textContent()).toMatch(/^Code handed out by ada.* · through API$/);
    await screenshot(page, "entry-recent-use-en-light");
    await expectNoAxeViolations(page, "an entry's recent use");
    // A code taken here shows in its recent use at once, through the web.
    await page.getByTestId("show-code").first().click();
    await expect.poll(() => panel.getByTestId("recent-use-event").first().textContent()).toMatch(/^Code handed out by ada.* · through Web$/);
    const listRequests: URLSearchParams[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/v1/entries") listRequests.push(url.searchParams);
    });
    await panel.getByTestId("recent-use-all").click();
    await page.getByTestId("audit-page").waitFor();
    expect(new URL(page.url()).searchParams.get("entry")).toBe(mailId);
    await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(MAIL_CODES + 1);
    // The chosen entry by its name; the entries offered are the first matches of a search, asked as typed.
    const entryFilter = page.getByTestId("audit-filter-entry");
    await expect.poll(() => entryFilter.locator("option:checked").textContent()).toBe("Mail");
    const before = listRequests.length;
    await page.getByTestId("audit-filter-entry-search").pressSequentially("aws ro", { delay: 40 });
    await expect.poll(() => listRequests.length).toBe(before + 1);
    // The chosen Mail stays offered though it does not match.
    await expect.poll(() => entryFilter.locator("option").allTextContents()).toEqual(["Any entry", "AWS root", "Mail"]);
    await page.getByTestId("audit-filter-entry-search").fill("mail");
    await expect.poll(() => listRequests.length).toBe(before + 2);
    await expect.poll(() => entryFilter.locator("option").allTextContents()).toEqual(["Any entry", "Mail"]);
    await page.getByTestId("audit-filter-entry-search").fill("aws ro");
    await expect.poll(() => entryFilter.locator("option").allTextContents()).toEqual(["Any entry", "AWS root", "Mail"]);
    // Typed key by key, asked once typing paused; the second "aws ro" came from the cache.
    expect(listRequests.slice(before).map((search) => search.toString())).toEqual(["view=all&limit=20&q=aws+ro", "view=all&limit=20&q=mail"]);
    expect(listRequests.every((search) => search.get("limit") === "20" && !search.has("cursor"))).toBe(true);
    await screenshot(page, "audit-entry-search-en-light");
    await expectNoAxeViolations(page, "the audit viewer's entry search");
    await entryFilter.selectOption({ label: "AWS root" });
    await expect.poll(() => new URL(page.url()).searchParams.get("entry")).toBe(awsId);
    await page.context().close();

    const phone = await signIn("ada", FR_DARK_PHONE);
    await phone.goto(`${server.url}/entries/${awsId}`);
    await phone.getByTestId("recent-use-panel").getByTestId("recent-use-event").first().waitFor();
    // The member's grant on it came last (the test before); the codes before it.
    expect(await phone.getByTestId("recent-use-panel").getByTestId("recent-use-event").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Accès accordé par ada/), expect.stringMatching(/^Code remis par ada/)]),
    );
    await screenshot(phone, "entry-recent-use-fr-dark-phone");
    await phone.context().close();
  });

  it("names the event a database writer edited when the chain is verified again", async () => {
    const page = await signIn("aud", EN_LIGHT, "audit-page");
    await expect.poll(() => rows(page).count()).toBe(50);
    const target = Number(await rows(page).nth(3).getAttribute("data-seq"));
    // Someone with the database but not the key rewrites an event's details.
    const raw = new (loadSqlite())(path.join(dataDir, "watchword.db"));
    try {
      expect(raw.prepare("UPDATE audit_events SET details = ? WHERE seq = ?").run(JSON.stringify({ tampered: true }), target).changes).toBe(1);
    } finally {
      raw.close();
    }
    await page.getByTestId("audit-verify-start").click();
    const verdict = page.getByTestId("audit-verdict");
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.getAttribute("data-verdict")).toBe("broken");
    expect(await verdict.getAttribute("data-broken-at")).toBe(String(target));
    expect(await verdict.getByTestId("audit-verdict-sentence").textContent()).toMatch(new RegExp(`^Event ${target} `));
    expect(await verdict.textContent()).toContain(`First event at fault: ${target}`);
    // The event at fault is on the page: its detail opens from the verdict.
    await verdict.getByTestId("audit-verdict-show").click();
    await expect.poll(() => page.getByTestId("audit-event-dialog").getByTestId("audit-detail-seq").textContent()).toBe(String(target));
    expect(await page.getByTestId("audit-detail-details").textContent()).toContain('"tampered": true');
    await page.keyboard.press("Escape");
    await screenshot(page, "audit-verified-broken-en-light");
    await expectNoAxeViolations(page, "a broken audit chain");
    await page.context().close();

    const french = await signIn("aud", FR_DARK_PHONE, "audit-page");
    await french.getByTestId("audit-verify-start").click();
    await french.getByTestId("audit-verdict").waitFor({ timeout: 20_000 });
    expect(await french.getByTestId("audit-verdict-sentence").textContent()).toMatch(new RegExp(`^L’événement ${target} `));
    await screenshot(french, "audit-verified-broken-fr-dark-phone");
    await french.context().close();
  });
});
