// Access requests in Chromium with two browser contexts: a member asks for an entry that needs
// approval, an administrator sees the count in the header and approves it in the other context,
// the member's code then equals oathtool's; a break-glass entry (N = 2) gives the member its code
// at once and the administrator reviews the use. English light and French dark, desktop and phone.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import { openStore } from "../../src/store/store.js";
import { signedInApiClient } from "../support/admin-authenticator.js";
import { expectOathtoolCode, hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "juniper-beacon-harvest-63";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 1280 };
const EN_PHONE: BrowserView = { colorScheme: "light", locale: "en-US", width: 390 };

describe.skipIf(!hasChromium)("access requests and break glass in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  const pageErrors: string[] = [];

  async function grantUse(username: string, entryId: string): Promise<void> {
    const store = openStore({ dataDir, databaseUrl: undefined });
    try {
      const user = (await store.users.findUserByUsername(username))!;
      const ada = (await store.users.findUserByUsername("ada"))!;
      await store.grants.insertGrant({ id: newGrantId(), principal: { kind: "user", id: user.id }, scope: { kind: "entry", id: entryId as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: ada.id as UserId, createdAt: Date.now() });
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-requests-"));
    for (const [name, role] of [["ada", "admin"], ["max", "member"]] as const) {
      await runCli(["user", "add", name, "--role", role, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function signIn(username: string, view: BrowserView): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }

  it("member asks, administrator approves in the other context, member gets the code oathtool computes", async () => {
    const { entry } = await admin.createEntry({ name: "AWS root", seed: { secret: SEED } });
    await admin.setEntryPolicy(entry.id, { approvalsRequired: 1, emergencyAccess: false });
    await grantUse("max", entry.id);

    const member = await signIn("max", EN_LIGHT);
    const adminPage = await signIn("ada", FR_DARK);

    await member.goto(`${server.url}/entries/${entry.id}`);
    // Asked for, the code is refused with the reason, and the request form is at hand.
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    await member.getByTestId("code-panel").getByText(/needs an approved access request/).waitFor();
    expect(await member.getByTestId("access-summary").textContent()).toMatch(/Each use needs a request approved by 1 approver\./);
    await member.getByTestId("ask-access").click();
    await member.getByTestId("send-request").click();
    await member.getByTestId("request-access-form").getByText("Give a reason of at least 3 characters.").waitFor();
    await member.getByTestId("request-duration").selectOption("3600");
    await member.getByTestId("request-reason").fill("Rotate the root access keys, OPS-1234");
    await screenshot(member, "request-form-en-light");
    await member.getByTestId("send-request").click();
    await member.getByTestId("request-sent").waitFor();
    await screenshot(member, "request-sent-en-light");

    // The administrator's header counts it (polled; a reload asks at once), and the inbox offers it.
    await adminPage.reload();
    await expect.poll(async () => adminPage.getByTestId("requests-badge").textContent(), { timeout: 25_000 }).toBe("1");
    await adminPage.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: /Demandes/ }).click();
    const card = adminPage.getByTestId("requests-to-approve").getByTestId("request-card");
    await card.waitFor();
    expect(await card.textContent()).toMatch(/AWS root.*Utilisation \(obtenir des codes\).*1 heure.*En attente/);
    expect(await card.textContent()).toContain("Rotate the root access keys, OPS-1234");
    await card.getByTestId("decision-comment").fill("D’accord pour une heure");
    await screenshot(adminPage, "requests-inbox-fr-dark");
    await card.getByTestId("approve-request").click();
    await adminPage.getByTestId("requests-to-approve").getByText("Rien n’attend votre approbation.").waitFor();
    await screenshot(adminPage, "requests-inbox-empty-fr-dark");

    // The member's next look at the entry gives the code; the header tells of the approval.
    await member.goto(`${server.url}/entries/${entry.id}`);
    await member.getByTestId("code-panel").getByTestId("show-code").click();
    await expectOathtoolCode(member, member.getByTestId("code-panel").getByTestId("entry-code"), SEED);
    await expect.poll(async () => member.getByTestId("requests-badge").textContent(), { timeout: 25_000 }).toBe("1");
    await member.getByRole("link", { name: /Requests/ }).click();
    const mine = member.getByTestId("requests-mine").getByTestId("request-card");
    await mine.waitFor();
    expect(await mine.getByTestId("request-status").textContent()).toBe("Approved");
    expect(await mine.textContent()).toMatch(/Approved by ada .*D’accord pour une heure/);
    // Seen: the header's count goes at once, not at the next poll.
    await member.getByTestId("requests-badge").waitFor({ state: "detached", timeout: 5_000 });
    await screenshot(member, "requests-mine-en-light");
    await member.context().close();
    await adminPage.context().close();
  });

  it("breaks the glass on an N = 2 entry with a warning and a mandatory reason; the administrator reviews the use", async () => {
    const { entry } = await admin.createEntry({ name: "Registrar", seed: { secret: SEED } });
    await grantUse("max", entry.id);
    const adminPage = await signIn("ada", EN_LIGHT);
    await adminPage.goto(`${server.url}/entries/${entry.id}`);
    const form = adminPage.getByTestId("entry-policy-form");
    await form.getByTestId("policy-approvals").selectOption("2");
    await form.getByTestId("policy-emergency").check();
    await form.getByTestId("save-policy").click();
    await adminPage.getByText("Access policy saved.").waitFor();
    await screenshot(adminPage, "entry-policy-en-light");

    const member = await signIn("max", EN_PHONE);
    await member.goto(`${server.url}/entries/${entry.id}`);
    expect(await member.getByTestId("access-summary").textContent()).toMatch(/2 approvers\. Emergency access is allowed\./);
    await member.getByText(/Break glass only in an emergency/).waitFor();
    await member.getByTestId("break-glass").click();
    await member.getByTestId("emergency-form").getByRole("button", { name: "Break glass and show the code" }).click();
    await member.getByTestId("emergency-form").getByText("Give a reason of at least 3 characters.").waitFor();
    await member.getByTestId("emergency-form").getByTestId("reason").fill("Outage, approvers unreachable");
    await screenshot(member, "break-glass-en-phone");
    await member.getByTestId("emergency-form").getByRole("button", { name: "Break glass and show the code" }).click();
    const emergency = member.getByTestId("emergency-code");
    await emergency.waitFor();
    await expectOathtoolCode(member, emergency.getByTestId("emergency-code-digits"), SEED);
    await screenshot(member, "break-glass-code-en-phone");

    await adminPage.goto(`${server.url}/requests`);
    const review = adminPage.getByTestId("requests-to-review").getByTestId("request-card");
    await review.waitFor();
    expect(await review.textContent()).toMatch(/Registrar.*Waiting for review.*Outage, approvers unreachable/);
    await screenshot(adminPage, "requests-review-en-light");
    await review.getByTestId("review-request").click();
    await adminPage.getByTestId("requests-to-review").getByText("No emergency use waits for review.").waitFor();
    await member.context().close();
    await adminPage.context().close();
  });
});
