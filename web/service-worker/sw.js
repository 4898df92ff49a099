// Watchword's service worker: shows a push approval request that reaches a closed app (Web Push)
// as a notification (a sign-in to approve, or a confirmation that it is the person: sudo mode
// elsewhere), and when it is tapped opens the app on that request (Sign-in & security, which lists
// it with its numbers), or sends an open window there and focuses it. It caches nothing and
// handles no secret. The build (web/vite.config.ts) puts the
// catalogues' notification strings in place of NOTIFICATION_STRINGS; ?lang= chooses among them.
/* eslint-disable */
const STRINGS = NOTIFICATION_STRINGS;
const language = new URL(self.location.href).searchParams.get("lang") === "fr" ? "fr" : "en";
const text = STRINGS[language];
/** Where the app lists the requests waiting for this browser, with their numbers. */
const APPROVAL_PAGE = "/account/security";
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
  const isConfirmation = isRequest && message.purpose === "reauthentication";
  const isStepUp = isRequest && message.purpose === "step_up";
  const body = isRequest
    ? `${fill(isConfirmation ? text.reauthenticationWho : isStepUp ? text.stepUpWho : text.who, { username: message.username, ip: message.ip, browser: message.browser ?? text.unknownBrowser, system: message.system ?? text.unknownSystem })} ${text.open}`
    : text.open;
  event.waitUntil(
    self.registration.showNotification(isConfirmation ? text.reauthenticationTitle : isStepUp ? text.stepUpTitle : text.title, {
      body,
      tag: isRequest ? `push-request:${message.requestId}` : "push-request",
      requireInteraction: true,
      data: { url: isRequest ? `${APPROVAL_PAGE}?push_request=${encodeURIComponent(message.requestId)}` : APPROVAL_PAGE, requestId: isRequest ? message.requestId : null },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openApproval(event.notification.data?.url ?? APPROVAL_PAGE));
});

/**
 * An open window of the app is told to go to the request (the app navigates itself, keeping its
 * state: web/src/account/push-approval-listener.tsx) and focused; with none, a window opens on it.
 */
async function openApproval(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const ours = windows.filter((client) => new URL(client.url).origin === self.location.origin);
  const open = ours.find((client) => client.focused) ?? ours[0];
  if (open === undefined) return self.clients.openWindow(url);
  open.postMessage({ kind: "open_push_request", url });
  return open.focus();
}
