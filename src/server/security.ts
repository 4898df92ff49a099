// Security headers (strict CSP and friends), no-store on API replies, and cross-site request
// refusal: Fetch Metadata and Origin checks on every state change (ASVS 5.0 3.5, 14.3.2).
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { forbidden, problem } from "../core/errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:", "blob:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

export const isStateChanging = (request: FastifyRequest): boolean => !SAFE_METHODS.has(request.method);

/** Refuses a state-changing request that a browser says came from another site. */
function refuseCrossSite(request: FastifyRequest): void {
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    throw forbidden(problem("cross_site_refused"));
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== "null") {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw forbidden(problem("origin_invalid"));
    }
    if (originHost !== request.host) throw forbidden(problem("cross_site_refused"));
  } else if (origin === "null") {
    throw forbidden(problem("cross_site_refused"));
  }
}

/**
 * Helmet's headers for our options, computed once: @fastify/helmet rebuilt the whole middleware
 * (and re-parsed the CSP) on every request, a tenth of the code endpoint's CPU time. These go on
 * pages and assets, which a browser renders.
 */
function pageHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  })({} as IncomingMessage, collector as unknown as ServerResponse, () => undefined);
  headers["permissions-policy"] = "camera=(self), clipboard-write=(self), geolocation=(), microphone=()";
  return Object.freeze(headers);
}

/**
 * JSON replies are never rendered as a page, so they carry the OWASP REST Security Cheat Sheet's
 * set instead: a CSP that allows nothing, no framing, no sniffing, no caching (they may carry codes
 * or session details, ASVS 5.0 14.3.2). A third of the size of the page set, which matters on an
 * endpoint that scripts call thousands of times a second.
 */
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
  "cross-origin-resource-policy": "same-origin",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
});

/** The API and the health probes answer JSON; everything else (the app, /api/docs) is a page. */
export const isApiPath = (url: string): boolean =>
  url.startsWith("/api/v1/") || url.startsWith("/api/openapi.json") || url.startsWith("/healthz") || url.startsWith("/readyz");

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  const pages = pageHeaders();
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(isApiPath(request.url) ? API_HEADERS : pages);
    reply.header("x-request-id", request.id);
    if (isStateChanging(request)) refuseCrossSite(request);
    done();
  });
}
