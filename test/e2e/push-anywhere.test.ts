// Push approval reaches the person wherever the app is: in Chromium, the approving browser sits on
// "My entries" (not Sign-in & security) and the request opens the app-wide dialog (who, from
// where, browser, three numbers, deny); a sign-in whose second step was opened by a link
// (?second_step=) offers push like the sign-in page does; and the service worker shows a push
// message of the server's shape as a notification (CDP ServiceWorker.deliverPushMessage, through
// test/support/push-delivery.ts), and tapping it opens Sign-in & security on that request.
// Headless Chromium shows notifications nowhere a test can click, so the tap is a
// NotificationEvent dispatched inside the worker.
// English light desktop and French dark phone; screenshots go to test-results/screenshots/push-anywhere-*.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushMessageOf, reauthenticationBindingOf, sessionBindingOf, viewOfRequest } from "../../src/services/push-approvals.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { pushDeliveryTo } from "../support/push-delivery.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

/** What the tests read of the page's service worker (the test project has no DOM types). */
type InPage = { navigator: { serviceWorker: { ready: Promise<{ active: { scriptURL: string } | null }> } } };

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
    for (const username of [...VIEWS.map((view) => view.username), "mia", "kai"]) await signedInClient(server, username, "member");
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

    const push = await pushDeliveryTo(phone, server.url);
    expect(await push.deliver(message)).toEqual([
      { title: "Is this you signing in?", body: `${view.username} is signing in from 127.0.0.1 with Firefox on Windows. Open Watchword to tap the number.`, tag: `push-request:${record!.id}` },
    ]);

    // A re-authentication's request (bound to a session, not a sign-in) says it is a confirmation.
    const confirmation = pushMessageOf(viewOfRequest({ ...record!, id: "5b0e0b3e-8f0c-4c59-9d0e-6a1f2b3c4d5e", challengeHash: reauthenticationBindingOf("a-session") }, view.username));
    expect(confirmation.purpose).toBe("reauthentication");
    expect((await push.deliver(confirmation)).find((n) => n.tag === `push-request:${confirmation.requestId}`)).toEqual({
      title: "Is this you confirming a change?",
      body: `${view.username} wants to confirm it’s you before a sensitive change (such as security settings), from 127.0.0.1 with Firefox on Windows. Open Watchword to tap the number.`,
      tag: `push-request:${confirmation.requestId}`,
    });
    // A step-up's request (bound to a session, before a code) says so too.
    const stepUp = pushMessageOf(viewOfRequest({ ...record!, id: "6c1f1c4f-9a1d-4d6a-8e1f-7b2a3c4d5e6f", challengeHash: sessionBindingOf("step_up", "a-session") }, view.username));
    expect(stepUp.purpose).toBe("step_up");
    expect((await push.deliver(stepUp)).find((n) => n.tag === `push-request:${stepUp.requestId}`)).toEqual({
      title: "Is this you asking for a code?",
      body: `${view.username} is giving a fresh second factor before a code or a secret of an entry, from 127.0.0.1 with Firefox on Windows. Open Watchword to tap the number.`,
      tag: `push-request:${stepUp.requestId}`,
    });
    // The French worker has the same sentences in French (one script, its strings chosen by ?lang=).
    const french = await (await fetch(`${server.url}/sw.js?lang=fr`)).text();
    expect(french).toContain("Est-ce bien vous qui confirmez une modification\u00a0?");
    expect(french).toContain("{{username}} veut confirmer que c’est bien vous avant une modification sensible");
    await phone.context().close();
  }, 60_000);

  it("opens Sign-in & security on the request a tapped notification is about, from an open window and with none", async () => {
    const view = { ...VIEWS[0]!, username: "kai" };
    const phone = await registeredPhone(view);
    await phone.context().grantPermissions(["notifications"], { origin: server.url });
    await phone.getByRole("link", { name: "My entries" }).first().click();
    await phone.getByTestId("entries-page").waitFor();

    // Two sign-ins wait; the notification is about the second, which is not the one the app's dialog shows first.
    const requestOf = async (userAgent: string) => {
      const pending = server.newClient({ headers: { "user-agent": userAgent } });
      await pending.startSignIn({ username: view.username, password: PASSWORD });
      await pending.requestPushApproval();
    };
    await requestOf("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15");
    await requestOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0");
    const user = (await server.vault.store.users.findUserByUsername(view.username))!;
    const records = await server.vault.store.pushApprovals.listPendingRequestsOfUser(user.id, Date.now());
    expect(records).toHaveLength(2);
    const tapped = records[1]!;
    await phone.getByTestId("push-approval-dialog").getByTestId("push-request").waitFor();
    expect(await phone.getByTestId("push-approval-dialog").getByTestId("push-request").getAttribute("data-request-id")).toBe(records[0]!.id);

    const push = await pushDeliveryTo(phone, server.url);
    const tag = `push-request:${tapped.id}`;
    const deliver = async () => expect((await push.deliver(pushMessageOf(viewOfRequest(tapped, view.username)))).map((n) => n.tag)).toEqual([tag]);
    await deliver();
    const worker = push.worker;
    expect(worker.url()).toBe(`${server.url}/sw.js?lang=en`);

    /**
     * Taps the notification: a NotificationEvent for it, dispatched to the worker's own handler.
     * An event made by script is untrusted, so it has no waitUntil of its own (the handler's work
     * is kept here and awaited) and no window interaction (focus and openWindow are refused, as
     * without a tap); the URLs the handler asks openWindow for are noted on the way through.
     */
    const tap = () =>
      worker.evaluate(async (notificationTag) => {
        type Scope = {
          registration: { getNotifications(filter: { tag: string }): Promise<object[]> };
          clients: { openWindow(url: string): Promise<unknown> };
          dispatchEvent(event: object): boolean;
        };
        const scope = globalThis as unknown as Scope;
        const NotificationEventOf = (globalThis as unknown as { NotificationEvent: new (type: string, init: { notification: object }) => object }).NotificationEvent;
        const [notification] = await scope.registration.getNotifications({ tag: notificationTag });
        if (notification === undefined) return { outcome: "no notification", opened: [] as string[] };
        const opened: string[] = [];
        const openWindow = scope.clients.openWindow.bind(scope.clients);
        scope.clients.openWindow = (url) => {
          opened.push(url);
          return openWindow(url);
        };
        const event = new NotificationEventOf("notificationclick", { notification });
        let work: Promise<unknown> = Promise.resolve();
        Object.defineProperty(event, "waitUntil", { value: (promise: Promise<unknown>) => void (work = promise) });
        scope.dispatchEvent(event);
        const outcome = await work.then(
          () => "done",
          (error: { name: string; message: string }) => `${error.name}: ${error.message}`,
        );
        return { outcome, opened };
      }, tag);

    // An open window (on My entries) is sent to the request and focused.
    const fromOpenWindow = await tap();
    await phone.waitForURL(`${server.url}/account/security?push_request=${tapped.id}`, { timeout: 10_000 });
    const named = phone.getByTestId("push-requests").locator(`[data-request-id="${tapped.id}"]`);
    await named.waitFor();
    expect(await named.getAttribute("aria-current")).toBe("true");
    expect(await phone.getByTestId("push-requests").getByTestId("push-request").count()).toBe(2);
    expect(fromOpenWindow.opened).toEqual([]);
    // Focusing needs the window interaction a real tap gives; a scripted event has none.
    expect(fromOpenWindow.outcome).toBe("InvalidAccessError: Not allowed to focus a window.");
    // The notification is gone once tapped.
    expect(await push.notifications()).toEqual([]);
    await screenshot(phone, "push-anywhere-notification-tapped-en-light");

    // No window of the app open (the tab left for another site): a window is opened on the request.
    await deliver();
    await phone.goto("about:blank");
    // The worker learns of the window's navigation a moment after the page has left.
    type Clients = { clients: { matchAll(options: object): Promise<unknown[]> } };
    await expect.poll(() => worker.evaluate(async () => (await (globalThis as unknown as Clients).clients.matchAll({ type: "window", includeUncontrolled: true })).length)).toBe(0);
    const withNoWindow = await tap();
    expect(withNoWindow.opened).toEqual([`/account/security?push_request=${tapped.id}`]);
    expect(withNoWindow.outcome).toBe("InvalidAccessError: Not allowed to open a window.");
    await phone.context().close();
  }, 60_000);

  it("logged no errors in the browser console", () => {
    // A denied sign-in's status poll and the event stream's end answer 4xx, which Chromium reports as failed loads.
    // And Chromium says, when a context (incognito, like every Playwright context) is asked to subscribe, that it has no Push API there.
    expect(errors.filter((e) => !/status of 40[1349]/.test(e) && !/does not support the Push API in incognito mode/.test(e))).toEqual([]);
  });
});
