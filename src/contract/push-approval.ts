// Request and reply shapes for push approval (issue 10): the browsers registered to approve the
// user's sign-ins, the requests they are sent, and the pending sign-in's side of one.
import { Type, type Static } from "typebox";
import { Password } from "./auth.js";

const base64url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: "^[A-Za-z0-9_-]+={0,2}$" });

export const PushSubscription = Type.Object(
  {
    endpoint: Type.String({ minLength: 8, maxLength: 2048, description: "The push service's URL for this browser (PushSubscription.endpoint); https." }),
    keys: Type.Object({ p256dh: base64url(200), auth: base64url(64) }, { additionalProperties: false }),
  },
  { additionalProperties: false, description: "PushSubscription.toJSON() of this browser, for Web Push while the app is closed." },
);
export type PushSubscription = Static<typeof PushSubscription>;

export const RegisterPushDeviceRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 60, description: "What to call this device (default: its browser and system, from the User-Agent)." })),
    subscription: Type.Optional(PushSubscription),
  },
  { additionalProperties: false },
);
export type RegisterPushDeviceRequest = Static<typeof RegisterPushDeviceRequest>;

export const PushDevice = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    name: Type.String(),
    hasWebPush: Type.Boolean({ description: "A Web Push subscription is kept: requests reach it while the app is closed." }),
    isThisDevice: Type.Boolean(),
    createdAt: Type.String({ format: "date-time" }),
    lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { $id: "PushDevice" },
);
export type PushDevice = Static<typeof PushDevice>;

export const PushDeviceList = Type.Object(
  { devices: Type.Array(PushDevice), vapidPublicKey: Type.String({ description: "The server's VAPID public key (base64url): PushManager.subscribe's applicationServerKey." }) },
  { $id: "PushDeviceList" },
);
export type PushDeviceList = Static<typeof PushDeviceList>;

export const PushRequest = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    purpose: Type.Union([Type.Literal("sign_in"), Type.Literal("reauthentication"), Type.Literal("step_up")], {
      description:
        "sign_in: a sign-in waits for approval. reauthentication: a signed-in session asks the person to confirm it is them before a sensitive change (sudo mode). step_up: a signed-in session gives a fresh second factor before a code or secret of an entry that asks for one.",
    }),
    username: Type.String({ description: "Who is signing in, or confirming it is them." }),
    ip: Type.String({ description: "The address the sign-in came from." }),
    browser: Type.Union([Type.String(), Type.Null()], { description: "Its browser, from the User-Agent (null: not recognised)." }),
    system: Type.Union([Type.String(), Type.Null()]),
    choices: Type.Array(Type.Integer({ minimum: 10, maximum: 99 }), { minItems: 3, maxItems: 3, description: "Tap the one the sign-in shows." }),
    createdAt: Type.String({ format: "date-time" }),
    expiresAt: Type.String({ format: "date-time" }),
  },
  { $id: "PushRequest" },
);
export type PushRequest = Static<typeof PushRequest>;

export const PushRequestList = Type.Object({ requests: Type.Array(PushRequest) }, { $id: "PushRequestList" });
export type PushRequestList = Static<typeof PushRequestList>;

export const PushDecisionRequest = Type.Object(
  {
    number: Type.Optional(Type.Integer({ minimum: 0, maximum: 99, description: "The number tapped." })),
    deny: Type.Optional(Type.Boolean({ description: "true: this is not me; the sign-in is refused." })),
  },
  { additionalProperties: false },
);
export type PushDecisionRequest = Static<typeof PushDecisionRequest>;

export const PushDecisionReply = Type.Object(
  { outcome: Type.Union([Type.Literal("approved"), Type.Literal("denied")], { description: "denied also for a wrong number: the sign-in is refused and must start again." }) },
  { $id: "PushDecisionReply" },
);
export type PushDecisionReply = Static<typeof PushDecisionReply>;

export const PushSignInRequest = Type.Object(
  {
    client: Type.Optional(Type.Union([Type.Literal("browser"), Type.Literal("cli")])),
    challengeToken: Type.Optional(Type.String({ maxLength: 100, description: "Only for client=cli: the challengeToken of the sign-in reply." })),
  },
  { additionalProperties: false },
);
export type PushSignInRequest = Static<typeof PushSignInRequest>;

export const PushSignInReply = Type.Object(
  {
    number: Type.Integer({ minimum: 10, maximum: 99, description: "Show it: the person taps the same number on their other device." }),
    expiresAt: Type.String({ format: "date-time", description: "2 minutes after the request." }),
  },
  { $id: "PushSignInReply" },
);
export type PushSignInReply = Static<typeof PushSignInReply>;

export const PushSignInStatus = Type.Object(
  {
    status: Type.Union([Type.Literal("pending"), Type.Literal("approved"), Type.Literal("denied"), Type.Literal("expired"), Type.Literal("used")], {
      description: "approved: finish with POST /api/v1/auth/sign-in/second-factor and method push. denied (or a wrong number): the sign-in ended. expired: send a new request.",
    }),
    expiresAt: Type.String({ format: "date-time" }),
  },
  { $id: "PushSignInStatus" },
);
export type PushSignInStatus = Static<typeof PushSignInStatus>;

/** Sudo mode by push approval: the password first, then a request bound to the session. */
export const ReauthenticatePushRequest = Type.Object({ password: Password }, { additionalProperties: false });
export type ReauthenticatePushRequest = Static<typeof ReauthenticatePushRequest>;
