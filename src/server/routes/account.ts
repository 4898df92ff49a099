// The signed-in user's own account: profile (display name, language, e-mail) and password.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Clock } from "../../core/clock.js";
import { Secret } from "../../core/secret.js";
import { Problem } from "../../contract/problem.js";
import { ChangePasswordRequest, UpdateAccountRequest, User } from "../../contract/users.js";
import type { OwnAccountService } from "../../services/own-account.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { RENEWED_CSRF_HEADER, SUDO_NOTE, actorOf, requireSession, requireSudo, setSessionCookie } from "../authentication.js";
import { userOf } from "./people-shapes.js";

const tags = ["account"];

export function registerAccountRoutes(app: FastifyInstance, deps: { account: OwnAccountService; clock: Clock; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { account, clock } = deps;

  typed.get(
    "/api/v1/account",
    { preHandler: requireSession, schema: { tags, summary: "Your own account", response: { 200: User, 401: Problem } } },
    async (request) => userOf(await account.getAccount(actorOf(request))),
  );

  typed.patch(
    "/api/v1/account",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Change your display name, language or e-mail address",
        description: "`language` (en or fr, null for the browser's) is also in GET /api/v1/session. Audited as user.profile_changed.",
        body: UpdateAccountRequest,
        response: { 200: User, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => userOf(await account.updateAccount(actorOf(request), request.body)),
  );

  typed.post(
    "/api/v1/account/password",
    {
      preHandler: requireSudo(deps.reauthentication),
      schema: {
        tags,
        summary: "Change your password",
        description: "Needs the current password; every other session of yours ends. A browser's session gets a new id in this reply (a new cookie, and its CSRF token in the X-CSRF-Token header); a bearer token stays. Audited as user.password_changed. " + SUDO_NOTE,
        body: ChangePasswordRequest,
        response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const current = Secret.fromUtf8(request.body.currentPassword);
      const next = Secret.fromUtf8(request.body.newPassword);
      try {
        const { renewed } = await account.changePassword(actorOf(request), current, next);
        if (renewed !== undefined) {
          setSessionCookie(reply, renewed.token, renewed.expiresAt, clock.now());
          reply.header(RENEWED_CSRF_HEADER, renewed.csrfToken);
        }
      } finally {
        current.destroy();
        next.destroy();
      }
      return reply.code(204).send(null);
    },
  );
}
