// The service worker (/sw.js, web/service-worker/sw.js) that shows push requests reaching a closed
// app, and the Web Push subscription made through it. Registered only for a browser that approves
// sign-ins; its ?lang= is the app's language, so its notifications speak it.
import type { PushSubscription } from "../../../src/contract/push-approval.js";

const canUseServiceWorker = (): boolean => "serviceWorker" in navigator && window.isSecureContext;

/** Registers (or updates) the service worker in the app's language; undefined where the browser has none. */
export async function registerServiceWorker(language: string): Promise<ServiceWorkerRegistration | undefined> {
  if (!canUseServiceWorker()) return undefined;
  try {
    await navigator.serviceWorker.register(`/sw.js?lang=${language.startsWith("fr") ? "fr" : "en"}`, { scope: "/" });
    return await navigator.serviceWorker.ready;
  } catch {
    return undefined; // the app works on, with requests while it is open
  }
}

/**
 * A Web Push subscription when the browser offers a push service and the person allows
 * notifications; undefined otherwise (headless Chromium has no push service; a refusal).
 */
export async function subscribeThisBrowser(vapidPublicKey: string, language: string): Promise<PushSubscription | undefined> {
  if (!("PushManager" in window)) return undefined;
  const registration = await registerServiceWorker(language);
  if (registration === undefined) return undefined;
  try {
    const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey }));
    const json = subscription.toJSON();
    if (json.endpoint === undefined || json.keys?.p256dh === undefined || json.keys.auth === undefined) return undefined;
    return { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } };
  } catch {
    return undefined;
  }
}
