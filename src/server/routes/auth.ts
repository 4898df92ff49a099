// Sign-in, sign-out and the current session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Clock } from "../../core/clock.js";
import { Secret } from "../../core/secret.js";
import { SessionInfo, SignInReply, SignInRequest } from "../../contract/auth.js";
import { Problem } from "../../contract/problem.js";
import type { AccountService } from "../../services/accounts.js";
import { csrfTokenOf, type SessionService } from "../../services/sessions.js";
import type { UserRecord } from "../../store/users.js";
import { clearSessionCookie, originOf, requireSession, setSessionCookie } from "../authentication.js";
import { sessionInfoOf } from "./reply-shapes.js";

export interface AuthRouteDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly clock: Clock;
}

/** Starts a session for a user who has just proved who they are; shared by sign-in and setup. */
export async function startSession(
  deps: Pick<AuthRouteDeps, "sessions" | "clock">,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRecord,
  client: "browser" | "cli",
): Promise<SignInReply> {
  // A new session id at every sign-in (ASVS 5.0 7.2.4); a cookie session the browser held before is ended.
  if (request.sessionToken !== undefined) await deps.sessions.endSession(request.sessionToken);
  const issued = await deps.sessions.issueSession(user, client === "cli" ? "token" : "browser", originOf(request));
  const session = sessionInfoOf(user, issued.csrfToken, issued.expiresAt);
  if (client === "cli") return { status: "signed_in", session, token: issued.token };
  setSessionCookie(reply, issued.token, issued.expiresAt, deps.clock.now());
  return { status: "signed_in", session };
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    "/api/v1/auth/sign-in",
    {
      schema: {
        tags: ["auth"],
        summary: "Sign in with a username and password",
        description: "Browsers get a session cookie; `client: \"cli\"` gets a bearer token in the reply instead.",
        body: SignInRequest,
        response: { 200: SignInReply, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const password = Secret.fromUtf8(request.body.password);
      const user = await deps.accounts.verifyPasswordSignIn(request.body.username, password, originOf(request));
      return startSession(deps, request, reply, user, request.body.client ?? "browser");
    },
  );

  typed.post(
    "/api/v1/auth/sign-out",
    {
      schema: { tags: ["auth"], summary: "End the current session", body: Type.Optional(Type.Object({})), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.sessionToken !== undefined) await deps.sessions.endSession(request.sessionToken);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  typed.get(
    "/api/v1/session",
    {
      preHandler: requireSession,
      schema: { tags: ["auth"], summary: "The signed-in user and the session's CSRF token", response: { 200: SessionInfo, 401: Problem } },
    },
    async (request) => {
      const session = request.session!;
      return sessionInfoOf(session.user, csrfTokenOf(request.sessionToken!), session.expiresAt);
    },
  );
}
