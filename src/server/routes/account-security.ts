// The signed-in user's sign-in security: their sign-in recovery codes (how many remain, a new
// set) and their sessions (the list, signing out one, signing out the others).
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Problem } from "../../contract/problem.js";
import { EndedSessions, GeneratedRecoveryCodes, GenerateRecoveryCodesRequest, OwnSessionList, RecoveryCodeStatus, SessionIdParams } from "../../contract/sign-in-security.js";
import type { OwnSessionService } from "../../services/own-sessions.js";
import type { SignInRecoveryCodeService } from "../../services/sign-in-recovery-codes.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { SUDO_NOTE, actorOf, clearSessionCookie, requireSession, requireSudo } from "../authentication.js";

const tags = ["account"];
const iso = (ms: number): string => new Date(ms).toISOString();

export function registerAccountSecurityRoutes(app: FastifyInstance, deps: { recoveryCodes: SignInRecoveryCodeService; sessions: OwnSessionService; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { recoveryCodes, sessions } = deps;

  typed.get(
    "/api/v1/account/recovery-codes",
    { preHandler: requireSession, schema: { tags, summary: "How many of your sign-in recovery codes remain", response: { 200: RecoveryCodeStatus, 401: Problem, 403: Problem } } },
    async (request) => {
      const status = await recoveryCodes.count(actorOf(request).userId);
      return { remaining: status.remaining, total: status.total, generatedAt: status.generatedAt === null ? null : iso(status.generatedAt) };
    },
  );

  typed.post(
    "/api/v1/account/recovery-codes",
    {
      preHandler: requireSudo(deps.reauthentication),
      schema: {
        tags,
        summary: "Make a new set of ten sign-in recovery codes",
        description:
          "The ten codes are in this reply only (Watchword keeps salted hashes); every code of the old set stops working. Each code works once in place of the second step of signing in. Audited as user.recovery_codes_generated. " + SUDO_NOTE,
        body: Type.Optional(GenerateRecoveryCodesRequest),
        response: { 201: GeneratedRecoveryCodes, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const made = await recoveryCodes.generate(actorOf(request));
      return reply.code(201).header("cache-control", "no-store").send({ codes: [...made.codes], generatedAt: iso(made.generatedAt) });
    },
  );

  typed.get(
    "/api/v1/account/sessions",
    { preHandler: requireSession, schema: { tags, summary: "Where you are signed in", response: { 200: OwnSessionList, 401: Problem, 403: Problem } } },
    async (request) => ({
      sessions: (await sessions.list(actorOf(request))).map((s) => ({ ...s, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt) })),
    }),
  );

  typed.delete(
    "/api/v1/account/sessions/:id",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Sign out one of your sessions",
        description: "By the id of GET /api/v1/account/sessions. Ending this request's own session signs you out here. Audited as user.session_ended.",
        params: SessionIdParams,
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const { wasCurrent } = await sessions.endSession(actorOf(request), request.params.id);
      if (wasCurrent) clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  typed.post(
    "/api/v1/account/sessions/sign-out-others",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Sign out everywhere else",
        description: "Ends every session of yours but this one (browsers and CLI tokens). Audited as user.other_sessions_ended.",
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: EndedSessions, 401: Problem, 403: Problem },
      },
    },
    async (request) => ({ ended: await sessions.endOtherSessions(actorOf(request)) }),
  );
}
