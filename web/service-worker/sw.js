// Watchword's service worker: shows a push approval request that reaches a closed app (Web Push)
// as a notification, and opens or focuses the app when it is tapped; the app's dialog then offers
// the numbers. It caches nothing and handles no secret. The build (web/vite.config.ts) puts the
// catalogues' notification strings in place of NOTIFICATION_STRINGS; ?lang= chooses among them.
/* eslint-disable */
const STRINGS = NOTIFICATION_STRINGS;
const language = new URL(self.location.href).searchParams.get("lang") === "fr" ? "fr" : "en";
const text = STRINGS[language];
const fill = (template, values) => template.replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? "");

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let message;
  try {
    message = event.data === null ? undefined : event.data.json();
  } catch {
    message = undefined;
  }
  // A push must show something (userVisibleOnly); one we cannot read says only "a request waits".
  const isRequest = message !== undefined && message.kind === "push_request";
  // What the request asks (older servers sent no purpose: a sign-in).
  const purpose = isRequest && Object.hasOwn(text.title, message.purpose) ? message.purpose : "sign_in";
  const body = isRequest
    ? `${fill(text.who[purpose], { username: message.username, ip: message.ip, browser: message.browser ?? text.unknownBrowser, system: message.system ?? text.unknownSystem })} ${text.open}`
    : text.open;
  event.waitUntil(
    self.registration.showNotification(text.title[purpose], {
      body,
      tag: isRequest ? `push-request:${message.requestId}` : "push-request",
      requireInteraction: true,
      data: { url: "/", requestId: isRequest ? message.requestId : null },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open !== undefined) return open.focus();
      return self.clients.openWindow(event.notification.data?.url ?? "/");
    })(),
  );
});
