// Examples for /api/docs of the second step of sign-in, sudo mode and a user's own second factors
// (see openapi-examples.ts, which spreads them in). Values are made up; the key is the demo key.
import type { MfaRequiredReply, ReauthenticateReply, TotpEnrolment, UserFactor, UserFactorList } from "../contract/second-factors.js";
import type { OperationExample } from "./openapi-examples.js";

const FACTOR_ID = "8d2c4e6a-0b1f-4c3d-9e5a-7b6c8d0e2f4a";
export const mfaRequired: MfaRequiredReply = {
  status: "mfa_required",
  challenge: { methods: ["totp"], expiresAt: "2026-12-01T10:05:00.000Z" },
  challengeToken: "ww_c_Xq3v9mT2pL7wR4nB8kJ1hD6fG0sA5zY2uE9iO3cV7bN",
};
const factor: UserFactor = { id: FACTOR_ID, kind: "totp", name: "Phone", createdAt: "2026-11-02T09:00:00.000Z", lastUsedAt: "2026-12-01T10:00:30.000Z" };
const factors: UserFactorList = { factors: [factor], methods: ["totp", "passkey", "recovery_code"] };
const enrolment: TotpEnrolment = {
  factorId: FACTOR_ID,
  otpauthUri: "otpauth://totp/Watchword:alice?secret=JBSWY3DPEHPK3PXP&issuer=Watchword&algorithm=SHA1&digits=6&period=30",
  qrCode: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
  manualKey: "JBSW Y3DP EHPK 3PXP",
  issuer: "Watchword",
  account: "alice",
  expiresAt: "2026-12-01T10:10:00.000Z",
};
const sudo: ReauthenticateReply = { reauthenticatedUntil: "2026-12-01T10:10:00.000Z" };

export const SECOND_FACTOR_EXAMPLES = (signedIn: unknown): Readonly<Record<string, OperationExample>> => ({
  "POST /api/v1/auth/sign-in/second-factor": {
    request: { method: "totp", code: "123 456", challengeToken: mfaRequired.challengeToken, client: "cli" },
    reply: signedIn,
    problem: { status: 401, text: { key: "second_factor_code_replayed", params: {} } },
  },
  "POST /api/v1/auth/reauthenticate": {
    request: { password: "correct horse battery staple", method: "totp", code: "123456" },
    reply: sudo,
    problem: { status: 403, text: { key: "reauthentication_required", params: {} } },
  },
  "GET /api/v1/account/mfa": { reply: factors },
  "POST /api/v1/account/mfa/totp": { request: {}, reply: enrolment, problem: { status: 403, text: { key: "reauthentication_required", params: {} } } },
  "POST /api/v1/account/mfa/totp/{id}/confirm": { request: { code: "123456", name: "Phone" }, reply: factor, problem: { status: 400, text: { key: "enrolment_code_wrong", params: {} } } },
  "PATCH /api/v1/account/mfa/factors/{id}": { request: { name: "Work phone" }, reply: { ...factor, name: "Work phone" } },
  "DELETE /api/v1/account/mfa/factors/{id}": { problem: { status: 403, text: { key: "reauthentication_required", params: {} } } },
});
