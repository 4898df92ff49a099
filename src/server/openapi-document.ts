// Finishes the OpenAPI document @fastify/swagger builds from the routes: every error reply is
// documented as application/problem+json (RFC 9457, as problems.ts sends it) with an example
// said from the problem catalogue, every operation may answer 500, public operations need no
// credentials, and each request and reply carries its example from openapi-examples.ts.
import { Problem as ProblemSchema, STATUS_OF_ERROR, TITLE_OF_ERROR, problemType, renderProblem, type ApiErrorCode, type Problem, type ProblemText } from "../contract/problem.js";
import { OPERATION_EXAMPLES } from "./openapi-examples.js";

type Json = Record<string, unknown>;
interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
}
interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
  security?: unknown[];
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> } & Json;
}

/** Operations anyone may call: no session, no token. */
const PUBLIC_OPERATIONS = new Set(["GET /healthz", "GET /readyz", "POST /api/v1/auth/sign-in", "POST /api/v1/setup/status", "POST /api/v1/setup",
  "POST /api/v1/invites/status",
  "POST /api/v1/invites/accept",
  "POST /api/v1/password-resets/status",
  "POST /api/v1/password-resets/complete",
]);
const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };
const CODE_OF_STATUS = new Map<number, ApiErrorCode>(
  (Object.entries(STATUS_OF_ERROR) as [ApiErrorCode, number][]).filter(([code]) => code !== "sealed").map(([code, status]) => [status, code]),
);

/** What the resource of a path is called in the problem that names it missing or taken. */
function resourceOf(path: string): "folder" | "template" | "import" | "entry" | "user" | "group" | "other" {
  if (path.startsWith("/api/v1/folders")) return "folder";
  if (path.startsWith("/api/v1/users/{id}")) return "user";
  if (path.startsWith("/api/v1/groups")) return "group";
  if (path.startsWith("/api/v1/templates")) return "template";
  if (path.startsWith("/api/v1/imports")) return "import";
  return path.startsWith("/api/v1/entries") ? "entry" : "other";
}

/** A telling problem for an operation's error status, said as the server would. */
function problemFor(method: string, path: string, status: number, hasBody: boolean): ProblemText {
  const resource = resourceOf(path);
  switch (status) {
    case 400:
      return hasBody ? { key: "field_required", params: { field: path.endsWith("/reveal") || path.includes("recovery-codes/") ? "reason" : "name" } } : { key: "field_wrong_format", params: { field: "id", format: "uuid" } };
    case 401:
      return path === "/api/v1/auth/sign-in" ? { key: "sign_in_failed", params: {} } : { key: "sign_in_required", params: {} };
    case 403:
      if (resource === "folder") return { key: method === "POST" ? "folder_create_forbidden" : "folder_change_forbidden", params: {} };
      if (resource === "template") return { key: method === "POST" ? "template_define_forbidden" : "template_change_forbidden", params: {} };
      if (resource === "user" || resource === "group" || path === "/api/v1/users") return { key: "people_forbidden", params: {} };
      return method === "GET" ? { key: "entry_change_forbidden", params: {} } : { key: "csrf_token_missing", params: {} };
    case 404:
      if (resource === "folder") return { key: "folder_not_found", params: {} };
      if (resource === "template") return { key: "template_not_found", params: {} };
      if (resource === "import") return { key: "import_gone", params: {} };
      if (resource === "user") return { key: "user_id_not_found", params: {} };
      if (resource === "group") return { key: path.endsWith("{userId}") && method === "DELETE" ? "group_member_not_found" : "group_not_found", params: {} };
      if (path.startsWith("/api/v1/invites")) return { key: "invite_link_invalid", params: {} };
      if (path.startsWith("/api/v1/password-resets")) return { key: "reset_link_invalid", params: {} };
      return path.startsWith("/api/v1/setup") ? { key: "setup_link_invalid", params: {} } : { key: "entry_not_found", params: {} };
    case 409:
      if (resource === "folder") return method === "DELETE" ? { key: "folder_not_empty", params: { name: "Finance", count: 3 } } : { key: "folder_name_taken", params: { name: "Finance" } };
      if (resource === "template") return method === "DELETE" ? { key: "template_in_use", params: { name: "Bank portal", count: 3 } } : { key: "template_built_in", params: {} };
      if (resource === "user") return { key: "last_admin", params: {} };
      if (resource === "group" || path === "/api/v1/groups") return { key: "group_name_taken", params: { name: "Finance" } };
      if (path === "/api/v1/users") return { key: "username_taken", params: { username: "bob" } };
      if (path.startsWith("/api/v1/invites")) return { key: "invite_link_used", params: {} };
      if (path.startsWith("/api/v1/password-resets")) return { key: "reset_link_used", params: {} };
      return path.startsWith("/api/v1/setup") ? { key: "setup_already_done", params: {} } : { key: "entry_name_taken", params: { name: "AWS root" } };
    case 413:
      return { key: "body_too_large", params: {} };
    case 429:
      return { key: "sign_in_throttled", params: { count: 4 } };
    case 503:
      return { key: "database_unreachable", params: {} };
    default:
      return { key: "internal_error", params: { requestId: "6f1d2c3b-4a5e-4f60-8b7a-9c8d7e6f5a4b" } };
  }
}

