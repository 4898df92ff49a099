// Sign-in, sign-out and the current session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Clock } from "../../core/clock.js";
import { Secret } from "../../core/secret.js";
import { SessionInfo, SignInReply, SignInRequest } from "../../contract/auth.js";
import { Problem } from "../../contract/problem.js";
import type { AccountService, PasswordSignIn } from "../../services/accounts.js";
import type { DeviceTokenService } from "../../services/device-tokens.js";
import { csrfTokenOf, type SessionService } from "../../services/sessions.js";
import type { UserId } from "../../core/ids.js";
import type { UserRecord } from "../../store/users.js";
import { DEVICE_COOKIE, clearSessionCookie, originOf, requireSession, setDeviceCookie, setSessionCookie } from "../authentication.js";
import { sessionInfoOf } from "./reply-shapes.js";

export interface AuthRouteDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly devices: DeviceTokenService;
  readonly clock: Clock;
}

/**
 * Starts a session for a user who has just proved who they are; shared by sign-in and setup. The
 * client also gets a device token: the one it presented when that is the user's, else a new one.
 */
export async function startSession(
  deps: Pick<AuthRouteDeps, "sessions" | "devices" | "clock">,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRecord,
  client: "browser" | "cli",
  signIn?: Omit<PasswordSignIn, "user">,
): Promise<SignInReply> {
  // A new session id at every sign-in (ASVS 5.0 7.2.4); a cookie session the browser held before is ended.
  if (request.sessionToken !== undefined) await deps.sessions.endSession(request.sessionToken);
  const issued = await deps.sessions.issueSession(user, client === "cli" ? "token" : "browser", originOf(request));
  const session = sessionInfoOf(user, issued.csrfToken, issued.expiresAt);
  const now = deps.clock.now();
  const device = signIn?.keptDeviceToken !== undefined ? { token: signIn.keptDeviceToken, expiresAt: undefined } : await deps.devices.issue(user.id);
  const failedSignIns =
    signIn !== undefined && signIn.failuresFromOtherDevices > 0 ? { failedSignIns: { count: signIn.failuresFromOtherDevices, accountLocked: signIn.isLockedForOtherDevices } } : {};
  if (client === "cli") return { status: "signed_in", session, token: issued.token, deviceToken: device.token, ...failedSignIns };
  setSessionCookie(reply, issued.token, issued.expiresAt, now);
  if (device.expiresAt !== undefined) setDeviceCookie(reply, device.token, device.expiresAt, now);
  return { status: "signed_in", session, ...failedSignIns };
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    "/api/v1/auth/sign-in",
    {
      schema: {
        tags: ["auth"],
        summary: "Sign in with a username and password",
        description:
          "Browsers get a session cookie; `client: \"cli\"` gets a bearer token in the reply instead. Both get a device token (a cookie, or `deviceToken` in the reply): failed sign-ins presented with it count against that device only. After 100 failed sign-ins from unknown devices the account is locked for them (429) until an administrator unlocks it; known devices still sign in.",
        body: SignInRequest,
        response: { 200: SignInReply, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const password = Secret.fromUtf8(request.body.password);
      const client = request.body.client ?? "browser";
      const deviceToken = client === "cli" ? request.body.deviceToken : request.cookies[DEVICE_COOKIE];
      try {
        const { user, ...signIn } = await deps.accounts.verifyPasswordSignIn(request.body.username, password, originOf(request), deviceToken);
        return await startSession(deps, request, reply, user, client, signIn);
      } finally {
        password.destroy();
      }
    },
  );

  typed.post(
    "/api/v1/auth/sign-out",
    {
      schema: { tags: ["auth"], summary: "End the current session", body: Type.Optional(Type.Object({})), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const session = request.session;
      if (request.sessionToken !== undefined) {
        await deps.sessions.endSession(request.sessionToken, session === undefined ? undefined : { kind: "user", userId: session.user.id as UserId, username: session.user.username, origin: originOf(request) });
      }
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
