// Examples for /api/docs of the push-approval operations (see openapi-examples.ts, which spreads them in). Values are made up.
import type { PushDevice, PushDeviceList, PushRequest, PushSignInReply, PushSignInStatus } from "../contract/push-approval.js";
import type { OperationExample } from "./openapi-examples.js";

const device: PushDevice = { id: "3f6b8d2a-1c4e-4a7b-9d0e-2f5a8c1b4d7e", name: "Chrome · Android", hasWebPush: true, isThisDevice: true, createdAt: "2026-12-01T09:00:00.000Z", lastUsedAt: "2026-12-01T17:42:10.000Z" };
const request: PushRequest = {
  id: "9a1c3e5f-7b2d-4f6a-8c0e-1d3f5a7b9c2e",
  purpose: "sign_in",
  username: "alice",
  ip: "203.0.113.24",
  browser: "Firefox",
  system: "Windows",
  choices: [47, 12, 83],
  createdAt: "2026-12-01T17:42:00.000Z",
  expiresAt: "2026-12-01T17:44:00.000Z",
};
const VAPID_PUBLIC_KEY = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";

export const PUSH_APPROVAL_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /api/v1/account/push-devices": { reply: { devices: [device], vapidPublicKey: VAPID_PUBLIC_KEY } satisfies PushDeviceList },
  "POST /api/v1/account/push-devices": {
    request: { subscription: { endpoint: "https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludA", keys: { p256dh: "BOr5p8VZp0yJm6kX0Zq7oF9mJx3L0hR1sT2uV3wX4yZ5aB6cD7eF8gH9iJ0kL1mN2oP3qR4sT5uV6wX7yZ8aB9cD0e", auth: "c2VjcmV0LWF1dGgtMTY" } } },
    reply: { ...device, lastUsedAt: null },
  },
  "DELETE /api/v1/account/push-devices/{id}": {},
  "GET /api/v1/account/push-requests": { reply: { requests: [request] } },
  "POST /api/v1/account/push-requests/{id}/decision": { request: { number: 47 }, reply: { outcome: "approved" } },
  "GET /api/v1/account/push-requests/events": { reply: `event: requests\ndata: ${JSON.stringify({ requests: [request] })}\n\n` },
  "POST /api/v1/auth/sign-in/push": { request: {}, reply: { number: 47, expiresAt: "2026-12-01T17:44:00.000Z" } satisfies PushSignInReply },
  "POST /api/v1/auth/sign-in/push/status": { request: {}, reply: { status: "approved", expiresAt: "2026-12-01T17:44:00.000Z" } satisfies PushSignInStatus },
  "POST /api/v1/auth/reauthenticate/push": { request: { password: "correct horse battery staple" }, reply: { number: 47, expiresAt: "2026-12-01T17:44:00.000Z" } satisfies PushSignInReply },
  "POST /api/v1/auth/reauthenticate/push/status": { request: {}, reply: { status: "approved", expiresAt: "2026-12-01T17:44:00.000Z" } satisfies PushSignInStatus },
};
