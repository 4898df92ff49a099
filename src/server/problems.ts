// The one place where errors become application/problem+json (RFC 9457). A reply names the
// problem in a sentence; an unexpected error is logged with its stack and answered vaguely.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isWatchwordError, type ErrorCode } from "../core/errors.js";
import { STATUS_OF_ERROR, TITLE_OF_ERROR, problemType, type Problem } from "../contract/problem.js";

/** `extra` adds members a route's own problem schema names (e.g. /readyz's `check`). */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, detail: string, field?: string, extra?: Readonly<Record<string, unknown>>): FastifyReply {
  const status = STATUS_OF_ERROR[code];
  const body: Problem = { ...extra, type: problemType(code), title: TITLE_OF_ERROR[code], status, detail, code, requestId: request.id };
  if (field !== undefined) body.field = field;
  return reply.code(status).type("application/problem+json").header("cache-control", "no-store").send(body);
}

/** Turns Ajv's "/username" instance path and missing-property errors into a field name and a sentence. */
function describeValidationError(error: FastifyError): { detail: string; field: string | undefined } {
  const first = error.validation?.[0];
  if (first === undefined) return { detail: "The request is not valid.", field: undefined };
  const params = first.params as Record<string, unknown>;
  const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (first.keyword === "required") {
    const missing = String(params.missingProperty ?? params.requiredProperties ?? "");
    return { detail: `The field "${missing}" is required.`, field: missing };
  }
  if (first.keyword === "additionalProperties") {
    const extra = String(params.additionalProperty ?? "");
    return { detail: `The field "${extra}" is not expected here.`, field: extra };
  }
  const where = path === "" ? `The ${error.validationContext ?? "request"}` : `The field "${path}"`;
  return { detail: `${where} ${first.message ?? "is not valid"}.`, field: path === "" ? undefined : path };
}

const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; detail: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "payload_too_large", detail: "The request body is too large." },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "unsupported_media_type", detail: "Send the request body as application/json." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "invalid_input", detail: "The request's Content-Length does not match its body." },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "invalid_input", detail: "The request body is empty; send a JSON object." },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "invalid_input", detail: "The request body is not valid JSON." },
};

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isWatchwordError(error)) {
      if (error.details.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.details.retryAfterSeconds));
      if (error.code === "internal" || error.code === "unavailable") request.log.error({ code: error.code, msg: error.message });
      return sendProblem(reply, request, error.code, error.message, error.details.field);
    }
    if (error.validation !== undefined) {
      const { detail, field } = describeValidationError(error);
      return sendProblem(reply, request, "invalid_input", detail, field);
    }
    const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
    if (known !== undefined) return sendProblem(reply, request, known.code, known.detail);
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return sendProblem(reply, request, "invalid_input", "The request body is not valid JSON.");
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, "invalid_input", "The request is not valid.");
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, request, "internal", `Something went wrong on the server. Quote request id ${request.id} to your administrator.`);
  });
}
