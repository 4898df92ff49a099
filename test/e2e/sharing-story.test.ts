// Issue 8's story end to end, in Chromium with a browser context per person, against a server
// whose clock the test moves: an administrator invites a member (the one-time link shown once),
// the member joins through it in their own browser, asks for use of a folder for a while with a
// reason; the administrator sees the count in the header and approves it, shortening the window
// to five minutes; the member sees the folder's entry and its code equals oathtool's; the window
// ends (the clock moved past it) and, in the open "My entries" list, the entry is gone. Then an
// entry that needs two approvals: its code is refused with "request needed" and the web offers
// the request form; one approval is not enough; a second approver (a member who manages the
// entry) makes it two, and the code works. The requester is never offered their own request.
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import type { Clock } from "../../src/core/clock.js";
import { expectOathtoolCode, hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const MEMBER_PASSWORD = "harbour-quartz-meadow-27";
const AWS_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const REGISTRAR_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 1280 };
const EN_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "en-US", width: 390 };

/** The real time plus what the test has skipped ahead: codes stay computable, windows end when told. */
class MovableClock implements Clock {
  skipped = 0;
  now(): number {
    return Date.now() + this.skipped;
  }
}

describe.skipIf(!hasChromium)("the sharing story in Chromium", () => {
  const clock = new MovableClock();
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let admin: WatchwordClient;
  let folderId: string;
  let awsId: string;
  let registrarId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
    await signedInClient(server, "bea", "member");
    folderId = (await admin.createFolder({ name: "Cloud roots" })).id;
    awsId = (await admin.createEntry({ name: "AWS root", folderId, issuer: "Amazon Web Services", seed: { secret: AWS_SEED } })).entry.id;
    registrarId = (await admin.createEntry({ name: "Registrar", issuer: "Gandi", seed: { secret: REGISTRAR_SEED } })).entry.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  async function signIn(username: string, view: BrowserView, password = PASSWORD): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password }, view);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }
  const entryRow = (page: Page, name: string) => page.getByTestId("entry-row").filter({ has: page.getByTestId("entry-name").getByText(name, { exact: true }) });
  const isCodeReply = (entryId: string) => (response: Response) => response.url().includes(`/api/v1/entries/${entryId}/code`) && response.request().method() !== "OPTIONS";

  it("invites, joins, asks for a folder, is approved for five minutes, gets the code, and loses the entry when the window ends", async () => {
    // The administrator invites mia: the link is shown once.
    const adminPage = await signIn("ada", EN_LIGHT);
    await adminPage.goto(`${server.url}/admin/users`);
    await adminPage.getByTestId("users-page").waitFor();
    await adminPage.getByTestId("invite-user").click();
    await adminPage.getByTestId("invite-username").fill("mia");
    await adminPage.getByTestId("invite-display-name").fill("Mia Moreau");
    await adminPage.getByTestId("send-invite").click();
    const shown = adminPage.getByTestId("one-time-link-value");
    await shown.waitFor();
    const link = ((await shown.textContent()) ?? "").trim();
    expect(link).toMatch(new RegExp(`^${server.url}/join#token=\\S+$`));
    await screenshot(adminPage, "story-invite-link-en-light");
    await adminPage.getByTestId("dismiss-link").click();
    expect(await adminPage.content()).not.toContain(link.split("#token=")[1]);

    // mia joins in a browser of her own, in French.
    const memberContext = await browser.newContext({ locale: FR_DARK.locale, colorScheme: FR_DARK.colorScheme, viewport: { width: FR_DARK.width, height: 900 } });
    const member = await memberContext.newPage();
    member.on("pageerror", (error) => pageErrors.push(error.message));
    await member.goto(link);
    await member.getByRole("heading", { name: "Rejoindre Watchword" }).waitFor();
    await member.getByLabel("Nouveau mot de passe").fill(MEMBER_PASSWORD);
    await member.getByLabel("Confirmer le mot de passe").fill(MEMBER_PASSWORD);
    await screenshot(member, "story-join-fr-dark");
    await member.getByRole("button", { name: "Créer mon compte" }).click();
    await member.getByTestId("entries-page").waitFor();
    expect(await member.getByTestId("entry-row").count()).toBe(0);

    // She sees no entry, but every folder's name: she asks for use of "Cloud roots" from the Requests page.
    await member.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: /Demandes/ }).click();
    const ask = member.getByTestId("folder-request");
    await ask.getByTestId("ask-folder-access").click();
    const form = ask.getByTestId("folder-request-form");
    await form.getByTestId("send-request").click();
    await form.getByText("Choisissez le dossier dont vous avez besoin.").waitFor();
    expect(await form.getByTestId("request-folder").locator("option").allTextContents()).toEqual(["Choisir un dossier", "Cloud roots"]);
    await form.getByTestId("request-folder").selectOption({ label: "Cloud roots" });
    await form.getByTestId("request-duration").selectOption("900");
    await form.getByTestId("request-reason").fill("Astreinte cette nuit, INC-4711");
    await screenshot(member, "story-folder-request-fr-dark");
    await form.getByTestId("send-request").click();
    await ask.getByTestId("folder-request-sent").getByText("Demande pour Cloud roots envoyée", { exact: false }).waitFor();
    const mine = member.getByTestId("requests-mine").getByTestId("request-card");
    await mine.waitFor();
    expect(await mine.textContent()).toMatch(/Cloud roots.*Utilisation \(obtenir des codes\).*15 minutes.*En attente/);
    // Her own request is not hers to approve.
    expect(await member.getByTestId("requests-to-approve").getByTestId("request-card").count()).toBe(0);

    // The administrator's header counts it; she approves it for five minutes instead of fifteen.
    await adminPage.reload();
    await expect.poll(() => adminPage.getByTestId("requests-badge").textContent(), { timeout: 25_000 }).toBe("1");
    await adminPage.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: /Requests/ }).click();
    const card = adminPage.getByTestId("requests-to-approve").getByTestId("request-card");
    await card.waitFor();
    expect(await card.textContent()).toMatch(/Cloud roots.*Use \(get codes\).*15 minutes.*Pending.*Astreinte cette nuit, INC-4711/);
    expect(await card.getByTestId("approve-duration").locator("option").allTextContents()).toEqual(["5 minutes", "15 minutes (as asked)"]);
    await card.getByTestId("approve-duration").selectOption("300");
    await card.getByTestId("decision-comment").fill("Five minutes are enough");
    await screenshot(adminPage, "story-approve-en-light");
    await card.getByTestId("approve-request").click();
    await adminPage.getByTestId("requests-to-approve").getByText("Nothing waits for your approval.").waitFor();
    const [grant] = (await admin.listGrants({ folderId })).grants;
    expect(Date.parse(grant!.expiresAt!) - Date.parse(grant!.createdAt)).toBe(5 * 60_000);

    // mia now sees the folder's entry on "My entries", and the code she asks for is oathtool's.
    await member.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Mes entrées" }).click();
    const aws = entryRow(member, "AWS root");
    await aws.waitFor();
    await aws.getByTestId("show-code").click();
    await expectOathtoolCode(member, aws.getByTestId("entry-code"), AWS_SEED, 30, () => clock.now());
    await screenshot(member, "story-member-code-fr-dark");

    // Five minutes and a little later (the server's clock), the window has ended: without a reload,
    // the open list (it asks again every 15 s) drops the entry, and its page says "not found", as
    // for any entry she may not use.
    clock.skipped += 5 * 60_000 + 5_000;
    await expect.poll(() => member.getByTestId("entry-row").count(), { timeout: 25_000, interval: 500 }).toBe(0);
    await screenshot(member, "story-member-expired-fr-dark");
    await member.goto(`${server.url}/entries/${awsId}`);
    await member.getByTestId("entry-not-found").waitFor();
    // The grant stays listed, ended: it expired by itself, nobody revoked it.
    const [ended] = (await admin.listGrants({ folderId })).grants;
    expect(ended).toMatchObject({ id: grant!.id, revokedAt: null });
    expect(Date.parse(ended!.expiresAt!)).toBeLessThan(clock.now());
    await adminPage.context().close();
    await memberContext.close();
  }, 120_000);

  it("needs two distinct approvers other than the requester for an entry that requires N = 2", async () => {
    const mia = (await admin.listUsers()).users.find((u) => u.username === "mia")!;
    const bea = (await admin.listUsers()).users.find((u) => u.username === "bea")!;
    await admin.createGrant({ principal: { kind: "user", id: mia.id }, scope: { kind: "entry", id: registrarId }, permission: "use" });
    await admin.createGrant({ principal: { kind: "user", id: bea.id }, scope: { kind: "entry", id: registrarId }, permission: "manage" });
    const adminPage = await signIn("ada", EN_LIGHT);
    await adminPage.goto(`${server.url}/entries/${registrarId}`);
    const policy = adminPage.getByTestId("entry-policy-form");
    await policy.getByTestId("policy-approvals").selectOption("2");
    await policy.getByTestId("save-policy").click();
    await adminPage.getByText("Access policy saved.").waitFor();

    // Before: the code endpoint answers "request needed", said on the page, with the request form at hand.
    const member = await signIn("mia", FR_DARK, MEMBER_PASSWORD);
    await member.goto(`${server.url}/entries/${registrarId}`);
    const before = member.waitForResponse(isCodeReply(registrarId));
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    const beforeReply = await before;
    expect(beforeReply.status()).toBe(403);
    expect(await beforeReply.json()).toMatchObject({ status: 403, key: "entry_approval_required" });
    await member.getByTestId("code-panel").getByText(/demande d’accès approuvée/).waitFor();
    expect(await member.getByTestId("access-summary").textContent()).toMatch(/2 approbateurs/);
    await member.getByTestId("ask-access").click();
    await member.getByTestId("request-duration").selectOption("3600");
    await member.getByTestId("request-reason").fill("Renouveler le domaine, OPS-77");
    await member.getByTestId("send-request").click();
    await member.getByTestId("request-sent").waitFor();
    await screenshot(member, "story-two-person-request-fr-dark");

    // The first approval (the administrator's) is one of two: still refused.
    await adminPage.goto(`${server.url}/requests`);
    const card = adminPage.getByTestId("requests-to-approve").getByTestId("request-card");
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toMatch(/Registrar.*0 of 2 approvals/);
    await card.getByTestId("approve-request").click();
    await adminPage.getByTestId("requests-to-approve").getByText("Nothing waits for your approval.").waitFor();
    await member.reload();
    const stillRefused = member.waitForResponse(isCodeReply(registrarId));
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    expect((await stillRefused).status()).toBe(403);

    // The second, by bea who manages the entry, on her phone: now the code works.
    const manager = await signIn("bea", EN_DARK_PHONE);
    await manager.goto(`${server.url}/requests`);
    const beaCard = manager.getByTestId("requests-to-approve").getByTestId("request-card");
    await beaCard.waitFor();
    expect(await beaCard.textContent()).toMatch(/Registrar.*1 of 2 approvals.*Approved by ada/);
    await screenshot(manager, "story-second-approver-en-dark-phone");
    await beaCard.getByTestId("approve-request").click();
    await manager.getByTestId("requests-to-approve").getByText("Nothing waits for your approval.").waitFor();

    await member.reload();
    const after = member.waitForResponse(isCodeReply(registrarId));
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    expect((await after).status()).toBe(200);
    await expectOathtoolCode(member, member.getByTestId("code-panel").getByTestId("entry-code"), REGISTRAR_SEED, 30, () => clock.now());
    await screenshot(member, "story-two-person-code-fr-dark");
    await member.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: /Demandes/ }).click();
    const mine = member.getByTestId("requests-mine").getByTestId("request-card").filter({ hasText: "Registrar" });
    await mine.waitFor();
    expect(await mine.getByTestId("request-status").textContent()).toBe("Approuvée");
    await Promise.all([adminPage.context().close(), member.context().close(), manager.context().close()]);
  }, 120_000);

  it("raised no error in the pages", () => {
    expect(pageErrors).toEqual([]);
  });
});
