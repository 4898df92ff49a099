// Access in a real browser: an administrator gives a member use of an entry for 8 hours from the
// entry's Access panel (principal picker, permission, length), the member sees it on "My entries"
// with its owner and "shared with" and a read-only panel, the administrator removes it and the
// member loses the entry; on a folder's page the administrator gives a group access and makes it
// the approver group. English and French, light and dark, desktop and phone.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGroupId } from "../../src/core/ids.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe.skipIf(!hasChromium)("access in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let admin: WatchwordClient;
  let bo: WatchwordClient;
  let entryId: string;
  let folderId: string;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    bo = await signedInClient(server, "bo", "member");
    await server.vault.store.groups.insertGroup({ id: newGroupId(), name: "Platform team" }, Date.now());
    folderId = (await admin.createFolder({ name: "Cloud roots" })).id;
    entryId = (await admin.createEntry({ name: "AWS root", folderId, issuer: "Amazon Web Services", seed: { secret: SEED } })).entry.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  const signIn = (username: string, view: BrowserView): Promise<Page> => signInAs(browser, server.url, { username, password: PASSWORD }, view);

  async function pick(page: Page, picker: string, typed: string, option: string): Promise<void> {
    await page.getByTestId(picker).fill(typed);
    await page.getByTestId("principal-option").filter({ hasText: option }).first().click();
  }

  it("gives, shows and removes access to an entry", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.goto(`${server.url}/entries/${entryId}`);
    const panel = page.getByTestId("access-panel");
    await panel.getByText("No one else has access yet.").waitFor();
    // Nobody chosen: the form says so next to the picker and sends nothing.
    await panel.getByTestId("add-grant").click();
    await panel.getByText("Choose who gets access.").waitFor();
    await pick(page, "principal-picker", "bo", "bo");
    await panel.getByTestId("grant-permission").selectOption("use");
    await panel.getByTestId("grant-expiry").selectOption("28800");
    await panel.getByTestId("add-grant").click();
    const row = panel.getByTestId("grant-row").filter({ hasText: "bo" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/bo\s*User.*Use codes · until .*by ada/);
    // The same grant again is refused by the server, said in the form.
    await pick(page, "principal-picker", "bo", "bo");
    await panel.getByTestId("add-grant").click();
    await panel.getByTestId("add-grant-error").getByText(/already hold this permission here/).waitFor();
    await screenshot(page, "access-entry-en-light");
    const [grant] = (await admin.listGrants({ entryId })).grants;
    expect(Date.parse(grant!.expiresAt!) - Date.parse(grant!.createdAt)).toBe(8 * 3_600_000);

    // The member sees the entry with its owner and who holds it, and a panel without changes.
    const member = await signIn("bo", { colorScheme: "dark", locale: "fr-FR", width: 1280 });
    const memberRow = member.getByTestId("entry-row").filter({ hasText: "AWS root" });
    await memberRow.waitFor();
    expect(await memberRow.getByTestId("entry-owner").textContent()).toBe("Propriétaire\u00a0: ada");
    expect(await memberRow.getByTestId("entry-shared-with").textContent()).toBe("Partagée avec bo (Utiliser les codes)");
    await screenshot(member, "access-my-entries-fr-dark");
    await memberRow.getByTestId("entry-name").click();
    const memberPanel = member.getByTestId("access-panel");
    await memberPanel.getByRole("heading", { name: "Accès", exact: true }).waitFor();
    expect(await memberPanel.getByTestId("grant-row").textContent()).toMatch(/bo\s*Utilisateur.*Utiliser les codes · jusqu’au/);
    expect(await memberPanel.getByTestId("add-grant-form").count()).toBe(0);
    await screenshot(member, "access-entry-readonly-fr-dark");

    // Removed: the member's very next request is refused.
    await row.getByTestId("remove-grant").click();
    await panel.getByText("No one else has access yet.").waitFor();
    expect(await rejection(bo.getEntry(entryId))).toMatchObject({ status: 404 });
    await member.close();
    await page.close();
  });

  it("shows a folder's page with its grants and lets an administrator choose its approver group", async () => {
    const page = await signIn("ada", { colorScheme: "dark", locale: "en-US", width: 1280 });
    await page.goto(`${server.url}/admin/folders`);
    await page.getByTestId("folder-row").filter({ hasText: "Cloud roots" }).getByTestId("folder-name").click();
    await page.getByTestId("folder-page").getByRole("heading", { name: "Cloud roots" }).waitFor();
    expect(await page.getByTestId("folder-page-count").textContent()).toBe("1 entry");
    const panel = page.getByTestId("access-panel");
    await pick(page, "principal-picker", "plat", "Platform team");
    await panel.getByTestId("grant-permission").selectOption("manage");
    await panel.getByTestId("add-grant").click();
    await panel.getByTestId("grant-row").filter({ hasText: "Platform team" }).waitFor();
    expect(await panel.getByTestId("grant-row").textContent()).toMatch(/Platform team\s*Group.*Manage · until removed/);

    await page.getByTestId("approver-group").getByText("No approver group").waitFor();
    await pick(page, "approver-picker", "platform", "Platform team");
    await page.getByTestId("save-approver").click();
    await page.getByTestId("approver-group").getByText("Approved by the group Platform team.").waitFor();
    await screenshot(page, "access-folder-en-dark");
    expect((await admin.getFolder(folderId)).approverGroup?.name).toBe("Platform team");

    // The member reached through the group entry's rows say so, and a phone shows the folder page in French.
    const phone = await signIn("ada", { colorScheme: "light", locale: "fr-FR", width: 390 });
    await phone.goto(`${server.url}/admin/folders/${folderId}`);
    await phone.getByTestId("approver-group").getByText("Approuvé par le groupe Platform team.").waitFor();
    await phone.getByTestId("access-panel").getByRole("heading", { name: "Accès", exact: true }).waitFor();
    await screenshot(phone, "access-folder-fr-light-phone");

    // A member who manages nothing there is told the page is not for them.
    const member = await signIn("bo", { colorScheme: "light", locale: "en-US", width: 1280 });
    await member.goto(`${server.url}/admin/folders/${folderId}`);
    await member.getByTestId("folder-page-refused").getByText("This folder’s page is for administrators and the folder’s managers.").waitFor();
    await screenshot(member, "access-folder-refused-en-light");
    await Promise.all([page.close(), phone.close(), member.close()]);
  });
});
