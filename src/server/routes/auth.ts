// Sign-in, sign-out and the current session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Clock } from "../../core/clock.js";
import { isWatchwordError } from "../../core/errors.js";
import { Secret } from "../../core/secret.js";
import { SessionInfo, SignInReply, SignInRequest } from "../../contract/auth.js";
import { PasskeyReauthenticateRequest, ReauthenticateReply, ReauthenticateRequest, SecondFactorSignInRequest, SignInOutcome, type MfaRequiredReply } from "../../contract/second-factors.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import type { SignInChallengeService } from "../../services/sign-in-challenges.js";
import type { SecondFactorMethod } from "../../services/second-factors.js";
import { Problem } from "../../contract/problem.js";
import { PasskeyOptionsReply } from "../../contract/passkeys.js";
import { PushSignInReply, PushSignInStatus, ReauthenticatePushRequest } from "../../contract/push-approval.js";
import type { AccountService, PasswordSignIn } from "../../services/accounts.js";
import type { DeviceTokenService } from "../../services/device-tokens.js";
import { csrfTokenOf, type SessionService } from "../../services/sessions.js";
import type { UserId } from "../../core/ids.js";
import type { UserRecord } from "../../store/users.js";
import { DEVICE_COOKIE, RENEWED_CSRF_HEADER, actorOf, clearSessionCookie, originOf, requireSession, setDeviceCookie, setSessionCookie } from "../authentication.js";
import { sessionInfoOf } from "./reply-shapes.js";

export interface AuthRouteDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly devices: DeviceTokenService;
  readonly clock: Clock;
  readonly challenges: SignInChallengeService;
  readonly reauthentication: ReauthenticationService;
}

/** The browser's pending second step (sign-in-challenges.ts); sent back only to the second-factor route. */
export const CHALLENGE_COOKIE = "__Host-ww_sign_in";
export const CHALLENGE_COOKIE_OPTIONS = { path: "/", httpOnly: true, secure: true, sameSite: "strict" } as const;

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
  /**
   * The user proved who they are for this session (password and second factor, a passkey, the
   * first administrator's setup, SSO): it starts in sudo mode. A one-time link proves no password.
   */
  hasJustProved = true,
): Promise<SignInReply> {
  // A new session id at every sign-in (ASVS 5.0 7.2.4); a cookie session the browser held before is ended.
  if (request.sessionToken !== undefined) await deps.sessions.endSession(request.sessionToken);
  const issued = await deps.sessions.issueSession(user, client === "cli" ? "token" : "browser", originOf(request), hasJustProved);
  const session = sessionInfoOf(user, issued.csrfToken, issued.expiresAt, issued.enrolment);
  const now = deps.clock.now();
  const device = signIn?.keptDeviceToken !== undefined ? { token: signIn.keptDeviceToken, expiresAt: undefined } : await deps.devices.issue(user.id);
  const failedSignIns =
    signIn !== undefined && signIn.failuresFromOtherDevices > 0 ? { failedSignIns: { count: signIn.failuresFromOtherDevices, accountLocked: signIn.isLockedForOtherDevices } } : {};
  if (client === "cli") return { status: "signed_in", session, token: issued.token, deviceToken: device.token, ...failedSignIns };
  setSessionCookie(reply, issued.token, issued.expiresAt, now);
  if (device.expiresAt !== undefined) setDeviceCookie(reply, device.token, device.expiresAt, now);
  return { status: "signed_in", session, ...failedSignIns };
}

/**
 * The second step a sign-in must still take: a challenge for the user whose password was right
 * (the CLI gets its token, a browser the HttpOnly cookie). Shared by sign-in and the one-time
 * links that set a password, so that neither skips the user's second factor.
 */
