// The signed-in user's own second factors under /api/v1/account/mfa: list, enrol an authenticator
// app (start, then confirm with a first code), rename, remove. Enrolling and removing need sudo mode.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Clock } from "../../core/clock.js";
import { Problem } from "../../contract/problem.js";
import { ConfirmTotpRequest, RenameFactorRequest, TotpEnrolment, UserFactor, UserFactorList } from "../../contract/second-factors.js";
import type { OwnFactorService } from "../../services/own-factors.js";
import type { UserFactorRecord } from "../../store/user-factors.js";
import { RENEWED_CSRF_HEADER, actorOf, requireSession, setSessionCookie } from "../authentication.js";

const tags = ["account"];
const FactorId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const SUDO = "Needs sudo mode (POST /api/v1/auth/reauthenticate within WATCHWORD_SUDO_MINUTES): 403 `reauthentication_required` otherwise.";

const factorOf = (factor: UserFactorRecord): UserFactor => ({
  id: factor.id,
  kind: factor.kind,
  name: factor.name,
  createdAt: new Date(factor.createdAt).toISOString(),
  lastUsedAt: factor.lastUsedAt === null ? null : new Date(factor.lastUsedAt).toISOString(),
});

export function registerOwnFactorRoutes(app: FastifyInstance, deps: { factors: OwnFactorService; clock: Clock }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { factors, clock } = deps;

  typed.get(
    "/api/v1/account/mfa",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Your second factors", description: "Your authenticator apps (confirmed ones only; never a seed), and every method sign-in asks you for.", response: { 200: UserFactorList, 401: Problem, 403: Problem } },
    },
    async (request) => {
      const { factors: list, methods } = await factors.listFactors(actorOf(request));
      return { factors: list.map(factorOf), methods };
    },
  );

  typed.post(
    "/api/v1/account/mfa/totp",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Start adding an authenticator app",
        description: `A new key as an otpauth:// link, a QR code and a grouped key, shown in this reply only. It signs nothing in until confirmed with a first code (POST …/totp/{id}/confirm) within 10 minutes; starting again replaces an unconfirmed one. ${SUDO} Audited as user.mfa_enrolment_started.`,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: TotpEnrolment, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const started = await factors.startTotpEnrolment(actorOf(request));
      return { ...started, expiresAt: new Date(started.expiresAt).toISOString() };
    },
  );

  typed.post(
    "/api/v1/account/mfa/totp/:id/confirm",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Confirm an authenticator app with its first code",
        description: `From then on sign-in asks for a code. ${SUDO} Audited as user.mfa_factor_added.`,
        params: FactorId,
        body: ConfirmTotpRequest,
        response: { 200: UserFactor, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => factorOf(await factors.confirmTotpEnrolment(actorOf(request), request.params.id, request.body.code, request.body.name)),
  );

  typed.patch(
    "/api/v1/account/mfa/factors/:id",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Rename a second factor", description: "Audited as user.mfa_factor_renamed.", params: FactorId, body: RenameFactorRequest, response: { 200: UserFactor, 400: Problem, 401: Problem, 403: Problem, 404: Problem } },
    },
    async (request) => factorOf(await factors.renameFactor(actorOf(request), request.params.id, request.body.name)),
  );

  typed.delete(
    "/api/v1/account/mfa/factors/:id",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Remove a second factor",
        description: `Every other session of yours ends (CLI tokens too); a browser's session gets a new id in this reply. ${SUDO} Audited as user.mfa_factor_removed.`,
        params: FactorId,
        response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const { renewed } = await factors.removeFactor(actorOf(request), request.params.id);
      if (renewed !== undefined) {
        setSessionCookie(reply, renewed.token, renewed.expiresAt, clock.now());
        reply.header(RENEWED_CSRF_HEADER, renewed.csrfToken);
      }
      return reply.code(204).send(null);
    },
  );
}
