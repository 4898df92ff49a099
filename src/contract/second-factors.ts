// Request and reply shapes for the second step of sign-in, re-authentication ("sudo mode") and a
// user's own second factors (issue 10). Methods are named so that more can join "totp".
import { Type, type Static } from "typebox";
import { Password, SignInReply } from "./auth.js";
import { AuthenticationCredential } from "./passkeys.js";

export const SecondFactorMethod = Type.Union([Type.Literal("totp"), Type.Literal("passkey"), Type.Literal("recovery_code"), Type.Literal("push")], {
  description:
    "How the second step is answered: totp, a code from an authenticator app; passkey, one of the user's passkeys or security keys (options from …/passkey-options, then `credential`); recovery_code, one of the user's sign-in recovery codes (offered beside a factor, never alone); push, an approval on another browser where the user is signed in (POST /api/v1/auth/sign-in/push first).",
});

const OtpCode = Type.String({ maxLength: 32, description: "The code the authenticator app shows, or a sign-in recovery code; spaces and dashes are ignored.", examples: ["123 456"] });

export const MfaRequiredReply = Type.Object(
  {
    status: Type.Literal("mfa_required", { description: "The password was right; answer POST /api/v1/auth/sign-in/second-factor to finish." }),
    challenge: Type.Object({
      methods: Type.Array(SecondFactorMethod, { description: "The methods this user can answer with." }),
      expiresAt: Type.String({ format: "date-time", description: "The challenge ends 5 minutes after the password step, or after 5 wrong codes." }),
    }),
    challengeToken: Type.Optional(
      Type.String({ description: "Only for client=cli: send it back as challengeToken. Browsers get it as an HttpOnly, SameSite=Strict cookie instead." }),
    ),
  },
  { $id: "MfaRequiredReply" },
);
export type MfaRequiredReply = Static<typeof MfaRequiredReply>;

export const SignInOutcome = Type.Union([SignInReply, MfaRequiredReply]);
export type SignInOutcome = Static<typeof SignInOutcome>;

export const SecondFactorSignInRequest = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 40, description: "One of the challenge's methods.", examples: ["totp"] }),
    code: Type.Optional(OtpCode),
    credential: Type.Optional(AuthenticationCredential),
    challengeToken: Type.Optional(Type.String({ maxLength: 100, description: "Only for client=cli: the challengeToken of the sign-in reply." })),
    client: Type.Optional(Type.Union([Type.Literal("browser"), Type.Literal("cli")], { description: "As in the sign-in request (default browser)." })),
    deviceToken: Type.Optional(Type.String({ maxLength: 100, description: "Only for client=cli: the device token sent with the password step, so that it stays in use." })),
  },
  { additionalProperties: false },
);
export type SecondFactorSignInRequest = Static<typeof SecondFactorSignInRequest>;

export const ReauthenticateRequest = Type.Object(
  {
    password: Password,
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "Needed when the account has a second factor.", examples: ["totp"] })),
    code: Type.Optional(OtpCode),
    credential: Type.Optional(AuthenticationCredential),
  },
  { additionalProperties: false },
);
export type ReauthenticateRequest = Static<typeof ReauthenticateRequest>;

export const PasskeyReauthenticateRequest = Type.Object(
  {
    credential: AuthenticationCredential,
    method: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "Only when the key did not verify you (no PIN or biometrics): `totp` or `recovery_code`.", examples: ["totp"] })),
    code: Type.Optional(OtpCode),
  },
  { additionalProperties: false },
);
export type PasskeyReauthenticateRequest = Static<typeof PasskeyReauthenticateRequest>;

export const ReauthenticateReply = Type.Object(
  { reauthenticatedUntil: Type.String({ format: "date-time", description: "Until when this session may make sensitive changes (WATCHWORD_SUDO_MINUTES)." }) },
  { $id: "ReauthenticateReply" },
);
export type ReauthenticateReply = Static<typeof ReauthenticateReply>;

export const UserFactor = Type.Object(
  {
    id: Type.String(),
    kind: SecondFactorMethod,
    name: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
    lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { $id: "UserFactor" },
);
export type UserFactor = Static<typeof UserFactor>;

export const UserFactorList = Type.Object(
  {
    factors: Type.Array(UserFactor, { description: "Your authenticator apps." }),
    methods: Type.Array(SecondFactorMethod, {
      description: "Every method sign-in asks you for (apps, passkeys, push devices; recovery_code beside one of them). Empty: two-step verification is off, the password is enough.",
    }),
  },
  { $id: "UserFactorList" },
);
export type UserFactorList = Static<typeof UserFactorList>;

export const TotpEnrolment = Type.Object(
  {
    factorId: Type.String(),
    otpauthUri: Type.String({ description: "otpauth://totp/Watchword:<username>?secret=…&issuer=Watchword: carries the new key; shown only in this reply." }),
    qrCode: Type.String({ description: "The same link as a QR code: a data:image/svg+xml URL." }),
    manualKey: Type.String({ description: "The key in base32, in groups of 4, for typing into the app by hand.", examples: ["JBSW Y3DP EHPK 3PXP"] }),
    issuer: Type.String(),
    account: Type.String(),
    expiresAt: Type.String({ format: "date-time", description: "Confirm with a first code before this, or start again." }),
  },
  { $id: "TotpEnrolment" },
);
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const ConfirmTotpRequest = Type.Object(
  { code: OtpCode, name: Type.Optional(Type.String({ maxLength: 60, description: "What to call it (default: Authenticator app)." })) },
  { additionalProperties: false },
);
export type ConfirmTotpRequest = Static<typeof ConfirmTotpRequest>;

export const RenameFactorRequest = Type.Object({ name: Type.String({ maxLength: 60 }) }, { additionalProperties: false });
export type RenameFactorRequest = Static<typeof RenameFactorRequest>;
