// Request and reply shapes for passkeys and security keys (WebAuthn): registering and managing
// them on the account, and signing in with one. Credentials travel as WebAuthn Level 3 JSON
// (base64url fields), bounded so that a hostile body is refused before any parsing.
import { Type, type Static } from "typebox";

const base64url = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: "^[A-Za-z0-9_-]+$", ...(description === undefined ? {} : { description }) });

export const PasskeyName = Type.String({ minLength: 1, maxLength: 64, description: "What the person calls the key, e.g. \"YubiKey 5C\" or \"Work laptop\"." });

const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 });
const ClientExtensionResults = Type.Object(
  { credProps: Type.Optional(Type.Object({ rk: Type.Optional(Type.Boolean()) })) },
  { description: "The browser's extension outputs; credProps.rk says whether the key made a discoverable credential." },
);

export const RegistrationCredential = Type.Object(
  {
    id: base64url(1366),
    rawId: base64url(1366),
    type: Type.Literal("public-key"),
    response: Type.Object(
      {
        clientDataJSON: base64url(4096),
        attestationObject: base64url(16384),
        authenticatorData: Type.Optional(base64url(8192)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(base64url(4096)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Type.Union([Type.Literal("platform"), Type.Literal("cross-platform")])),
    clientExtensionResults: ClientExtensionResults,
  },
  { additionalProperties: false, description: "What navigator.credentials.create() gave, as JSON (@simplewebauthn/browser's startRegistration)." },
);

export const AuthenticationCredential = Type.Object(
  {
    id: base64url(1366),
    rawId: base64url(1366),
    type: Type.Literal("public-key"),
    response: Type.Object(
      {
        clientDataJSON: base64url(4096),
        authenticatorData: base64url(8192),
        signature: base64url(2048),
        userHandle: Type.Optional(Type.String({ maxLength: 128, pattern: "^[A-Za-z0-9_-]*$" })),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(Type.Union([Type.Literal("platform"), Type.Literal("cross-platform")])),
    clientExtensionResults: ClientExtensionResults,
  },
  { additionalProperties: false, description: "What navigator.credentials.get() gave, as JSON (@simplewebauthn/browser's startAuthentication)." },
);

export const PasskeyOptionsRequest = Type.Object({}, { additionalProperties: false, description: "Nothing: the session must be in sudo mode (POST /api/v1/auth/reauthenticate)." });
export type PasskeyOptionsRequest = Static<typeof PasskeyOptionsRequest>;

/** The options as @simplewebauthn/server makes them; the client hands them to the browser unchanged. */
export const CredentialOptions = Type.Object(
  { challenge: Type.String() },
  { additionalProperties: true, description: "PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3)." },
);

export const PasskeyOptionsReply = Type.Object({ options: CredentialOptions }, { $id: "PasskeyOptionsReply" });
export type PasskeyOptionsReply = Static<typeof PasskeyOptionsReply>;

export const RegisterPasskeyRequest = Type.Object({ name: PasskeyName, credential: RegistrationCredential }, { additionalProperties: false });
export type RegisterPasskeyRequest = Static<typeof RegisterPasskeyRequest>;

export const RenamePasskeyRequest = Type.Object({ name: PasskeyName }, { additionalProperties: false });
export type RenamePasskeyRequest = Static<typeof RenamePasskeyRequest>;

export const Passkey = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
    lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    deviceType: Type.Union([Type.Literal("singleDevice"), Type.Literal("multiDevice")], { description: "multiDevice: a synced passkey; singleDevice: bound to one key or device." }),
    isBackedUp: Type.Boolean(),
    isDiscoverable: Type.Boolean({ description: "True when the key can sign in alone, without a username (a discoverable credential)." }),
    transports: Type.Array(Type.String()),
  },
  { $id: "Passkey" },
);
export type Passkey = Static<typeof Passkey>;

export const PasskeyList = Type.Object({ passkeys: Type.Array(Passkey) }, { $id: "PasskeyList" });
export type PasskeyList = Static<typeof PasskeyList>;

export const PasskeySignInRequest = Type.Object({ credential: AuthenticationCredential }, { additionalProperties: false });
export type PasskeySignInRequest = Static<typeof PasskeySignInRequest>;
