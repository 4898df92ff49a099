// Request and reply shapes for the security of a user's own sign-in: their sign-in recovery codes
// and their sessions (GET /api/v1/account/recovery-codes, /api/v1/account/sessions…).
import { Type, type Static } from "typebox";

const Time = Type.String({ format: "date-time" });

export const RecoveryCodeStatus = Type.Object(
  {
    remaining: Type.Integer({ minimum: 0, description: "Codes not used yet." }),
    total: Type.Integer({ minimum: 0, description: "Codes in the set, used or not; 0 when none were ever made." }),
    generatedAt: Type.Union([Time, Type.Null()], { description: "When the set was made; null when there is none." }),
  },
  { $id: "RecoveryCodeStatus" },
);
export type RecoveryCodeStatus = Static<typeof RecoveryCodeStatus>;

export const GenerateRecoveryCodesRequest = Type.Object(
  {},
  { additionalProperties: false, description: "Nothing: making codes replaces every old one, so the session must be in sudo mode (POST /api/v1/auth/reauthenticate)." },
);
export type GenerateRecoveryCodesRequest = Static<typeof GenerateRecoveryCodesRequest>;

export const GeneratedRecoveryCodes = Type.Object(
  {
    codes: Type.Array(Type.String({ pattern: "^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$" }), {
      minItems: 10,
      maxItems: 10,
      description: "Shown this once: Watchword keeps only salted hashes. Each works once, in place of the second step of signing in.",
    }),
    generatedAt: Time,
  },
  { $id: "GeneratedRecoveryCodes" },
);
export type GeneratedRecoveryCodes = Static<typeof GeneratedRecoveryCodes>;

export const OwnSession = Type.Object(
  {
    id: Type.String({ description: "The session's public id: not its token, and no way in." }),
    kind: Type.Union([Type.Literal("browser"), Type.Literal("token")], { description: "browser: a web browser's cookie session; token: a CLI or script that signed in." }),
    browser: Type.Union([Type.String(), Type.Null()], { description: "Read from the User-Agent, e.g. Chrome, Firefox, Watchword CLI; null when unknown." }),
    system: Type.Union([Type.String(), Type.Null()], { description: "e.g. Linux, Windows, macOS, Android, iOS; null when unknown." }),
    ip: Type.String({ description: "The address the session was opened from." }),
    createdAt: Time,
    lastSeenAt: Time,
    isCurrent: Type.Boolean({ description: "True for the session of this request." }),
  },
  { $id: "OwnSession" },
);
export type OwnSession = Static<typeof OwnSession>;

export const OwnSessionList = Type.Object({ sessions: Type.Array(OwnSession) }, { $id: "OwnSessionList" });
export type OwnSessionList = Static<typeof OwnSessionList>;

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }) });
export type SessionIdParams = Static<typeof SessionIdParams>;

export const EndedSessions = Type.Object({ ended: Type.Integer({ minimum: 0, description: "How many sessions ended." }) }, { $id: "EndedSessions" });
export type EndedSessions = Static<typeof EndedSessions>;
