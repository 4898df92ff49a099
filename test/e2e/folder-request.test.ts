// Asking for a folder in Chromium: a member who sees none of a folder's entries asks, from the
// Requests page, for `recover` of it (a folder is required, said next to the picker); a member of
// the folder's approver group — not an administrator — finds it in her inbox and approves it; the
// requester then reveals a recovery code of an entry in the folder. A folder deleted while the form
// is open is refused by the server and said in the form, and nothing is asked. English at phone
// width, French dark on a desktop.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const EN_PHONE: BrowserView = { colorScheme: "light", locale: "en-US", width: 390 };
const FR_DARK: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 1280 };

describe.skipIf(!hasChromium)("asking for a folder in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let admin: WatchwordClient;
  let bo: WatchwordClient;
  let financeId: string;
  let bankId: string;
  let emptyId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    bo = await signedInClient(server, "bo", "member");
    await signedInClient(server, "bea", "member");
    const bea = (await admin.listUsers()).users.find((u) => u.username === "bea")!;
    const approvers = await admin.createGroup("Finance approvers");
    await admin.addGroupMember(approvers.id, bea.id);
    financeId = (await admin.createFolder({ name: "Finance" })).id;
    emptyId = (await admin.createFolder({ name: "Archive" })).id;
    await admin.setFolderApproverGroup(financeId, approvers.id);
    bankId = (await admin.createEntry({ name: "Bank portal", folderId: financeId, seed: { secret: SEED }, recoveryCodes: ["RCV-1111-AAAA", "RCV-2222-BBBB"] })).entry.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    expect(pageErrors).toEqual([]);
  });

  async function signIn(username: string, view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }

  it("asks for recover of a folder; the approver group's member approves; the requester reveals a recovery code", async () => {
    const member = await signIn("bo", EN_PHONE);
    expect(await member.getByTestId("entry-row").count()).toBe(0);
    await member.goto(`${server.url}/requests`);
    const section = member.getByTestId("folder-request");
    await section.getByTestId("ask-folder-access").click();
    const form = section.getByTestId("folder-request-form");
    await form.getByTestId("request-reason").fill("Re-enrol the bank token, FIN-88");
    await form.getByTestId("send-request").click();
    await form.getByText("Choose the folder you need.").waitFor();
    expect(await form.getByTestId("request-folder").getAttribute("aria-invalid")).toBe("true");
    expect((await bo.listAccessRequests("mine")).requests).toEqual([]);
    await form.getByTestId("request-folder").selectOption({ label: "Finance" });
    await form.getByTestId("request-permission").selectOption("recover");
    await form.getByTestId("request-duration").selectOption("900");
    await screenshot(member, "folder-request-form-en-phone");
    await expectNoAxeViolations(member, "folder request form");
    await form.getByTestId("send-request").click();
    await section.getByTestId("folder-request-sent").waitFor();
    const [asked] = (await bo.listAccessRequests("mine")).requests;
    expect(asked).toMatchObject({ target: { kind: "folder", id: financeId, name: "Finance" }, permission: "recover", durationSeconds: 900, reason: "Re-enrol the bank token, FIN-88", status: "pending" });
    const mine = member.getByTestId("requests-mine").getByTestId("request-card");
    await mine.waitFor();
    expect(await mine.textContent()).toMatch(/Finance.*Recover \(reveal a recovery code\).*15 minutes.*Pending/);
    await screenshot(member, "folder-request-sent-en-phone");

    // bea is no administrator, but the folder's approver group is hers.
    const approver = await signIn("bea", FR_DARK);
    await approver.goto(`${server.url}/requests`);
    const card = approver.getByTestId("requests-to-approve").getByTestId("request-card");
    await card.waitFor();
    expect(await card.textContent()).toMatch(/Finance.*Récupération.*15 minutes.*En attente.*Re-enrol the bank token, FIN-88/);
    await card.getByTestId("decision-comment").fill("Accordé");
    await card.getByTestId("approve-request").click();
    await approver.getByTestId("requests-to-approve").getByText("Rien n’attend votre approbation.").waitFor();

    // The requester opens the entry and reveals the next recovery code.
    await member.goto(`${server.url}/entries/${bankId}`);
    const recovery = member.getByTestId("recovery-panel");
    await recovery.getByTestId("reveal-next-recovery").click();
    const reason = recovery.getByTestId("recovery-reason");
    await reason.getByRole("textbox").fill("Re-enrol the bank token, FIN-88");
    await reason.getByRole("button", { name: "Reveal next code" }).click();
    expect(await recovery.getByTestId("revealed-value").textContent()).toMatch(/RCV-1111-AAAA|RCV-2222-BBBB/);
    // Recover is not use: the code stays refused.
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    await member.getByTestId("code-panel").getByRole("alert").waitFor();
    await Promise.all([member.context().close(), approver.context().close()]);
  }, 90_000);

  it("says in the form when the server refuses the folder, and asks nothing", async () => {
    const member = await signIn("bo", FR_DARK);
    await member.goto(`${server.url}/requests`);
    const section = member.getByTestId("folder-request");
    await section.getByTestId("ask-folder-access").click();
    const form = section.getByTestId("folder-request-form");
    await form.getByTestId("request-folder").selectOption({ label: "Archive" });
    await form.getByTestId("request-reason").fill("Audit de fin d’année");
    await admin.deleteFolder(emptyId);
    const before = (await bo.listAccessRequests("mine")).requests.length;
    await form.getByTestId("send-request").click();
    await form.locator(".alert").getByText("Aucun dossier ne porte cet identifiant.").waitFor();
    await screenshot(member, "folder-request-refused-fr-dark");
    expect((await bo.listAccessRequests("mine")).requests.length).toBe(before);
    await member.context().close();
  }, 60_000);
});
