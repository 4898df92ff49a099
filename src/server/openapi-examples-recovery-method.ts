// Examples for /api/docs of the recovery method and account recovery (see openapi-examples.ts, which spreads them in). Values are made up.
import type { SignInReply } from "../contract/auth.js";
import type { AccountRecovery, OwnRecoveryMethod, RecoveryMethod, RecoveryStatusReply, SentRecoveryCode } from "../contract/recovery-method.js";
import type { OperationExample } from "./openapi-examples.js";

const method: RecoveryMethod = { channel: "email", hint: "a•••@e•••.com", confirmedAt: "2026-12-01T09:00:00.000Z" };
const sent: SentRecoveryCode = { attemptToken: "ww_r_3qM8vX1nB5zK9pL2wR7tY4uH6gF0dS8aJ2kC5eV1bN3", channel: "email", hint: "a•••@e•••.com", expiresAt: "2026-12-01T09:10:00.000Z" };
const recovery: AccountRecovery = {
  id: "4d2a8c6e-1f3b-4a5d-9e7c-2b4d6f8a0c1e",
  username: "alice",
  status: "pending",
  channel: "email",
  requestedAt: "2026-12-01T09:05:00.000Z",
  readyAt: "2026-12-04T09:05:00.000Z",
  isReady: false,
};
const challenge = { client: "cli" as const, challengeToken: "ww_c_Zx8Kq2Vn5Bm1Lp7Rt4Yw9Hs3Gd6Fj0Ac2Ee5Ii8Oo1U" };

export const RECOVERY_METHOD_EXAMPLES = (signedIn: SignInReply): Readonly<Record<string, OperationExample>> => ({
  "GET /api/v1/account/recovery-method": { reply: { method, channels: { email: true, sms: false }, recovery: null } satisfies OwnRecoveryMethod },
  "POST /api/v1/account/recovery-method": { request: { channel: "email", address: "alice@example.com" }, reply: sent },
  "POST /api/v1/account/recovery-method/confirm": { request: { attemptToken: sent.attemptToken, code: "482 913" }, reply: method },
  "DELETE /api/v1/account/recovery-method": {},
  "POST /api/v1/account/recovery/cancel": { request: {} },
  "POST /api/v1/auth/recovery/status": { request: challenge, reply: { method: { channel: "email", hint: "a•••@e•••.com" }, recovery: null } satisfies RecoveryStatusReply },
  "POST /api/v1/auth/recovery/start": { request: challenge, reply: sent },
  "POST /api/v1/auth/recovery/confirm": { request: { ...challenge, attemptToken: sent.attemptToken, code: "482 913" }, reply: recovery },
  "POST /api/v1/auth/recovery/complete": { request: challenge, reply: signedIn },
  "GET /api/v1/account-recoveries": { reply: { recoveries: [recovery] } },
  "POST /api/v1/account-recoveries/{id}/approve": { request: {}, reply: { ...recovery, status: "approved", isReady: true } },
  "POST /api/v1/account-recoveries/{id}/deny": { request: {}, reply: { ...recovery, status: "denied" } },
});
