// Log options: pino with every secret-bearing field redacted. Request logs carry method, path,
// status and request id; never headers, bodies or query strings that could hold a secret.
import type { FastifyServerOptions } from "fastify";
import type { LogLevel } from "../config.js";

/** Paths pino replaces with "[redacted]" wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "seed",
  "*.seed",
  "csrfToken",
  "*.csrfToken",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-csrf-token']",
  "res.headers['set-cookie']",
];

export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions["logger"] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split("?")[0], id: req.id }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(stream === undefined ? {} : { stream }),
  } as FastifyServerOptions["logger"];
}
