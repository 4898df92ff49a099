// Codes and recovery codes: what a caller gets from an entry.
import { Type, type Static } from "typebox";
import { OtpType } from "./entries.js";
import { ProblemKeySchema, ProblemParamsSchema, type ProblemKey, type ProblemParams } from "./problem.js";

export const CodeReply = Type.Object(
  {
    code: Type.String({ examples: ["492039"] }),
    type: OtpType,
    digits: Type.Integer(),
    period: Type.Union([Type.Integer(), Type.Null()], { description: "Seconds per code; null for HOTP." }),
    validFrom: Type.Integer({ description: "Unix second the code became valid." }),
    validUntil: Type.Union([Type.Integer(), Type.Null()], { description: "Unix second the code stops being valid; null for HOTP (valid until used)." }),
  },
  { $id: "CodeReply", examples: [{ code: "492039", type: "totp", digits: 6, period: 30, validFrom: 1795420800, validUntil: 1795420830 }] },
);
export type CodeReply = Static<typeof CodeReply>;

export const BatchCode = Type.Object({ entryId: Type.String({ format: "uuid" }), ...CodeReply.properties });
export type BatchCode = Static<typeof BatchCode>;

export const BatchCodeProblem = Type.Object(
  {
    entryId: Type.String({ format: "uuid" }),
    code: Type.Union([Type.Literal("damaged"), Type.Literal("step_up_required")], {
      description: "damaged: the entry's stored seed failed its integrity check and cannot be opened. step_up_required: the entry (or its folder) asks for a fresh second factor before each code (POST /api/v1/entries/{id}/step-up), or refuses service-account tokens.",
    }),
    key: ProblemKeySchema,
    params: ProblemParamsSchema,
    detail: Type.String({ description: "Why, in one English sentence (the catalogue's sentence for key and params)." }),
  },
  { description: "An entry of the batch that got no code, and why." },
);
export type BatchCodeProblem = Omit<Static<typeof BatchCodeProblem>, "key" | "params"> & { key: ProblemKey; params: ProblemParams };

export const BatchCodesReply = Type.Object(
  {
    codes: Type.Array(BatchCode),
    problems: Type.Array(BatchCodeProblem, { description: "Entries that got no code (one damaged entry does not fail the batch)." }),
    serverTime: Type.Number({ description: "The server's clock (Unix seconds, fractional) for countdowns." }),
  },
  { $id: "BatchCodesReply" },
);
export type BatchCodesReply = Omit<Static<typeof BatchCodesReply>, "problems"> & { problems: BatchCodeProblem[] };

export const RevealRequest = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, description: "Why: kept in the audit log.", examples: ["Locked out of the registrar, ticket OPS-1234"] }) },
  { additionalProperties: false },
);
export type RevealRequest = Static<typeof RevealRequest>;

export const RecoveryCodeReply = Type.Object(
  { code: Type.String(), remaining: Type.Integer({ description: "Unused codes left after this one." }) },
  { $id: "RecoveryCodeReply" },
);
export type RecoveryCodeReply = Static<typeof RecoveryCodeReply>;

export const AllRecoveryCodesReply = Type.Object(
  { codes: Type.Array(Type.Object({ code: Type.String(), used: Type.Boolean() })) },
  { $id: "AllRecoveryCodesReply" },
);
export type AllRecoveryCodesReply = Static<typeof AllRecoveryCodesReply>;

export const ReplaceRecoveryCodesRequest = Type.Object(
  { codes: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
export type ReplaceRecoveryCodesRequest = Static<typeof ReplaceRecoveryCodesRequest>;

export const RevealFieldReply = Type.Object({ value: Type.String() }, { $id: "RevealFieldReply" });
export type RevealFieldReply = Static<typeof RevealFieldReply>;
