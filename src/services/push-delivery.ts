// Delivers a push request to a closed browser by Web Push: the payload encrypted for the
// subscription (RFC 8291, aes128gcm) and the request signed with the server's VAPID key (RFC 8292),
// both by the `web-push` package. Never throws: a failed delivery is reported, and a subscription
// the push service says is gone (404, 410) is forgotten.
import webpush from "web-push";
import type { PushDeviceRecord, PushSubscriptionRecord } from "../store/push-approvals.js";
import type { VapidKeySource } from "./vapid-keys.js";

/** What a push message carries: enough to show the request; nothing secret. */
export interface PushMessage {
  readonly kind: "push_request";
  readonly requestId: string;
  /** What the request asks: to approve a sign-in, to confirm it is the person (sudo mode), or a step-up before a code. */
  readonly purpose: "sign_in" | "reauthentication" | "step_up";
  readonly username: string;
  readonly ip: string;
  readonly browser: string | null;
  readonly system: string | null;
  readonly choices: readonly number[];
  readonly expiresAt: string;
}

export type DeliveryOutcome = { readonly deviceId: string } & ({ readonly outcome: "delivered" } | { readonly outcome: "gone" } | { readonly outcome: "failed"; readonly reason: string });

export interface PushDelivery {
  deliver(device: PushDeviceRecord & { readonly subscription: PushSubscriptionRecord }, message: PushMessage, ttlSeconds: number): Promise<DeliveryOutcome>;
}

export type PushFetch = (url: string, init: { method: string; headers: Record<string, string>; body: Buffer; signal: AbortSignal }) => Promise<{ status: number }>;

export function createPushDelivery(deps: { vapid: VapidKeySource; subject: string; fetch?: PushFetch; timeoutMs?: number }): PushDelivery {
  const send: PushFetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return {
    async deliver(device, message, ttlSeconds) {
      const keys = await deps.vapid.open();
      let details;
      try {
        // generateRequestDetails encrypts and signs; we send it ourselves (web-push's own sender
        // speaks https only and cannot reach a loopback receiver, nor use the platform's fetch).
        details = webpush.generateRequestDetails(
          { endpoint: device.subscription.endpoint, keys: { p256dh: device.subscription.p256dh, auth: device.subscription.auth } },
          JSON.stringify(message),
          { TTL: ttlSeconds, urgency: "high", contentEncoding: "aes128gcm", vapidDetails: { subject: deps.subject, publicKey: keys.publicKey, privateKey: keys.privateKey.revealUtf8() } },
        );
      } catch (error) {
        return { deviceId: device.id, outcome: "failed", reason: error instanceof Error ? error.message.slice(0, 200) : "encryption failed" };
      } finally {
        keys.privateKey.destroy();
      }
      try {
        const headers = Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)]));
        const response = await send(details.endpoint, { method: details.method, headers, body: Buffer.from(details.body ?? Buffer.alloc(0)), signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) });
        if (response.status === 404 || response.status === 410) return { deviceId: device.id, outcome: "gone" };
        if (response.status < 200 || response.status > 299) return { deviceId: device.id, outcome: "failed", reason: `push service answered ${response.status}` };
        return { deviceId: device.id, outcome: "delivered" };
      } catch (error) {
        return { deviceId: device.id, outcome: "failed", reason: error instanceof Error ? error.message.slice(0, 200) : "not sent" };
      }
    },
  };
}
