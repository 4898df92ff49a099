// Error replies (RFC 9457 application/problem+json) and the closed list of error codes.
// Shared by the server (which writes them), the client and the web app (which read them).
import { Type, type Static } from "typebox";

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

export const Problem = Type.Object(
  {
    type: Type.String({ description: "A URI naming the kind of problem." }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: "A sentence for the person reading it." }),
    code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
    field: Type.Optional(Type.String({ description: "The request field the problem is about." })),
    requestId: Type.Optional(Type.String()),
  },
  { $id: "Problem", description: "RFC 9457 problem details." },
);
export type Problem = Omit<Static<typeof Problem>, "code"> & { code: ApiErrorCode };

export const problemType = (code: ApiErrorCode): string => `https://watchword.dev/problems/${code.replace(/_/g, "-")}`;
