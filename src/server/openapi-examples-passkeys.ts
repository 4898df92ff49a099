// Examples for /api/docs of the passkey operations (see openapi-examples.ts, which spreads them in). Values are made up.
import type { SignInReply } from "../contract/auth.js";
import type { Passkey, PasskeyList, PasskeyOptionsReply } from "../contract/passkeys.js";
import type { OperationExample } from "./openapi-examples.js";

const passkey: Passkey = {
  id: "7c1e9a3b-5d2f-4e8a-9b6c-1d3e5f7a9b0c",
  name: "YubiKey 5C",
  createdAt: "2026-12-01T09:00:00.000Z",
  lastUsedAt: "2026-12-01T17:42:10.000Z",
  deviceType: "singleDevice",
  isBackedUp: false,
  isDiscoverable: true,
  transports: ["usb", "nfc"],
};
const CREDENTIAL_ID = "q8W3nX0bV2yZ5rT7uI9oP1aS4dF6gH8jK0lZ2xC4vB6";
const registrationOptions = {
  challenge: "bG9yZW0taXBzdW0tZXhhbXBsZS1jaGFsbGVuZ2U",
  rp: { name: "Watchword", id: "vault.example.com" },
  user: { id: "NWU2ZjdhOGItOWMwZC00ZTFmLWEyYjMtYzRkNWU2ZjdhOGI5", name: "alice", displayName: "Alice Martin" },
  pubKeyCredParams: [{ alg: -8, type: "public-key" }, { alg: -7, type: "public-key" }, { alg: -257, type: "public-key" }],
  timeout: 300000,
  attestation: "none",
  excludeCredentials: [{ id: CREDENTIAL_ID, type: "public-key", transports: ["usb", "nfc"] }],
  authenticatorSelection: { residentKey: "preferred", userVerification: "preferred", requireResidentKey: false },
  extensions: { credProps: true },
  hints: [],
};
const assertion = {
  id: CREDENTIAL_ID,
  rawId: CREDENTIAL_ID,
  type: "public-key" as const,
  response: {
    clientDataJSON: "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiZXhhbXBsZSIsIm9yaWdpbiI6Imh0dHBzOi8vdmF1bHQuZXhhbXBsZS5jb20ifQ",
    authenticatorData: "SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ",
    signature: "MEUCIQDexampleexampleexampleexampleexampleexampleAiBexampleexampleexampleexampleexample",
    userHandle: "NWU2ZjdhOGItOWMwZC00ZTFmLWEyYjMtYzRkNWU2ZjdhOGI5",
  },
  clientExtensionResults: {},
  authenticatorAttachment: "cross-platform" as const,
};
const session: SignInReply = {
  status: "signed_in",
  session: { user: { id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", username: "alice", displayName: "Alice Martin", role: "member" }, csrfToken: "Q2xvc2VkIGV4YW1wbGUgY3NyZiB0b2tlbg", expiresAt: "2026-12-02T05:42:10.000Z", language: null },
};

export const PASSKEY_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "POST /api/v1/account/passkeys/options": { request: {}, reply: { options: registrationOptions } satisfies PasskeyOptionsReply, problem: { status: 403, text: { key: "reauthentication_required", params: {} } } },
  "POST /api/v1/account/passkeys": {
    request: {
      name: "YubiKey 5C",
      credential: {
        id: CREDENTIAL_ID,
        rawId: CREDENTIAL_ID,
        type: "public-key",
        response: { clientDataJSON: assertion.response.clientDataJSON, attestationObject: "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF", transports: ["usb", "nfc"] },
        clientExtensionResults: { credProps: { rk: true } },
        authenticatorAttachment: "cross-platform",
      },
    },
    reply: { ...passkey, lastUsedAt: null },
  },
  "GET /api/v1/account/passkeys": { reply: { passkeys: [passkey] } satisfies PasskeyList },
  "PATCH /api/v1/account/passkeys/{id}": { request: { name: "Desk key" }, reply: { ...passkey, name: "Desk key" } },
  "DELETE /api/v1/account/passkeys/{id}": { problem: { status: 403, text: { key: "reauthentication_required", params: {} } } },
  "POST /api/v1/auth/sign-in/second-factor/passkey-options": {
    request: { challengeToken: "ww_c_Xq3v9mT2pL7wR4nB8kJ1hD6fG0sA5zY2uE9iO3cV7bN", client: "cli" },
    reply: { options: { challenge: registrationOptions.challenge, timeout: 300000, rpId: "vault.example.com", allowCredentials: [{ id: CREDENTIAL_ID, type: "public-key", transports: ["usb", "nfc"] }], userVerification: "preferred" } },
    problem: { status: 401, text: { key: "sign_in_challenge_invalid", params: {} } },
  },
  "POST /api/v1/auth/reauthenticate/passkey-options": {
    request: {},
    reply: { options: { challenge: registrationOptions.challenge, timeout: 300000, rpId: "vault.example.com", allowCredentials: [{ id: CREDENTIAL_ID, type: "public-key", transports: ["usb", "nfc"] }], userVerification: "preferred" } },
    problem: { status: 400, text: { key: "second_factor_method_unavailable", params: { method: "passkey" } } },
  },
  "POST /api/v1/auth/reauthenticate/passkey/options": {
    request: {},
    reply: { options: { challenge: registrationOptions.challenge, timeout: 300000, rpId: "vault.example.com", allowCredentials: [{ id: CREDENTIAL_ID, type: "public-key", transports: ["usb", "nfc"] }], userVerification: "preferred" } },
    problem: { status: 400, text: { key: "second_factor_method_unavailable", params: { method: "passkey" } } },
  },
  "POST /api/v1/auth/reauthenticate/passkey": {
    request: { credential: assertion },
    reply: { reauthenticatedUntil: "2026-12-01T17:52:10.000Z" },
    problem: { status: 400, text: { key: "second_factor_required", params: {} } },
  },
  "POST /api/v1/auth/passkey/options": {
    request: {},
    reply: { options: { challenge: registrationOptions.challenge, timeout: 300000, rpId: "vault.example.com", userVerification: "required" } },
  },
  "POST /api/v1/auth/passkey/verify": { request: { credential: assertion }, reply: session },
};
