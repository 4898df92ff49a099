// Error replies (RFC 9457 application/problem+json) and the closed list of error codes.
// Shared by the server (which writes them), the client and the web app (which read them).
// The catalogue of problem keys lives in core (core throws these problems and imports nothing
// from outside core); it is re-exported here for the client and the web app.
import { Type, type Static } from "typebox";
import { PROBLEM_KEYS, type ProblemKey, type ProblemParams } from "../core/problems/catalogue.js";
import { ITEM_LABEL_KEYS, type ItemLabelKey } from "../core/problems/import-preview.js";

export { PROBLEM_CATALOGUE, PROBLEM_KEYS, isProblemKey, renderProblem } from "../core/problems/catalogue.js";
export type { ProblemKey, ProblemParams, ProblemTemplate, ProblemText } from "../core/problems/catalogue.js";

export const ERROR_CODES = [
  "invalid_input",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "too_many_requests",
  "payload_too_large",
  "unsupported_media_type",
  "unavailable",
  "sealed",
  "internal",
] as const;

export type ApiErrorCode = (typeof ERROR_CODES)[number];

/** One table maps every error code to its HTTP status. */
export const STATUS_OF_ERROR: Readonly<Record<ApiErrorCode, number>> = Object.freeze({
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
  sealed: 503,
});

export const TITLE_OF_ERROR: Readonly<Record<ApiErrorCode, string>> = Object.freeze({
  invalid_input: "Invalid input",
  unauthenticated: "Not signed in",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Request too large",
  unsupported_media_type: "Unsupported media type",
  too_many_requests: "Too many requests",
  internal: "Internal error",
  unavailable: "Service unavailable",
  sealed: "Vault sealed",
});

export const ProblemKeySchema = Type.Unsafe<ProblemKey>({
  type: "string",
  enum: [...PROBLEM_KEYS],
  description: "Which problem this is, stable across versions and languages: translate by this key, with params, rather than by detail.",
});
export const ProblemParamsSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
  description: "The values the sentence names, e.g. {\"name\": \"AWS root\"} or {\"count\": 3} (count also chooses the plural form).",
});

export const ImportPreviewProblem = Type.Object(
  {
    index: Type.Integer({ description: "The item's position in the file; entries and problems share this numbering." }),
    label: Type.String({ description: "The item as the file names it, or a label the server made up (see labelKey), in English." }),
    labelKey: Type.Union([Type.Unsafe<ItemLabelKey>({ type: "string", enum: [...ITEM_LABEL_KEYS] }), Type.Null()], {
      description: "Which made-up label this is (entry, item, line, gauth_transfer, qr_code, qr_code_numbered), to say it in any language with labelParams; null when the label is the file's own text.",
    }),
    labelParams: Type.Object({ number: Type.Optional(Type.Integer()) }, { description: "The number a made-up label names, e.g. {\"number\": 3} for \"Line 3\"." }),
    message: Type.String({ description: "Why the item cannot be imported, in one English sentence." }),
    key: ProblemKeySchema,
    params: ProblemParamsSchema,
  },
  { description: "An item of the file that cannot be imported, and why; never its secret." },
);
export type ImportPreviewProblem = Omit<Static<typeof ImportPreviewProblem>, "labelKey" | "key" | "params"> & {
  labelKey: ItemLabelKey | null;
  key: ProblemKey;
  params: ProblemParams;
};

export const Problem = Type.Object(
  {
    type: Type.String({ description: "A URI naming the kind of problem." }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: "The problem in one English sentence, for the person reading it." }),
    code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
    key: ProblemKeySchema,
    params: ProblemParamsSchema,
    field: Type.Optional(Type.String({ description: "The request field the problem is about." })),
    rows: Type.Optional(
      Type.Array(ImportPreviewProblem, {
        description: "For an upload with nothing importable (import_nothing_importable): its first rows and why each cannot be imported, as an import preview lists them; params.count says how many there are in all.",
      }),
    ),
    requestId: Type.Optional(Type.String()),
  },
  {
    $id: "Problem",
    description: "RFC 9457 problem details, sent as application/problem+json.",
    examples: [
      {
        type: "https://watchword.dev/problems/conflict",
        title: "Conflict",
        status: 409,
        detail: 'A folder named "Finance" already exists.',
        code: "conflict",
        key: "folder_name_taken",
        params: { name: "Finance" },
        field: "name",
        requestId: "req-1a",
      },
    ],
  },
);
export type Problem = Omit<Static<typeof Problem>, "code" | "key" | "params" | "rows"> & { code: ApiErrorCode; key: ProblemKey; params: ProblemParams; rows?: ImportPreviewProblem[] };

/** A warning in a successful reply: the same key, params and English sentence as a problem. */
export const Notice = Type.Object(
  { key: ProblemKeySchema, params: ProblemParamsSchema, detail: Type.String({ description: "The warning in one English sentence." }) },
  { $id: "Notice", examples: [{ key: "seed_weak", params: { bits: 80 }, detail: "The secret is 80 bits long, shorter than the 128 bits RFC 4226 requires; it is accepted because some services issue such keys, but it is weaker than it should be." }] },
);
export type Notice = { key: ProblemKey; params: ProblemParams; detail: string };

export const problemType = (code: ApiErrorCode): string => `https://watchword.dev/problems/${code.replace(/_/g, "-")}`;
