// Request and reply shapes for the administrators' MFA rule and for step-up before codes (issue 10).
import { Type, type Static } from "typebox";
import { Notice } from "./problem.js";
import { AuthenticationCredential } from "./passkeys.js";

export const EnforcedMethod = Type.Union([Type.Literal("totp"), Type.Literal("passkey"), Type.Literal("push")], {
  description: "A method that satisfies the rule: totp (authenticator app), passkey (passkey or security key), push (approval on a signed-in device).",
});

export const MfaEnforcementScope = Type.Union([Type.Literal("off"), Type.Literal("everyone"), Type.Literal("groups")], {
  description: "off: nobody must; everyone; groups: the members of groupIds. Administrators are always in a rule that is on.",
});

export const MfaEnforcementRequest = Type.Object(
  {
    scope: MfaEnforcementScope,
    methods: Type.Array(Type.Union([EnforcedMethod, Type.Literal("recovery_code")]), {
      maxItems: 8,
      description: "The methods that count; at least one unless scope is off. recovery_code is refused: sign-in recovery codes are a fallback beside a method.",
    }),
    groupIds: Type.Optional(Type.Array(Type.String({ format: "uuid" }), { maxItems: 200, description: "For scope groups: the groups whose members must enrol." })),
  },
  { additionalProperties: false },
);
export type MfaEnforcementRequest = Static<typeof MfaEnforcementRequest>;

export const MfaEnforcementReply = Type.Object(
  {
    scope: MfaEnforcementScope,
    methods: Type.Array(EnforcedMethod),
    groupIds: Type.Array(Type.String({ format: "uuid" })),
    updatedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    administratorsWithoutSecondFactor: Type.Integer({ minimum: 0, description: "Active administrators with no second factor while other users exist." }),
    warnings: Type.Array(Notice, { description: "administrators_without_second_factor while there are such administrators." }),
  },
  { $id: "MfaEnforcementReply" },
);
export type MfaEnforcementReply = Static<typeof MfaEnforcementReply>;

export const StepUpRequest = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 40, description: "One of your second-factor methods.", examples: ["totp"] }),
    code: Type.Optional(Type.String({ maxLength: 32, description: "The code your authenticator app shows (or a sign-in recovery code); spaces and dashes are ignored.", examples: ["123 456"] })),
    credential: Type.Optional(AuthenticationCredential),
  },
  { additionalProperties: false },
);
export type StepUpRequest = Static<typeof StepUpRequest>;

export const StepUpReply = Type.Object(
  {
    stepUpUntil: Type.String({ format: "date-time", description: "Until when this session gets the entry's codes without another step-up (WATCHWORD_STEP_UP_MINUTES)." }),
    scope: Type.Union([Type.Literal("entry"), Type.Literal("folder")], { description: "entry: for this entry; folder: for every entry of its folder." }),
  },
  { $id: "StepUpReply" },
);
export type StepUpReply = Static<typeof StepUpReply>;

export const FolderStepUpRequest = Type.Object({ required: Type.Boolean({ description: "Every entry of the folder asks for a fresh second factor before each code." }) }, { additionalProperties: false });
export type FolderStepUpRequest = Static<typeof FolderStepUpRequest>;

export const FolderStepUpReply = Type.Object({ required: Type.Boolean() }, { $id: "FolderStepUpReply" });
export type FolderStepUpReply = Static<typeof FolderStepUpReply>;

export const EnrolmentDemand = Type.Object(
  { methods: Type.Array(EnforcedMethod, { description: "The methods that would count." }) },
  { description: "Present while the session may only enrol a second factor: every other route answers 403 second_factor_enrolment_required." },
);