function problemExample(status: number, text: ProblemText, rows: Problem["rows"]): Problem {
  const code = CODE_OF_STATUS.get(status) ?? "internal";
  const example: Problem = { type: problemType(code), title: TITLE_OF_ERROR[code], status, detail: renderProblem(text), code, key: text.key, params: { ...text.params }, requestId: "6f1d2c3b-4a5e-4f60-8b7a-9c8d7e6f5a4b" };
  return rows === undefined ? example : { ...example, rows };
}

function describeErrors(method: string, path: string, operation: Operation): void {
  const responses = (operation.responses ??= {});
  responses["500"] ??= { description: "Unexpected error" };
  const own = OPERATION_EXAMPLES[`${method.toUpperCase()} ${path}`]?.problem;
  for (const [statusText, response] of Object.entries(responses)) {
    const status = Number(statusText);
    if (!(status >= 400)) continue;
    const code = CODE_OF_STATUS.get(status) ?? "internal";
    const isOwn = own?.status === status;
    const text = isOwn ? own.text : problemFor(method.toUpperCase(), path, status, operation.requestBody !== undefined);
    response.description = `${TITLE_OF_ERROR[code]}: e.g. ${text.key}.`;
    response.content = { "application/problem+json": { schema: PROBLEM_REF, example: problemExample(status, text, isOwn ? own.rows : undefined) } };
  }
}

function addExamples(name: string, operation: Operation): void {
  const example = OPERATION_EXAMPLES[name];
  if (example === undefined) return;
  const body = operation.requestBody?.content?.["application/json"];
  if (body !== undefined && example.request !== undefined) body.example = example.request;
  for (const [statusText, response] of Object.entries(operation.responses ?? {})) {
    if (response.description === "Default Response") response.description = statusText === "204" ? "Done; the reply has no body." : statusText === "201" ? "Created." : "Success.";
    const media = response.content?.["application/json"];
    if (Number(statusText) < 300 && media !== undefined && example.reply !== undefined) media.example = example.reply;
    const lines = example.lines === undefined ? undefined : response.content?.[example.lines.mediaType];
    if (Number(statusText) < 300 && lines !== undefined && example.lines !== undefined) {
      lines.examples = Object.fromEntries(Object.entries(example.lines.examples).map(([name, value]) => [name, { summary: `A line: ${name}`, value }]));
    }
  }
}

export function finishOpenApiDocument(source: OpenApiDocument): OpenApiDocument {
  const document = structuredClone(source);
  // The contract's schema is plain JSON Schema; written once here, referenced by every error reply.
  const { $id: _id, ...problemSchema } = JSON.parse(JSON.stringify(ProblemSchema)) as Json;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: problemSchema } };
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      describeErrors(method, path, operation);
      addExamples(name, operation);
      if (PUBLIC_OPERATIONS.has(name)) operation.security = [];
    }
  }
  return document;
}
