// The Alerts panel in a real browser: an administrator chooses to be told by signed webhook when
// a code is handed out or the seed overwritten, sees the signing secret once, and the webhook
// arrives at a real receiver; a member in French (dark) adds an e-mail alert for themselves, is
// refused a Slack address without https, and removes their alert. Axe finds nothing in the panel.
import http from "node:http";
import type net from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGrantId, type EntryId } from "../../src/core/ids.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe.skipIf(!hasChromium)("the Alerts panel in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let admin: WatchwordClient;
  let entryId: string;
  let receiver: http.Server;
  let port = 0;
  const received: string[] = [];

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        received.push(`${String(request.headers["watchword-timestamp"] ?? "")} ${String(request.headers["watchword-signature"] ?? "")} ${body}`);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    port = (receiver.address() as net.AddressInfo).port;
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { env: { WATCHWORD_ALERT_PRIVATE_TARGETS: "true" }, alertDelivery: { pollMs: 100, retryBaseMs: 200 } });
    admin = await signedInClient(server, "ada", "admin");
    await signedInClient(server, "bo", "member");
    entryId = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED } })).entry.id;
    const boUser = (await server.vault.store.users.findUserByUsername("bo"))!;
    await server.vault.store.users.updateUser(boUser.id, { email: "bo@example.com", language: "fr" }, Date.now());
    await server.vault.store.grants.insertGrant({ id: newGrantId(), principal: { kind: "user", id: boUser.id }, scope: { kind: "entry", id: entryId as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: null, createdAt: Date.now() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const signIn = (username: string, view: BrowserView): Promise<Page> => signInAs(browser, server.url, { username, password: PASSWORD }, view);

  it("adds a signed webhook, shows its secret once, and the webhook arrives", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.goto(`${server.url}/entries/${entryId}`);
    const panel = page.getByTestId("alerts-panel");
    await panel.getByText("No alerts yet.", { exact: false }).waitFor();
    await panel.getByTestId("alert-event-seed_overwritten").check();
    await panel.getByTestId("alert-channel").selectOption("webhook");
    // No address: said next to the field, nothing sent.
    await panel.getByTestId("add-alert").click();
    await panel.getByText("Give the address to post to.").waitFor();
    await panel.getByTestId("alert-target").fill(`http://127.0.0.1:${port}/hook/secret-path`);
    await panel.getByTestId("add-alert").click();
    const secret = (await panel.getByTestId("alert-secret-value").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const row = panel.getByTestId("alert-row");
    await row.waitFor();
    expect(await row.textContent()).toMatch(/You\s*Signed webhook · http:\/\/127\.0\.0\.1:\d+A code is handed out · The seed is overwritten/);
    expect(await row.textContent()).not.toContain("secret-path");
    await expectNoAxeViolations(page, "the entry page with its Alerts panel");
    await screenshot(page, "alerts-entry-en-light");

    await admin.getCode(entryId);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0]).toMatch(/^\d+ v1=[0-9a-f]{64} \{"type":"watchword.alert.v1"/);
    // Reloaded, the panel shows the delivery and no longer the secret.
    await page.reload();
    await panel.getByTestId("alert-delivery").getByText("1 delivered").waitFor();
    expect(await panel.textContent()).not.toContain(secret);
  });

  it("lets a member add and remove an e-mail alert in French, and says why a Slack address is refused", async () => {
    const page = await signIn("bo", { colorScheme: "dark", locale: "fr-FR", width: 390 });
    await page.goto(`${server.url}/entries/${entryId}`);
    const panel = page.getByTestId("alerts-panel");
    await panel.getByRole("heading", { name: "Alertes" }).waitFor();
    // A member sees only their own alerts: not ada's webhook, and no watcher picker.
    await panel.getByText("Aucune alerte pour l’instant.", { exact: false }).waitFor();
    expect(await panel.getByTestId("alert-watcher").count()).toBe(0);
    await panel.getByTestId("alert-channel").selectOption("slack");
    await panel.getByTestId("alert-target").fill("http://hooks.slack.com/services/T/B/x");
    await panel.getByTestId("add-alert").click();
    await panel.getByText("Une adresse de webhook Slack ou Teams sur Internet doit commencer par https://.").waitFor();
    await panel.getByTestId("alert-channel").selectOption("email");
    await panel.getByTestId("alert-event-emergency_used").check();
    await panel.getByTestId("add-alert").click();
    const row = panel.getByTestId("alert-row");
    await row.waitFor();
    expect(await row.textContent()).toContain("Un code est remis · L’accès d’urgence est utilisé");
    await expectNoAxeViolations(page, "the entry page with its Alerts panel");
    await screenshot(page, "alerts-entry-fr-dark-phone");
    await row.getByTestId("remove-alert").click();
    await panel.getByText("Aucune alerte pour l’instant.", { exact: false }).waitFor();
    expect((await admin.listAlerts(entryId)).subscriptions.map((s) => s.channel)).toEqual(["webhook"]);
  });
});
