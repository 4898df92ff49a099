// Single sign-on through an OpenID Connect provider: the sign-in page asks whether it is set up;
// the button navigates to /start, which sends the browser to the provider; the provider sends it
// back to /callback, which starts a session as password sign-in does. Both are browser
// navigations: they answer with redirects, a refusal as /sign-in?sso_problem=<key>.
import type { FastifyInstance, FastifyReply } from "fastify";
import { SsoInfo, SSO_PROBLEM_PARAM } from "../../contract/sso.js";
import { Problem } from "../../contract/problem.js";
import { isWatchwordError, notFound, problem } from "../../core/errors.js";
import { SSO_FLOW_COOKIE, SSO_FLOW_TTL_MS, type SsoService } from "../../services/sso.js";
import { originOf } from "../authentication.js";
import { startSession, type AuthRouteDeps } from "./auth.js";

export interface SsoRouteDeps extends Pick<AuthRouteDeps, "sessions" | "devices" | "clock"> {
  /** Undefined when single sign-on is not configured. */
  readonly sso: SsoService | undefined;
}

/** Longest callback query read: providers send a code, a state and an issuer, far below this. */
const MAX_CALLBACK_QUERY = 8192;

/** A path inside the web app to land on, or "/": never another origin ("//host", "/\host") nor the API. */
export function landingPathOf(raw: unknown): string {
  if (typeof raw !== "string" || raw.length > 500 || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || [...raw].some((c) => c < " " || c === "\\")) return "/";
  return raw.startsWith("/api/") ? "/" : raw;
}

/** The sign-in page naming the problem by key, its parameters as p_<name> (a provider's error code, say). */
function signInPageWith(key: string, params: Readonly<Record<string, string | number>>): string {
  const query = new URLSearchParams({ [SSO_PROBLEM_PARAM]: key });
  for (const [name, value] of Object.entries(params)) query.set(`p_${name}`, String(value));
  return `/sign-in?${query.toString()}`;
}

const flowCookie = { path: "/", httpOnly: true, secure: true, sameSite: "lax" } as const;

export function registerSsoRoutes(app: FastifyInstance, deps: SsoRouteDeps): void {
  const { sso } = deps;

  app.get(
    "/api/v1/auth/sso",
    { schema: { tags: ["auth"], summary: "Whether single sign-on is set up, and its button's label", response: { 200: SsoInfo } } },
    async (): Promise<SsoInfo> => (sso === undefined ? { configured: false } : { configured: true, label: sso.label }),
  );

  /** Refusals end on the sign-in page, which says the key in the reader's language. */
  const toSignInPage = (reply: FastifyReply, error: unknown): FastifyReply => {
    if (isWatchwordError(error) && error.key?.startsWith("sso_") === true) return reply.redirect(signInPageWith(error.key, error.params), 303);
    throw error;
  };

  // Navigations, not API calls: left out of the OpenAPI document (they answer with redirects only).
  app.get<{ Querystring: { next?: string } }>("/api/v1/auth/sso/start", { schema: { hide: true } }, async (request, reply) => {
    if (sso === undefined) throw notFound(problem("sso_not_configured"));
    try {
      const started = await sso.begin(landingPathOf(request.query.next));
      reply.setCookie(SSO_FLOW_COOKIE, started.flowToken, { ...flowCookie, maxAge: SSO_FLOW_TTL_MS / 1000 });
      return reply.redirect(started.authorizationUrl, 303);
    } catch (error) {
      return toSignInPage(reply, error);
    }
  });

  app.get("/api/v1/auth/sso/callback", { schema: { hide: true, response: { 404: Problem } } }, async (request, reply) => {
    if (sso === undefined) throw notFound(problem("sso_not_configured"));
    const flowToken = request.cookies[SSO_FLOW_COOKIE];
    reply.clearCookie(SSO_FLOW_COOKIE, flowCookie);
    const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "";
    try {
      // An oversized query is read as an empty one: its state cannot match, and that refusal is audited.
      const { user, nextPath } = await sso.finish(flowToken, new URLSearchParams(query.length > MAX_CALLBACK_QUERY ? "" : query), originOf(request));
      await startSession(deps, request, reply, user, "browser");
      return reply.redirect(nextPath, 303);
    } catch (error) {
      return toSignInPage(reply, error);
    }
  });
}
