// Push messages delivered to a page's service worker as Web Push would (CDP
// ServiceWorker.deliverPushMessage), and the notifications the worker shows for them.
//
// Why the worker's showNotification calls are counted instead of polling getNotifications():
// Chromium's getNotifications() reconciles its notification database with what is on display and
// deletes a notification written but not displayed yet, so a page that polls it while a push is
// being shown loses that notification for good (seen in CI, about one run in three; a page with a
// worker that shows eight pushes while another polls keeps five). The worker's own code runs
// unchanged: the count is taken at the browser's API, and the notifications are read once, after
// every call has settled.
import type { Page, Worker } from "playwright-core";

export interface ShownNotification {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
}

export interface PushDelivery {
  /** The page's service worker (for a test that dispatches events to it). */
  readonly worker: Worker;
  /** Delivers `message` as a push and resolves with every notification shown once the worker has shown it. */
  deliver(message: unknown): Promise<ShownNotification[]>;
  /** The notifications shown now (safe between deliveries). */
  notifications(): Promise<ShownNotification[]>;
}

/** What the code run in the page and the worker reads of their globals (the test project has no DOM types). */
type Registration = { getNotifications(): Promise<ShownNotification[]> };
type PageScope = { navigator: { serviceWorker: { ready: Promise<Registration> } } };
type WorkerScope = {
  __showNotificationsSettled?: number;
  ServiceWorkerRegistration: { prototype: { showNotification(...args: unknown[]): Promise<void> } };
};

const SETTLE_TIMEOUT_MS = 10_000;

/** Push delivery to the worker of `origin` that controls `page`; the page must have registered it. */
export async function pushDeliveryTo(page: Page, origin: string): Promise<PushDelivery> {
  const context = page.context();
  await page.evaluate(async () => void (await (globalThis as unknown as PageScope).navigator.serviceWorker.ready));
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(`${origin}/`)) ?? (await context.waitForEvent("serviceworker", { predicate: (w) => w.url().startsWith(`${origin}/`) }));
  await worker.evaluate(() => {
    const scope = globalThis as unknown as WorkerScope;
    if (scope.__showNotificationsSettled !== undefined) return;
    scope.__showNotificationsSettled = 0;
    const prototype = scope.ServiceWorkerRegistration.prototype;
    const showNotification = prototype.showNotification;
    prototype.showNotification = function (this: unknown, ...args: unknown[]) {
      return showNotification.apply(this, args).finally(() => void (scope.__showNotificationsSettled! += 1));
    };
  });
  const settled = () => worker.evaluate(() => (globalThis as unknown as WorkerScope).__showNotificationsSettled!);

  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
      const found = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (found !== undefined) resolve(found.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");

  const notifications = () =>
    page.evaluate(async () => (await (await (globalThis as unknown as PageScope).navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })));
  return {
    worker,
    notifications,
    async deliver(message) {
      const before = await settled();
      await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: await registrationId, data: JSON.stringify(message) });
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while ((await settled()) === before) {
        if (Date.now() > deadline) throw new Error(`The service worker showed no notification within ${SETTLE_TIMEOUT_MS} ms of a push`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return notifications();
    },
  };
}
