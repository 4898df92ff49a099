// Push approval reaches the person wherever the app is: in Chromium, the approving browser sits on
// "My entries" (not Sign-in & security) and the request opens the app-wide dialog (who, from
// where, browser, three numbers, deny); a sign-in whose second step was opened by a link
// (?second_step=) offers push like the sign-in page does; and the service worker shows a push
// message of the server's shape as a notification (CDP ServiceWorker.deliverPushMessage).
// English light desktop and French dark phone; screenshots go to test-results/screenshots/push-anywhere-*.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushMessageOf, viewOfRequest } from "../../src/services/push-approvals.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

/** What the tests read of the page's service worker (the test project has no DOM types). */
type InPage = { navigator: { serviceWorker: { ready: Promise<{ active: { scriptURL: string } | null; getNotifications(): Promise<{ title: string; body: string; tag: string }[]> }> } } };

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const VIEWS: readonly (BrowserView & { readonly name: string; readonly username: string })[] = [
  { name: "en-light", colorScheme: "light", locale: "en-US", width: 1280, username: "ada" },
  { name: "fr-dark-phone", colorScheme: "dark", locale: "fr-FR", width: 390, username: "leo" },
];

describe.skipIf(!hasChromium)("push approval from anywhere in the app, in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    for (const username of [...VIEWS.map((view) => view.username), "mia"]) await signedInClient(server, username, "member");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** Signs in on the "phone" and registers it for push approval (the fresh sign-in is sudo mode). */
  async function registeredPhone(view: (typeof VIEWS)[number]): Promise<Page> {
    const phone = await signInAs(browser, server.url, { username: view.username, password: PASSWORD }, view);
    recordPageErrors(phone, errors);
    await phone.goto(`${server.url}/account/security`);
    await phone.getByTestId("push-devices").getByTestId("push-register").click();
    await phone.getByTestId("push-devices").getByTestId("push-device").waitFor();
    return phone;
  }
  const laptopContext = (view: BrowserView): Promise<BrowserContext> => browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: 1280, height: 800 } });

  for (const view of VIEWS) {
    it(`shows the approve dialog on "My entries", and offers push on a ?second_step= link (${view.name})`, async () => {
      const isFrench = view.locale.startsWith("fr");
      const phone = await registeredPhone(view);
      // Headless Chromium offers no push service: the browser is registered without one, and says so.
      expect(await phone.getByTestId("push-no-web-push").textContent()).toContain(isFrench ? "que lorsque Watchword est ouvert" : "only while Watchword is open");
      await phone.getByRole("link", { name: isFrench ? "Mes entrées" : "My entries" }).first().click();
      await phone.getByTestId("entries-page").waitFor();

      // A sign-in elsewhere: the dialog opens over "My entries" with the request.
      const laptop = await (await laptopContext(view)).newPage();
      recordPageErrors(laptop, errors);
      await laptop.goto(`${server.url}/sign-in`);
      await laptop.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(view.username);
      await laptop.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
      await laptop.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
      const number = (await laptop.getByTestId("push-number").textContent())!.trim();
      const dialog = phone.getByTestId("push-approval-dialog");
      const request = dialog.getByTestId("push-request");
      await request.waitFor();
      expect((await dialog.getByRole("heading").first().textContent())?.replace(/\s/g, " ")).toBe(isFrench ? "Est-ce bien vous qui vous connectez ?" : "Is this you signing in?");
      expect(await request.getByTestId("push-request-who").textContent()).toBe(
        isFrench ? `${view.username} se connecte depuis 127.0.0.1 avec Chrome sous Linux.` : `${view.username} is signing in from 127.0.0.1 with Chrome on Linux.`,
      );
      const choices = await request.getByTestId("push-choice").allTextContents();
      expect(choices).toHaveLength(3);
      expect(choices).toContain(number);
      expect(await request.getByTestId("push-deny").count()).toBe(1);
      expect(await phone.getByTestId("entries-page").count()).toBe(1); // still on My entries, under the dialog
      await screenshot(phone, `push-anywhere-dialog-${view.name}`);
      await request.getByTestId("push-choice").filter({ hasText: new RegExp(`^${number}$`) }).click();
      await laptop.getByTestId("entries-page").waitFor();
      expect(await dialog.getByTestId("push-dialog-outcome").textContent()).toBe(isFrench ? "Connexion approuvée." : "Sign-in approved.");
      await screenshot(phone, `push-anywhere-approved-${view.name}`);
      await dialog.getByTestId("push-dialog-close").click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await laptop.context().close();

      // A second step opened by a link (the password step done elsewhere, as a reset link does it): push is offered.
      const linked = await (await laptopContext(view)).newPage();
      recordPageErrors(linked, errors);
      const started = await linked.request.post(`${server.url}/api/v1/auth/sign-in`, { data: { username: view.username, password: PASSWORD } });
      expect(((await started.json()) as { status: string }).status).toBe("mfa_required");
      await linked.goto(`${server.url}/sign-in?second_step=push,recovery_code`);
      const linkedNumber = (await linked.getByTestId("push-number").textContent())!.trim();
      expect(linkedNumber).toMatch(/^\d\d$/);
      await screenshot(linked, `push-anywhere-second-step-link-${view.name}`);
      await request.waitFor();
      await request.getByTestId("push-deny").click();
      await linked.getByTestId("push-ended").waitFor();
      expect(await dialog.getByTestId("push-dialog-outcome").textContent()).toBe(isFrench ? "Connexion refusée." : "Sign-in refused.");
      await linked.context().close();
      await phone.context().close();
    }, 60_000);
  }

  it("shows a push message of the server's shape as a notification from the service worker", async () => {
    const view = { ...VIEWS[0]!, username: "mia" };
    const phone = await registeredPhone(view);
    await phone.context().grantPermissions(["notifications"], { origin: server.url });
    // The app registered its service worker for this browser, in its language.
    const scriptUrl = await phone.evaluate(async () => (await (globalThis as unknown as InPage).navigator.serviceWorker.ready).active?.scriptURL);
    expect(scriptUrl).toBe(`${server.url}/sw.js?lang=en`);

    // A real request of a pending sign-in, as Web Push would carry it.
    const pending = server.newClient({ headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" } });
    await pending.startSignIn({ username: view.username, password: PASSWORD });
    await pending.requestPushApproval();
    const user = (await server.vault.store.users.findUserByUsername(view.username))!;
    const [record] = await server.vault.store.pushApprovals.listPendingRequestsOfUser(user.id, Date.now());
    const message = pushMessageOf(viewOfRequest(record!, view.username));

    const cdp = await phone.context().newCDPSession(phone);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const found = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
        if (found !== undefined) resolve(found.registrationId);
      });
    });
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: server.url, registrationId: await registrationId, data: JSON.stringify(message) });
    const notificationsShown = () => phone.evaluate(async () => (await (await (globalThis as unknown as InPage).navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })));
    await expect.poll(notificationsShown, { timeout: 10_000 }).toEqual([
      { title: "Is this you signing in?", body: `${view.username} is signing in from 127.0.0.1 with Firefox on Windows. Open Watchword to tap the number.`, tag: `push-request:${record!.id}` },
    ]);
    // A step-up's request says what it asks, as the app's card does.
    const stepUp = { ...message, requestId: "5b0f3c1e-2d4a-4e6b-8c7d-9e0f1a2b3c4d", purpose: "step_up" as const };
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: server.url, registrationId: await registrationId, data: JSON.stringify(stepUp) });
    await expect.poll(async () => (await notificationsShown()).find((n) => n.tag === `push-request:${stepUp.requestId}`), { timeout: 10_000 }).toEqual({
      title: "Is this you asking for a code?",
      body: `${view.username} is giving a fresh second factor before a code or a secret of an entry, from 127.0.0.1 with Firefox on Windows. Open Watchword to tap the number.`,
      tag: `push-request:${stepUp.requestId}`,
    });
    await phone.context().close();
  }, 60_000);

  it("logged no errors in the browser console", () => {
    // A denied sign-in's status poll and the event stream's end answer 4xx, which Chromium reports as failed loads.
    // And Chromium says, when a context (incognito, like every Playwright context) is asked to subscribe, that it has no Push API there.
    expect(errors.filter((e) => !/status of 40[1349]/.test(e) && !/does not support the Push API in incognito mode/.test(e))).toEqual([]);
  });
});
