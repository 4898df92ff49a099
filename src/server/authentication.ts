// Finds the caller of a request: a bearer token (a session's for the CLI, a service account's API
// token for scripts) or the session cookie (browsers, which must also send the session's CSRF
// token on every state change). API tokens are accepted only as bearer tokens, and only by the
// routes that ask for a Caller (callerOf, requireCaller); every other route refuses them here.
import "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { forbidden, problem, unauthenticated } from "../core/errors.js";
import type { Clock } from "../core/clock.js";
import type { SessionId } from "../core/ids.js";
import type { Actor, Caller, Channel, RequestOrigin, ServiceAccountActor } from "../services/actor.js";
import { isApiTokenShaped, type ApiTokenAuthenticator } from "../services/api-token-authentication.js";
import { isCsrfTokenValid, type AuthenticatedSession, type SessionService } from "../services/sessions.js";
import type { ReauthenticationService } from "../services/reauthentication.js";
import { isStateChanging } from "./security.js";

export const SESSION_COOKIE = "__Host-ww_session";
/** The browser's device token (device-tokens.ts); sent back only with sign-ins. */
export const DEVICE_COOKIE = "__Host-ww_device";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook when the request carries a valid session. */
    session: AuthenticatedSession | undefined;
    /** The raw session token the request presented (cookie or bearer), for sign-out. */
    sessionToken: string | undefined;
    /** Set by the authentication hook when the request carries a service account's API token. */
    serviceAccount: ServiceAccountActor | undefined;
  }
  interface FastifyContextConfig {
    /** The route checks a credential of its own (the metrics token): the authentication hook leaves it alone. */
    hasOwnCredential?: boolean;
  }
}

export function originOf(request: FastifyRequest, channel?: Channel): RequestOrigin {
  const userAgent = String(request.headers["user-agent"] ?? "").slice(0, 256);
  const isCli = userAgent.startsWith("watchword-cli/");
  return { ip: request.ip, userAgent, channel: channel ?? (isCli ? "cli" : request.headers.authorization ? "api" : "ui") };
}

export const SERVICE_ACCOUNT_REFUSED = problem("service_account_forbidden");

/** The signed-in person behind the request: 401 without a credential, 403 for a service account's token. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.serviceAccount !== undefined) throw forbidden(SERVICE_ACCOUNT_REFUSED);
  const session = request.session;
  if (session === undefined) throw unauthenticated(problem("sign_in_required"));
  return {
    kind: "user",
    userId: session.user.id,
    username: session.user.username,
    displayName: session.user.displayName,
    role: session.user.role,
    groupIds: session.groupIds,
    sessionId: session.sessionId as SessionId,
    origin: originOf(request),
  };
}

/** A person or a service account: only for the routes scripts may call (codes, reveal-next, the entry list). */
export function callerOf(request: FastifyRequest): Caller {
  return request.serviceAccount ?? actorOf(request);
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number, now: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    secure: true,
    sameSite: "strict",
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

export function setDeviceCookie(reply: FastifyReply, token: string, expiresAt: number, now: number): void {
  reply.setCookie(DEVICE_COOKIE, token, {
    path: "/",
    httpOnly: true,
    secure: true,
    sameSite: "strict",
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, secure: true, sameSite: "strict" });
}

/** The header that hands a browser its new CSRF token when its session id was renewed (the client keeps it). */
export const RENEWED_CSRF_HEADER = "x-csrf-token";

export function registerAuthentication(app: FastifyInstance, sessions: SessionService, apiTokens: ApiTokenAuthenticator, clock: Clock): void {
  app.decorateRequest("session", undefined);
  app.decorateRequest("sessionToken", undefined);
  app.decorateRequest("serviceAccount", undefined);

  async function authenticate(request: FastifyRequest, reply: FastifyReply, header: string | undefined, cookie: string | undefined): Promise<void> {
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match?.[1] === undefined) throw unauthenticated(problem("authorization_header_invalid"));
      if (isApiTokenShaped(match[1])) {
        const serviceAccount = await apiTokens.authenticate(match[1], originOf(request));
        if (serviceAccount === undefined) throw unauthenticated(problem("token_invalid"));
        request.serviceAccount = serviceAccount;
        return;
      }
      const session = await sessions.authenticate(match[1]);
      if (session === undefined) throw unauthenticated(problem("token_invalid"));
      request.session = session;
      request.sessionToken = match[1];
      return;
    }
    if (cookie === undefined) return;
    const session = await sessions.authenticate(cookie);
    if (session === undefined) {
      clearSessionCookie(reply);
      return;
    }
    if (isStateChanging(request) && !isCsrfTokenValid(cookie, headerValue(request.headers["x-csrf-token"]))) {
      throw forbidden(problem("csrf_token_missing"));
    }
    request.session = session;
    request.sessionToken = cookie;
    if (session.renewed !== undefined) {
      // A privilege changed since this id was issued: the browser gets the new one with this reply.
      setSessionCookie(reply, session.renewed.token, session.expiresAt, clock.now());
      reply.header(RENEWED_CSRF_HEADER, session.renewed.csrfToken);
      request.sessionToken = session.renewed.token;
    }
  }

  // A callback hook, not an async one: a request without a credential (a health probe, the web
  // app's files) costs one header check, not a promise.
  app.addHook("preHandler", (request, reply, done) => {
    // A route that checks a credential of its own (the metrics token) is not a session's or a service account's.
    if (request.routeOptions.config.hasOwnCredential === true) return done();
    const header = request.headers.authorization;
    const cookie = header === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    if (header === undefined && cookie === undefined) return done();
    authenticate(request, reply, header, cookie).then(() => done(), done);
  });
}

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A preHandler for routes that need a signed-in person: a service account's token is refused (a callback hook: no promise per request). */
export function requireSession(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (request.serviceAccount !== undefined) return done(forbidden(SERVICE_ACCOUNT_REFUSED));
  done(request.session === undefined ? unauthenticated(problem("sign_in_required")) : undefined);
}

/** What a sensitive route's description says about sudo mode (OpenAPI). */
export const SUDO_NOTE = "Needs sudo mode (POST /api/v1/auth/reauthenticate, or a sign-in, within WATCHWORD_SUDO_MINUTES): 403 `reauthentication_required` otherwise.";

/**
 * The preHandlers of a sensitive change (ASVS 5.0 7.5): a signed-in person whose session proved
 * its password (and second factor) within the sudo window. A service account's token, where a
 * route accepts one, has no password to prove: its scope is what limits it.
 */
export function requireSudo(reauthentication: Pick<ReauthenticationService, "requireRecent">, who: "person" | "caller" = "person") {
  const sudo = async (request: FastifyRequest): Promise<void> => {
    if (request.serviceAccount === undefined) await reauthentication.requireRecent(actorOf(request));
  };
  return [who === "person" ? requireSession : requireCaller, sudo];
}

/** A preHandler for the routes scripts may call: a signed-in person or a service account's token. */
export function requireCaller(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  done(request.session === undefined && request.serviceAccount === undefined ? unauthenticated(problem("sign_in_required")) : undefined);
}
