// Request and reply shapes for first-run setup, sign-in and sessions.
import { Type, type Static } from "typebox";

export const Username = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "Letters, digits, dot, dash and underscore; compared without case.",
  examples: ["alice"],
});

export const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: "12 to 128 characters for a new password; no composition rules (ASVS 2.1).",
  examples: ["correct horse battery staple"],
});

export const Role = Type.Union([Type.Literal("admin"), Type.Literal("member"), Type.Literal("auditor")]);
export type Role = Static<typeof Role>;

export const UserSummary = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
  },
  { $id: "UserSummary" },
);
export type UserSummary = Static<typeof UserSummary>;

export const SessionInfo = Type.Object(
  {
    user: UserSummary,
    csrfToken: Type.String({ description: "Send it back as the X-CSRF-Token header on every state change." }),
    expiresAt: Type.String({ format: "date-time", description: "The absolute end of the session." }),
    language: Type.Union([Type.Literal("en"), Type.Literal("fr"), Type.Null()], { description: "The language the user chose (PATCH /api/v1/account); null: the browser's." }),
    secondFactorEnrolment: Type.Optional(
      Type.Object(
        {
          methods: Type.Array(Type.Union([Type.Literal("totp"), Type.Literal("passkey"), Type.Literal("push")]), { description: "The methods that would count." }),
          reason: Type.Union([Type.Literal("rule"), Type.Literal("administrator")], {
            description: "Why: `rule`, the administrators' MFA rule names this user; `administrator`, an administrator must have a second factor once any other enabled user exists (always on).",
          }),
        },
        { description: "Present while this user must enrol a second factor they do not have (an administrator's rule, or an administrator once other users exist): the session may only enrol one (GET /session, sign-out, sudo mode, /account/mfa, /account/passkeys, /account/recovery-codes); everything else answers 403 second_factor_enrolment_required." },
      ),
    ),
  },
  { $id: "SessionInfo" },
);
export type SessionInfo = Static<typeof SessionInfo>;

export const SignInRequest = Type.Object(
  {
    username: Username,
    password: Password,
    client: Type.Optional(
      Type.Union([Type.Literal("browser"), Type.Literal("cli")], {
        description: "browser (default): the session is a cookie. cli: the reply carries a bearer token instead.",
      }),
    ),
    deviceToken: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          "The device token (ww_d_…) an earlier sign-in of this user gave this client. Failed sign-ins that present it count against this device only, so others' failures cannot lock it out. Browsers send it as a cookie instead.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type SignInRequest = Static<typeof SignInRequest>;

export const SignInReply = Type.Object(
  {
    status: Type.Literal("signed_in", { description: "The session started. POST /api/v1/auth/sign-in may answer \"mfa_required\" instead (MfaRequiredReply)." }),
    session: SessionInfo,
    token: Type.Optional(Type.String({ description: "Only for client=cli: the bearer token (ww_…), shown once." })),
    deviceToken: Type.Optional(
      Type.String({ description: "Only for client=cli: this client's device token (ww_d_…); keep it and send it with later sign-ins. Browsers get it as a cookie." }),
    ),
    failedSignIns: Type.Optional(
      Type.Object(
        {
          count: Type.Integer({ minimum: 1, description: "Failed sign-ins to this account from browsers and CLIs that never signed in to it." }),
          accountLocked: Type.Boolean({ description: "True when they reached the limit: other devices cannot sign in until an administrator unlocks the account." }),
        },
        { description: "Present when signing in from a known device while others have failed to sign in to the account." },
      ),
    ),
  },
  { $id: "SignInReply" },
);
export type SignInReply = Static<typeof SignInReply>;

export const SetupToken = Type.String({ minLength: 1, maxLength: 200, description: "The token from the setup link." });

export const SetupStatusRequest = Type.Object({ token: SetupToken }, { additionalProperties: false });
export type SetupStatusRequest = Static<typeof SetupStatusRequest>;

export const SetupStatusReply = Type.Object(
  { state: Type.Literal("ready", { description: "The token is valid and no administrator exists yet." }) },
  { $id: "SetupStatusReply" },
);
export type SetupStatusReply = Static<typeof SetupStatusReply>;

export const CompleteSetupRequest = Type.Object(
  {
    token: SetupToken,
    username: Username,
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
    password: Password,
  },
  { additionalProperties: false },
);
export type CompleteSetupRequest = Static<typeof CompleteSetupRequest>;
