// The administrators' MFA rule: who must have a second factor, and which methods count.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { MfaEnforcementReply, MfaEnforcementRequest } from "../../contract/mfa-enforcement.js";
import { Problem } from "../../contract/problem.js";
import type { MfaEnforcementService, MfaEnforcementView } from "../../services/mfa-enforcement.js";
import { actorOf, requireSession } from "../authentication.js";
import { noticeOf } from "./reply-shapes.js";

const tags = ["users"];

const replyOf = (view: MfaEnforcementView): MfaEnforcementReply => ({
  scope: view.scope,
  methods: [...view.methods],
  groupIds: [...view.groupIds],
  updatedAt: view.updatedAt === null ? null : new Date(view.updatedAt).toISOString(),
  administratorsWithoutSecondFactor: view.administratorsWithoutSecondFactor,
  warnings: view.warnings.map(noticeOf),
});

export function registerMfaEnforcementRoutes(app: FastifyInstance, deps: { enforcement: MfaEnforcementService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { enforcement } = deps;

  typed.get(
    "/api/v1/settings/mfa-enforcement",
    { preHandler: requireSession, schema: { tags, summary: "Who must use two-step verification (administrators)", response: { 200: MfaEnforcementReply, 401: Problem, 403: Problem } } },
    async (request) => replyOf(await enforcement.get(actorOf(request))),
  );

  typed.put(
    "/api/v1/settings/mfa-enforcement",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Require a second factor for everyone or for groups, and choose the methods that count (administrators)",
        description:
          "Administrators are always in a rule that is on, and the administrator setting it must already have one of its methods (409 `mfa_enforcement_own_factor_required`). A user the rule names who has none of its methods gets, at their next sign-in, a session that may only enrol one (SessionInfo.secondFactorEnrolment); every other route answers it 403 `second_factor_enrolment_required`. Sign-in recovery codes are a fallback, never a method of the rule (400 `mfa_enforcement_method_fallback`). Whatever the rule, an administrator with no second factor must enrol one once any other enabled user exists (always on; secondFactorEnrolment.reason `administrator`). Audited as mfa_enforcement.changed.",
        body: MfaEnforcementRequest,
        response: { 200: MfaEnforcementReply, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (request) => replyOf(await enforcement.set(actorOf(request), request.body)),
  );
}
