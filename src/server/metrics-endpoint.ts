// Where a scraper reads /metrics: on a listener of its own (WATCHWORD_METRICS_LISTEN), or on the
// main listener behind a bearer token (WATCHWORD_METRICS_TOKEN), compared in constant time.
// Scrapes are not audited (one every few seconds would flood the chain); refusals are logged.
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { FastifyInstance } from "fastify";
import { problem, type ProblemText } from "../core/errors.js";
import { problemType, renderProblem, STATUS_OF_ERROR, TITLE_OF_ERROR } from "../contract/problem.js";
import type { Metrics } from "./metrics.js";
import { sendProblem } from "./problems.js";

export const METRICS_PATH = "/metrics";
const METHOD = /^[A-Z]{1,10}$/;

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** Whether the Authorization header carries `token`; hashing first makes both sides one length, so the comparison takes the same time whatever was sent. */
export function carriesMetricsToken(header: string | string[] | undefined, token: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^Bearer[ \t]+(\S{1,1024})[ \t]*$/i.exec(value);
  const sent = match?.[1] ?? "";
  return timingSafeEqual(digest(sent), digest(token)) && match !== null;
}

/** GET /metrics on the main listener, answered only to the bearer of the token. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string): void {
  app.get(METRICS_PATH, { config: { hasOwnCredential: true }, schema: { hide: true } }, async (request, reply) => {
    if (!carriesMetricsToken(request.headers.authorization, token)) {
      request.log.warn({ route: METRICS_PATH }, "metrics scrape refused: missing or wrong token");
      reply.header("www-authenticate", 'Bearer realm="watchword-metrics"');
      return sendProblem(reply, request, "unauthenticated", problem("metrics_token_invalid"));
    }
    const text = await metrics.scrape();
    return reply.type(metrics.contentType).header("cache-control", "no-store").send(text);
  });
}

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464/metrics */
  readonly url: string;
  close(): Promise<void>;
}

/** A problem+json reply in the shape server/problems.ts gives, for the listener that has no Fastify. */
function sendPlainProblem(response: http.ServerResponse, code: "unauthenticated" | "not_found", text: ProblemText): void {
  const status = STATUS_OF_ERROR[code];
  const body = { type: problemType(code), title: TITLE_OF_ERROR[code], status, detail: renderProblem(text), code, key: text.key, params: text.params };
  response.writeHead(status, {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    ...(code === "unauthenticated" ? { "www-authenticate": 'Bearer realm="watchword-metrics"' } : {}),
  });
  response.end(JSON.stringify(body));
}

/** A small HTTP listener that serves GET /metrics only (and asks for the token when one is set). */
export async function startMetricsListener(
  metrics: Metrics,
  address: { readonly host: string; readonly port: number },
  token: string | undefined,
  warn: (message: string) => void,
): Promise<MetricsListener> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== METRICS_PATH || (request.method !== "GET" && request.method !== "HEAD")) {
      // The path is not repeated: it is whatever the caller sent.
      return sendPlainProblem(response, "not_found", problem("route_not_found", { method: METHOD.test(request.method ?? "") ? request.method! : "?", path: "(this path)" }));
    }
    if (token !== undefined && !carriesMetricsToken(request.headers.authorization, token)) {
      warn("metrics scrape refused: missing or wrong token");
      return sendPlainProblem(response, "unauthenticated", problem("metrics_token_invalid"));
    }
    metrics.scrape().then(
      (text) => {
        response.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
        response.end(request.method === "HEAD" ? undefined : text);
      },
      () => {
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end("metrics could not be collected\n");
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : address.port;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