export async function openChallenge(
  deps: Pick<AuthRouteDeps, "challenges" | "clock">,
  reply: FastifyReply,
  signIn: PasswordSignIn,
  client: "browser" | "cli",
  methods: readonly SecondFactorMethod[],
): Promise<MfaRequiredReply> {
  const opened = await deps.challenges.open(signIn, client, methods);
  const answer: MfaRequiredReply = { status: "mfa_required", challenge: { methods: [...opened.methods], expiresAt: new Date(opened.expiresAt).toISOString() } };
  if (client === "cli") return { ...answer, challengeToken: opened.token };
  reply.setCookie(CHALLENGE_COOKIE, opened.token, { ...CHALLENGE_COOKIE_OPTIONS, maxAge: Math.floor((opened.expiresAt - deps.clock.now()) / 1000) });
  return answer;
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
        response: { 200: SignInOutcome, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const password = Secret.fromUtf8(request.body.password);
      const client = request.body.client ?? "browser";
      const deviceToken = client === "cli" ? request.body.deviceToken : request.cookies[DEVICE_COOKIE];
      try {
        const signIn = await deps.accounts.verifyPasswordSignIn(request.body.username, password, originOf(request), deviceToken);
        const methods = signIn.secondFactorMethods ?? [];
        if (methods.length === 0) {
          const { user, ...rest } = signIn;
          return await startSession(deps, request, reply, user, client, rest);
        }
        return await openChallenge(deps, reply, signIn, client, methods);
      } finally {
        password.destroy();
      }
    },
  );

  typed.post(
    "/api/v1/auth/sign-in/second-factor",
    {
      schema: {
        tags: ["auth"],
        summary: "Finish a sign-in with a second factor",
        description:
          "Answers the challenge of a sign-in that replied `mfa_required`: the browser's challenge cookie, or `challengeToken` with `client: \"cli\"`. The challenge is used once, ends 5 minutes after the password step or after 5 wrong codes. A TOTP code is accepted for one step of drift either way and never twice (`second_factor_code_replayed`). Replies as the sign-in does once it succeeds.",
        body: SecondFactorSignInRequest,
        response: { 200: SignInReply, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const client = request.body.client ?? "browser";
      const token = client === "cli" ? request.body.challengeToken : request.cookies[CHALLENGE_COOKIE];
      const deviceToken = client === "cli" ? request.body.deviceToken : request.cookies[DEVICE_COOKIE];
      const submission = { method: request.body.method, code: request.body.code, credential: request.body.credential };
      let signIn;
      try {
        signIn = await deps.challenges.complete(token, client, submission, originOf(request), deviceToken);
      } catch (error) {
        // A challenge that ended (used, expired, too many codes) is of no more use to the browser.
        if (client === "browser" && isWatchwordError(error) && (error.key === "sign_in_challenge_invalid" || error.key === "second_factor_attempts_exhausted")) {
          reply.clearCookie(CHALLENGE_COOKIE, CHALLENGE_COOKIE_OPTIONS);
        }
        throw error;
      }
      if (client === "browser") reply.clearCookie(CHALLENGE_COOKIE, CHALLENGE_COOKIE_OPTIONS);
      const { user, method: _method, ...rest } = signIn;
      return startSession(deps, request, reply, user, client, rest);
    },
  );

  typed.post(
    "/api/v1/auth/sign-in/second-factor/passkey-options",
    {
      schema: {
        tags: ["auth"],
        summary: "Options for answering the second step with a passkey or security key",
        description:
          "For a sign-in that replied `mfa_required` with `passkey` among its methods (the challenge cookie, or `challengeToken` with `client: \"cli\"`). The options go to navigator.credentials.get() unchanged: the user's own keys only, their challenge bound to this sign-in and valid 5 minutes. Send the answer as `credential` with `method: \"passkey\"` to …/sign-in/second-factor.",
        body: Type.Optional(Type.Object({ challengeToken: Type.Optional(Type.String({ maxLength: 100 })), client: Type.Optional(Type.Union([Type.Literal("browser"), Type.Literal("cli")])) }, { additionalProperties: false })),
        response: { 200: PasskeyOptionsReply, 400: Problem, 401: Problem, 503: Problem },
      },
    },
    async (request) => {
      const client = request.body?.client ?? "browser";
      const token = client === "cli" ? request.body?.challengeToken : request.cookies[CHALLENGE_COOKIE];
      return { options: await deps.challenges.passkeyOptions(token, client) };
    },
  );

  typed.post(
    "/api/v1/auth/reauthenticate/passkey-options",
    {
      preHandler: requireSession,
      schema: {
        tags: ["auth"],
        summary: "Options for re-authenticating with a passkey as the second factor",
        description: "The options go to navigator.credentials.get() unchanged; their challenge is bound to this session and valid 5 minutes. Send the answer as `credential` with `method: \"passkey\"` (and the password) to POST /api/v1/auth/reauthenticate.",
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PasskeyOptionsReply, 400: Problem, 401: Problem, 403: Problem, 503: Problem },
      },
    },
    async (request) => ({ options: await deps.reauthentication.passkeyOptions(actorOf(request)) }),
  );

  typed.post(
    "/api/v1/auth/reauthenticate/passkey/options",
    {
      preHandler: requireSession,
      schema: {
        tags: ["auth"],
        summary: "Options for re-authenticating with a passkey instead of the password",
        description:
          "The options go to navigator.credentials.get() unchanged: your own keys, user verification preferred, the challenge bound to this session and valid 5 minutes. Send the answer to POST /api/v1/auth/reauthenticate/passkey.",
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PasskeyOptionsReply, 400: Problem, 401: Problem, 403: Problem, 503: Problem },
      },
    },
    async (request) => ({ options: await deps.reauthentication.passkeyFirstOptions(actorOf(request)) }),
  );

  typed.post(
    "/api/v1/auth/reauthenticate/passkey",
    {
      preHandler: requireSession,
      bodyLimit: 32 * 1024,
      schema: {
        tags: ["auth"],
        summary: "Confirm it is you with a passkey instead of the password: sudo mode",
        description:
          "The answer must sign this session's unused challenge (…/reauthenticate/passkey/options) from WATCHWORD_PUBLIC_URL's origin, with one of your keys, and its signature counter must have grown. A key that verified you (PIN, biometrics) is both factors, as at passkey sign-in. One that did not needs `method` (`totp` or `recovery_code`) and `code` too: without them the reply is 400 `second_factor_required` and the challenge stays unused, so the same answer can be sent again with the code. Failures count as failed sign-ins. Replies as POST /api/v1/auth/reauthenticate. Audited as user.passkey_used and user.reauthenticated (details.firstFactor passkey).",
        body: PasskeyReauthenticateRequest,
        response: { 200: ReauthenticateReply, 400: Problem, 401: Problem, 403: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      const submission = request.body.method === undefined ? undefined : { method: request.body.method, code: request.body.code };
      const done = await deps.reauthentication.reauthenticateWithPasskey(actorOf(request), request.body.credential as AuthenticationResponseJSON, submission);
      if (done.renewed !== undefined) {
        setSessionCookie(reply, done.renewed.token, done.renewed.expiresAt, deps.clock.now());
        reply.header(RENEWED_CSRF_HEADER, done.renewed.csrfToken);
      }
      return { reauthenticatedUntil: new Date(done.until).toISOString() };
    },
  );

  typed.post(
    "/api/v1/auth/reauthenticate/push",
    {
      preHandler: requireSession,
      schema: {
        tags: ["auth"],
        summary: "Send a push approval request to confirm it is you (sudo mode)",
        description:
          "For an account with push approval: checks the password (a wrong one counts as at POST /api/v1/auth/reauthenticate), then sends a request bound to this session to the user's other devices (not this browser, which cannot approve its own request: 400 `push_no_other_device` when no other can) and answers the two-digit number to show. Poll …/reauthenticate/push/status; once `approved`, POST /api/v1/auth/reauthenticate with the password and `method: \"push\"`. At most 3 requests not approved (pending, denied, expired) in 10 minutes (429 `push_reauthentication_requests_exhausted`). Audited as user.push_requested (purpose reauthentication).",
        body: ReauthenticatePushRequest,
        response: { 200: PushSignInReply, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request) => {
      const password = Secret.fromUtf8(request.body.password);
      try {
        const sent = await deps.reauthentication.requestPush(actorOf(request), password, request.cookies[DEVICE_COOKIE]);
        return { number: sent.number, expiresAt: new Date(sent.expiresAt).toISOString() };
      } finally {
        password.destroy();
      }
    },
  );

  typed.post(
    "/api/v1/auth/reauthenticate/push/status",
    {
      preHandler: requireSession,
      schema: {
        tags: ["auth"],
        summary: "What became of this session's push request to confirm it is you",
        description: "`approved`: finish with POST /api/v1/auth/reauthenticate and `method: \"push\"`. `denied`: refused on the other device (or a wrong number). `expired`: send a new one.",
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PushSignInStatus, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const found = await deps.reauthentication.pushStatus(actorOf(request));
      return { status: found.status, expiresAt: new Date(found.expiresAt).toISOString() };
    },
  );

  typed.post(
    "/api/v1/auth/reauthenticate",
    {
      preHandler: requireSession,
      schema: {
        tags: ["auth"],
        summary: "Confirm your password (and second factor) again: sudo mode",
        description:
          "For the next WATCHWORD_SUDO_MINUTES (default 10) this session may make sensitive changes, such as adding or removing a second factor; without it those answer 403 `reauthentication_required`. An account with a second factor must send `method` and `code` too; one with a passkey may use it instead of the password (POST /api/v1/auth/reauthenticate/passkey). A browser's session gets a new id in this reply (cookie, and the CSRF token in the X-CSRF-Token header). Audited as user.reauthenticated.",
        body: ReauthenticateRequest,
        response: { 200: ReauthenticateReply, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const password = Secret.fromUtf8(request.body.password);
      const submission = request.body.method === undefined ? undefined : { method: request.body.method, code: request.body.code, credential: request.body.credential };
      try {
        const done = await deps.reauthentication.reauthenticate(actorOf(request), password, submission);
        if (done.renewed !== undefined) {
          setSessionCookie(reply, done.renewed.token, done.renewed.expiresAt, deps.clock.now());
          reply.header(RENEWED_CSRF_HEADER, done.renewed.csrfToken);
        }
        return { reauthenticatedUntil: new Date(done.until).toISOString() };
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
      return sessionInfoOf(session.user, csrfTokenOf(request.sessionToken!), session.expiresAt, session.enrolment);
    },
  );
}
