// Every page issue 8 added, photographed in English and French, light and dark, desktop and phone
// width, from one vault with something on each page (users of every role and status, a group, a
// service account with a token, a folder with grants and an approver group, entries with access,
// an approval rule and emergency access, pending requests and an emergency use to review). The
// pictures are for people to look at (test-results/screenshots/issue8-*); what a machine can
// check is checked here too: nothing wider than the screen, no key shown instead of a sentence.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView, settleAnimations, layoutProblemsOf } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const VIEWS: readonly (BrowserView & { readonly name: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280 },
  { name: "fr-dark", colorScheme: "dark", locale: "fr-FR", width: 1280 },
  { name: "en-dark-phone", colorScheme: "dark", locale: "en-US", width: 390 },
  { name: "fr-light-phone", colorScheme: "light", locale: "fr-FR", width: 390 },
];

describe.skipIf(!hasChromium)("screenshots of issue 8's pages", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let admin: WatchwordClient;
  let folderId: string;
  let awsId: string;
  let registrarId: string;
  let bankId: string;
  let joinLink: string;
  let resetLink: string;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    const bo = await signedInClient(server, "bo", "member");
    await signedInClient(server, "cy", "auditor");
    await admin.updateAccount({ displayName: "Ada Lovelace" });
    await bo.updateAccount({ displayName: "Bo Martin" });
    const users = (await admin.listUsers()).users;
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;

    const group = await admin.createGroup("Platform team");
    await admin.addGroupMember(group.id, idOf("bo"));
    await admin.addGroupMember(group.id, idOf("ada"));
    folderId = (await admin.createFolder({ name: "Cloud roots" })).id;
    await admin.createFolder({ name: "Finance" });
    await admin.setFolderApproverGroup(folderId, group.id);
    awsId = (await admin.createEntry({ name: "AWS root", folderId, issuer: "Amazon Web Services", seed: { secret: SEED } })).entry.id;
    registrarId = (await admin.createEntry({ name: "Registrar", issuer: "Gandi", seed: { secret: SEED } })).entry.id;
    bankId = (await admin.createEntry({ name: "Bank portal", issuer: "Banque Populaire", seed: { secret: SEED } })).entry.id;
    await admin.createGrant({ principal: { kind: "group", id: group.id }, scope: { kind: "folder", id: folderId }, permission: "use" });
    await admin.createGrant({ principal: { kind: "user", id: idOf("bo") }, scope: { kind: "entry", id: awsId }, permission: "recover", durationSeconds: 8 * 3600 });
    for (const id of [registrarId, bankId]) await admin.createGrant({ principal: { kind: "user", id: idOf("bo") }, scope: { kind: "entry", id }, permission: "use" });
    await admin.setEntryPolicy(registrarId, { approvalsRequired: 2, emergencyAccess: true });
    await admin.setEntryPolicy(bankId, { approvalsRequired: 1, emergencyAccess: false });

    // What waits in the inbox: a request for an entry, one for a folder, an emergency use to review.
    await bo.requestAccess({ entryId: bankId, durationSeconds: 3600, reason: "Pay the quarterly invoices, FIN-204" });
    await bo.requestAccess({ folderId, permission: "recover", durationSeconds: 86_400, reason: "Lost my phone, need to re-enrol" });
    await bo.emergencyCode(registrarId, "Domain expires tonight, approvers asleep");

    const sa = await admin.createServiceAccount({ name: "ci-deploy", description: "Deploy pipeline" });
    await admin.createApiToken(sa.id, { label: "GitHub Actions", scope: { entryIds: [], folderIds: [folderId], permissions: ["use"] }, expiresInSeconds: 30 * 86_400, allowedCidrs: ["10.0.0.0/8"] });
    await admin.createServiceAccount({ name: "backup-job" });

    joinLink = (await admin.inviteUser({ username: "dee", displayName: "Dee Durand", role: "member" })).link;
    resetLink = (await admin.issuePasswordReset(idOf("bo"))).link;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** Photographs the page, and says whether it is wider than the screen or shows a catalogue key. */
  async function shoot(page: Page, view: BrowserView & { name: string }, name: string): Promise<void> {
    await settleAnimations(page);
    await screenshot(page, `issue8-${name}-${view.name}`);
    problems.push(...(await layoutProblemsOf(page, `${name} ${view.name}`, ["access", "admin", "account", "shell", "entries", "people"])));
  }

  for (const view of VIEWS) {
    it(`photographs every page in ${view.name}`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const page = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, view);
      page.on("pageerror", (error) => problems.push(`${view.name}: ${error.message}`));

      await page.getByTestId("user-menu-button").click();
      await page.getByTestId("user-menu").waitFor();
      await shoot(page, view, "user-menu");
      await page.keyboard.press("Escape");

      await page.goto(`${server.url}/admin/users`);
      await page.getByTestId("user-row").first().waitFor();
      await shoot(page, view, "users");
      await page.getByTestId("invite-user").click();
      await page.getByTestId("invite-user-form").waitFor();
      await shoot(page, view, "users-invite");

      await page.goto(`${server.url}/admin/groups`);
      await page.getByTestId("group-card").first().waitFor();
      await shoot(page, view, "groups");

      await page.goto(`${server.url}/admin/service-accounts`);
      await page.getByText("ci-deploy").first().waitFor();
      await page.getByText("GitHub Actions").first().waitFor();
      await shoot(page, view, "service-accounts");

      await page.goto(`${server.url}/admin/folders/${folderId}`);
      await page.getByTestId("folder-page").waitFor();
      await page.getByTestId("access-panel").getByTestId("grant-row").first().waitFor();
      await shoot(page, view, "folder-page");

      await page.goto(`${server.url}/entries/${awsId}`);
      await page.getByTestId("access-panel").getByTestId("grant-row").first().waitFor();
      await shoot(page, view, "entry-access-panel");
      await page.goto(`${server.url}/entries/${registrarId}`);
      await page.getByTestId("entry-policy-form").waitFor();
      await shoot(page, view, "entry-policy");

      await page.goto(`${server.url}/requests`);
      await page.getByTestId("requests-to-approve").getByTestId("request-card").first().waitFor();
      await page.getByTestId("requests-to-review").getByTestId("request-card").first().waitFor();
      await shoot(page, view, "requests-inbox");

      await page.goto(`${server.url}/account`);
      await page.getByTestId("account-page").or(page.locator("select[name=language]")).first().waitFor();
      await shoot(page, view, "account");
      await page.context().close();

      const member = await signInAs(browser, server.url, { username: "bo", password: PASSWORD }, view);
      member.on("pageerror", (error) => problems.push(`${view.name}: ${error.message}`));
      await member.goto(`${server.url}/entries/${bankId}`);
      await member.getByTestId("ask-access").click();
      await member.getByTestId("request-access-form").waitFor();
      await shoot(member, view, "request-form");
      await member.goto(`${server.url}/entries/${registrarId}`);
      await member.getByTestId("break-glass").click();
      await member.getByTestId("emergency-form").waitFor();
      await shoot(member, view, "break-glass");
      await member.goto(`${server.url}/requests`);
      await member.getByTestId("requests-mine").getByTestId("request-card").first().waitFor();
      await member.getByTestId("ask-folder-access").click();
      await member.getByTestId("folder-request-form").waitFor();
      await shoot(member, view, "requests-mine-folder-form");
      await member.context().close();

      const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
      const visitor = await context.newPage();
      visitor.on("pageerror", (error) => problems.push(`${view.name}: ${error.message}`));
      await visitor.goto(joinLink);
      await visitor.getByRole("heading", { name: isFrench ? "Rejoindre Watchword" : "Join Watchword" }).waitFor();
      await visitor.getByTestId("link-intro").waitFor();
      await shoot(visitor, view, "join");
      await visitor.goto(resetLink);
      await visitor.getByTestId("link-intro").waitFor();
      await shoot(visitor, view, "reset-password");
      await context.close();
    }, 90_000);
  }

  it("found nothing wider than the screen, no untranslated key and no page error", () => {
    expect(problems).toEqual([]);
  });
});
