// The one place where errors become application/problem+json (RFC 9457). A reply names the
// problem by key and parameters (for translation) and in an English sentence; an unexpected
// error, or a refusal that has no key, is logged and answered vaguely.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isWatchwordError, problem, type ErrorCode, type ProblemText } from "../core/errors.js";
import { STATUS_OF_ERROR, TITLE_OF_ERROR, problemType, renderProblem, type Problem } from "../contract/problem.js";

/**
 * When to try again after a 503 that names no time of its own: the database lost or busy, which a
 * node recovers from in about a second (nodes-behind-balancer.test.ts measures it). Clients and
 * load balancers that honour Retry-After then wait instead of retrying at once.
 */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** `extra` adds members a problem schema names (e.g. /readyz's `check`, an import's `rows`). */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  text: ProblemText,
  field?: string,
  extra?: Readonly<Record<string, unknown>>,
): FastifyReply {
  const body = problemBody(request, code, text, field, extra);
  if (body.status === 503 && !reply.hasHeader("retry-after")) reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return reply.code(body.status).type("application/problem+json").header("cache-control", "no-store").send(body);
}

/** The problem sendProblem sends, as an object: also the last line of a stream that failed once begun. */
export function problemBody(request: FastifyRequest, code: ErrorCode, text: ProblemText, field?: string, extra?: Readonly<Record<string, unknown>>): Problem {
  const status = STATUS_OF_ERROR[code];
  const body: Problem = { ...extra, type: problemType(code), title: TITLE_OF_ERROR[code], status, detail: renderProblem(text), code, key: text.key, params: text.params, requestId: request.id };
  if (field !== undefined) body.field = field;
  return body;
}

/** Turns Ajv's first complaint (its keyword, "/username" instance path and parameters) into a field name and a problem. */
function describeValidationError(error: FastifyError): { text: ProblemText; field: string | undefined } {
  const first = error.validation?.[0];
  if (first === undefined) return { text: problem("request_invalid"), field: undefined };
  const params = first.params as Record<string, unknown>;
  const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (first.keyword === "required") {
    const missing = String(params.missingProperty ?? params.requiredProperties ?? "");
    return { text: problem("field_required", { field: missing }), field: missing };
  }
  if (first.keyword === "additionalProperties") {
    const extra = String(params.additionalProperty ?? "");
    return { text: problem("field_not_expected", { field: extra }), field: extra };
  }
  const reason = first.message ?? "is not valid";
  if (path === "") return { text: problem("request_part_invalid", { part: error.validationContext ?? "request", reason }), field: undefined };
  const field = path;
  const limit = Number(params.limit);
  switch (first.keyword) {
    case "maxLength":
      return { text: problem("field_too_long", { field, count: limit }), field };
    case "minLength":
      return { text: problem("field_too_short", { field, count: limit }), field };
    case "maxItems":
      return { text: problem("field_too_many_items", { field, count: limit }), field };
    case "minItems":
      return { text: problem("field_too_few_items", { field, count: limit }), field };
    case "minimum":
      return { text: problem("field_below_minimum", { field, limit }), field };
    case "maximum":
      return { text: problem("field_above_maximum", { field, limit }), field };
    case "type":
      return { text: problem("field_wrong_type", { field, type: String(params.type) }), field };
    case "format":
      return { text: problem("field_wrong_format", { field, format: String(params.format) }), field };
    case "const":
    case "enum":
    case "anyOf":
      return { text: problem("field_not_allowed", { field }), field };
    case "pattern":
      return { text: problem("field_pattern_mismatch", { field }), field };
    default:
      return { text: problem("field_invalid", { field, reason }), field };
  }
}

const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; text: ProblemText }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "payload_too_large", text: problem("body_too_large") },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "unsupported_media_type", text: problem("body_not_json_media") },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "invalid_input", text: problem("body_length_mismatch") },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "invalid_input", text: problem("body_empty") },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "invalid_input", text: problem("body_not_json") },
};

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isWatchwordError(error)) {
      if (error.details.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.details.retryAfterSeconds));
      if (error.code === "internal" || error.code === "unavailable") request.log.error({ code: error.code, msg: error.message });
      const text = error.problemText;
      if (text !== undefined) return sendProblem(reply, request, error.code, text, error.details.field, error.details.rows === undefined ? undefined : { rows: error.details.rows });
      // Every refusal the server sends has a key (test/unit/core/problem-catalogue.test.ts looks for
      // plain sentences): one without is a defect, logged, and not said in one language only.
      request.log.error({ code: error.code, msg: error.message }, "a refusal without a catalogue key");
      return sendProblem(reply, request, "internal", problem("internal_error", { requestId: request.id }));
    }
    if (error.validation !== undefined) {
      const { text, field } = describeValidationError(error);
      return sendProblem(reply, request, "invalid_input", text, field);
    }
    const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
    if (known !== undefined) return sendProblem(reply, request, known.code, known.text);
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return sendProblem(reply, request, "invalid_input", problem("body_not_json"));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, "invalid_input", problem("request_invalid"));
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, request, "internal", problem("internal_error", { requestId: request.id }));
  });
}
