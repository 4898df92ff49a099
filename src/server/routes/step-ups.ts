// Step-up before codes: POST /api/v1/entries/:id/step-up takes a fresh second factor, and a folder
// can ask for one before each code of its entries (PUT /api/v1/folders/:id/step-up).
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { EntryIdParams } from "../../contract/entries.js";
import { FolderStepUpReply, FolderStepUpRequest, StepUpReply, StepUpRequest } from "../../contract/mfa-enforcement.js";
import { Problem } from "../../contract/problem.js";
import { PushSignInReply, PushSignInStatus } from "../../contract/push-approval.js";
import type { StepUpService } from "../../services/step-ups.js";
import { DEVICE_COOKIE, actorOf, requireSession } from "../authentication.js";

const FolderIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem };

export function registerStepUpRoutes(app: FastifyInstance, deps: { stepUps: StepUpService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { stepUps } = deps;

  typed.post(
    "/api/v1/entries/:id/step-up",
    {
      preHandler: requireSession,
      schema: {
        tags: ["codes"],
        summary: "Give a fresh second factor before a code of an entry that asks for one",
        description:
          "An entry (or its folder) with step-up required answers its code routes with 403 `step_up_required` until the session gives a second factor here; it then gets that entry's codes (or, for a folder's rule, every entry of the folder's) for WATCHWORD_STEP_UP_MINUTES (default 5). Send `method: \"totp\"` with `code`; `method: \"passkey\"` with `credential`, the answer to the options of POST /api/v1/auth/reauthenticate/passkey-options (bound to this session); or `method: \"push\"` once the request of POST …/step-up/push was approved on another device (used once; a request of another session, or one sent to confirm it is you for sudo mode, does not count: `step_up_push_not_requested`; also `step_up_push_pending`, `step_up_push_denied`, `step_up_push_expired`, `step_up_push_used`, none of them counted as a wrong code). A TOTP code is accepted once (`second_factor_code_replayed`); wrong codes count towards the account's second-factor throttle (429). Service-account tokens cannot step up: such entries refuse them (403 `step_up_not_for_tokens`). Audited as user.step_up_passed or user.step_up_failed.",
        params: EntryIdParams,
        body: StepUpRequest,
        response: { 200: StepUpReply, ...errors },
      },
    },
    async (request) => {
      const passed = await stepUps.stepUp(actorOf(request), request.params.id, { method: request.body.method, code: request.body.code, credential: request.body.credential });
      return { stepUpUntil: new Date(passed.until).toISOString(), scope: passed.scope.kind };
    },
  );

  typed.post(
    "/api/v1/entries/:id/step-up/push",
    {
      preHandler: requireSession,
      schema: {
        tags: ["codes"],
        summary: "Send a push approval request to step up before a code",
        description:
          "For an account with push approval: sends a request bound to this session's step-up to the user's devices and answers the two-digit number to show. Poll …/step-up/push/status; once `approved`, POST /api/v1/entries/:id/step-up with `method: \"push\"`. The request lives 2 minutes. It goes to the user's other devices: this browser cannot answer its own request (400 `push_no_other_device` when it is the only one). At most 3 requests not approved in 10 minutes (429 `push_step_up_requests_exhausted`). Audited as user.push_requested (purpose step_up).",
        params: EntryIdParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PushSignInReply, ...errors },
      },
    },
    async (request) => {
      const sent = await stepUps.requestPush(actorOf(request), request.params.id, request.cookies[DEVICE_COOKIE]);
      return { number: sent.number, expiresAt: new Date(sent.expiresAt).toISOString() };
    },
  );

  typed.post(
    "/api/v1/entries/:id/step-up/push/status",
    {
      preHandler: requireSession,
      schema: {
        tags: ["codes"],
        summary: "What became of this session's push request to step up",
        description: "`approved`: finish with POST /api/v1/entries/:id/step-up and `method: \"push\"`. `denied`: refused on the other device (or a wrong number). `expired`: send a new one. `used`: it stepped up once already. 404 `push_request_not_found` before any request.",
        params: EntryIdParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PushSignInStatus, ...errors },
      },
    },
    async (request) => {
      const found = await stepUps.pushStatus(actorOf(request), request.params.id);
      return { status: found.status, expiresAt: new Date(found.expiresAt).toISOString() };
    },
  );

  typed.get(
    "/api/v1/folders/:id/step-up",
    {
      preHandler: requireSession,
      schema: { tags: ["folders"], summary: "Whether a folder asks for a fresh second factor before each code (administrators)", params: FolderIdParams, response: { 200: FolderStepUpReply, 401: Problem, 403: Problem, 404: Problem } },
    },
    async (request) => ({ required: await stepUps.isFolderStepUpRequired(actorOf(request), request.params.id) }),
  );

  typed.put(
    "/api/v1/folders/:id/step-up",
    {
      preHandler: requireSession,
      schema: {
        tags: ["folders"],
        summary: "Make a folder ask for a fresh second factor before each code of its entries (administrators)",
        description: "Audited as folder.step_up_set.",
        params: FolderIdParams,
        body: FolderStepUpRequest,
        response: { 200: FolderStepUpReply, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      await stepUps.setFolderStepUp(actorOf(request), request.params.id, request.body.required);
      return { required: request.body.required };
    },
  );
}
