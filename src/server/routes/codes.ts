// Codes and recovery codes. Every reply that carries one is audited before it is sent.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AllRecoveryCodesReply, BatchCodesReply, CodeReply, RecoveryCodeReply, ReplaceRecoveryCodesRequest, RevealFieldReply, RevealRequest } from "../../contract/codes.js";
import { EntryIdParams, EntryReply } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { Clock } from "../../core/clock.js";
import type { CodeService } from "../../services/codes.js";
import type { EntryService } from "../../services/entries.js";
import type { RecoveryCodeService } from "../../services/recovery-codes.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { SUDO_NOTE, actorOf, callerOf, requireCaller, requireSession, requireSudo } from "../authentication.js";
import { codeReplyOf, entryDetailOf } from "./entry-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };

export function registerCodeRoutes(app: FastifyInstance, deps: { codes: CodeService; recovery: RecoveryCodeService; entries: EntryService; clock: Clock; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { codes, recovery, entries, clock } = deps;

  typed.get(
    "/api/v1/entries/:id/code",
    { preHandler: requireCaller, schema: { tags: ["codes"], summary: "The current TOTP or Steam code", description: "Audited before it is sent; 503 when the audit event cannot be written. HOTP entries answer 409: use POST.", params: EntryIdParams, response: { 200: CodeReply, ...errors } } },
    async (request) => codeReplyOf(await codes.currentCode(callerOf(request), request.params.id)),
  );

  typed.post(
    "/api/v1/entries/:id/code",
    { preHandler: requireCaller, schema: { tags: ["codes"], summary: "The next code (advances an HOTP counter)", params: EntryIdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 200: CodeReply, ...errors } } },
    async (request) => codeReplyOf(await codes.takeCode(callerOf(request), request.params.id)),
  );

  typed.get(
    "/api/v1/codes",
    { preHandler: requireCaller, schema: { tags: ["codes"], summary: "Current codes of every TOTP and Steam entry the caller may use", response: { 200: BatchCodesReply, 401: Problem, 403: Problem, 503: Problem } } },
    async (request) => {
      const batch = await codes.batchCodes(callerOf(request));
      return { codes: batch.codes.map((c) => ({ entryId: c.entryId, ...codeReplyOf(c) })), problems: batch.problems.map((p) => ({ ...p })), serverTime: clock.now() / 1000 };
    },
  );

  typed.post(
    "/api/v1/entries/:id/recovery-codes/next",
    { preHandler: requireCaller, schema: { tags: ["recovery codes"], summary: "Reveal the next unused recovery code and mark it used", params: EntryIdParams, body: RevealRequest, response: { 200: RecoveryCodeReply, ...errors } } },
    async (request) => recovery.revealNext(callerOf(request), request.params.id, request.body.reason),
  );

  typed.post(
    "/api/v1/entries/:id/recovery-codes/all",
    { preHandler: requireSudo(deps.reauthentication), schema: { tags: ["recovery codes"], summary: "Reveal every recovery code (owner or administrator)", description: SUDO_NOTE, params: EntryIdParams, body: RevealRequest, response: { 200: AllRecoveryCodesReply, ...errors } } },
    async (request) => ({ codes: await recovery.revealAll(actorOf(request), request.params.id, request.body.reason) }),
  );

  typed.put(
    "/api/v1/entries/:id/recovery-codes",
    { preHandler: requireSession, schema: { tags: ["recovery codes"], summary: "Replace the list of recovery codes", params: EntryIdParams, body: ReplaceRecoveryCodesRequest, response: { 200: EntryReply, ...errors } } },
    async (request) => {
      const actor = actorOf(request);
      await recovery.replace(actor, request.params.id, request.body.codes);
      return { entry: entryDetailOf(await entries.get(actor, request.params.id)), warnings: [] };
    },
  );

  typed.post(
    "/api/v1/entries/:id/fields/:key/reveal",
    {
      preHandler: requireSession,
      schema: {
        tags: ["entries"],
        summary: "Reveal a secret field (e.g. a password)",
        description: "Audited before it is sent. An entry (or its folder) that asks for a fresh second factor before each code asks for it before each secret field too: 403 `step_up_required` (or `step_up_factor_missing`) until this session passes POST /api/v1/entries/:id/step-up.",
        params: Type.Object({ id: Type.String({ format: "uuid" }), key: Type.String({ maxLength: 40 }) }),
        body: RevealRequest,
        response: { 200: RevealFieldReply, ...errors },
      },
    },
    async (request) => ({ value: await recovery.revealField(actorOf(request), request.params.id, request.params.key, request.body.reason) }),
  );
}
