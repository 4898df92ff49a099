// Step-up before codes: POST /api/v1/entries/:id/step-up takes a fresh second factor, and a folder
// can ask for one before each code of its entries (PUT /api/v1/folders/:id/step-up).
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { EntryIdParams } from "../../contract/entries.js";
import { FolderStepUpReply, FolderStepUpRequest, StepUpReply, StepUpRequest } from "../../contract/mfa-enforcement.js";
import { Problem } from "../../contract/problem.js";
import type { StepUpService } from "../../services/step-ups.js";
import { actorOf, requireSession } from "../authentication.js";

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
          "An entry (or its folder) with step-up required answers its code routes with 403 `step_up_required` until the session gives a second factor here; it then gets that entry's codes (or, for a folder's rule, every entry of the folder's) for WATCHWORD_STEP_UP_MINUTES (default 5). Send `method: \"totp\"` with `code`, or `method: \"passkey\"` with `credential`, the answer to the options of POST /api/v1/auth/reauthenticate/passkey-options (bound to this session). A TOTP code is accepted once (`second_factor_code_replayed`); wrong codes count towards the account's second-factor throttle (429). Service-account tokens cannot step up: such entries refuse them (403 `step_up_not_for_tokens`). Audited as user.step_up_passed or user.step_up_failed.",
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
