// The server's log: pino with every secret-bearing field redacted, written without blocking the
// event loop, and one line per request (method, path without its query, status, duration, request
// id) — never headers, bodies or query strings, which could hold a secret.
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import pino, { type DestinationStream } from "pino";
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

/** Where log lines go, and how to write out every line still waiting in the process. */
export interface LogOutput {
  readonly stream: DestinationStream;
  flush(): void;
}

/**
 * Standard output through sonic-boom with `sync: false`, instead of a blocking write(2) per line
 * on the event loop, where a pipe that its reader empties slowly (journald, a terminal) would
 * stall every request. Lines are gathered up to 4 KB (or 250 ms, so a quiet server's lines still
 * appear at once to a person) and written in the background: a write per line would hand libuv's
 * thread pool, where the WAL's fdatasync also waits, a task per request. What made the log
 * expensive was two lines per request and redaction on each, see RequestLogController.
 * pino writes out what is left when the process exits; flush() does the same for a graceful stop.
 */
export function standardOutputLog(): LogOutput {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
  return {
    stream: destination,
    flush() {
      // Not after the stream was ended or broke (EPIPE): there is nowhere to write.
      if (!(destination as { destroyed?: boolean }).destroyed) destination.flushSync();
    },
  };
}

/** A stream the caller owns (tests capture lines there): nothing waits in the process. */
export const streamLog = (stream: DestinationStream): LogOutput => ({ stream, flush: () => undefined });

function loggerOptions(level: LogLevel, stream: DestinationStream): FastifyServerOptions["logger"] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split("?")[0], id: req.id }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    stream,
  } as FastifyServerOptions["logger"];
}

/** Probes a load balancer or orchestrator polls every few seconds: logged at debug when they succeed. */
const PROBE_PATHS = new Set(["/healthz", "/readyz"]);

const LEVEL_RANKS: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

const pathOf = (url: string): string => url.split("?")[0] ?? "";

/**
 * Fastify's request lines, one per request once it is answered instead of two (on arrival and on
 * completion); at debug level a line on arrival too, to see requests that never finish.
 *
 * The line holds only the method, the path without its query, the status, the duration and the
 * request id, none of them a redacted field, so it is written by a logger without redaction on
 * the same destination: pino's wildcard redaction cost as much per line as writing it.
 */
class RequestLogController extends LogController {
  readonly #lines: pino.Logger;
  readonly #isArrivalLogged: boolean;
  readonly #isCompletionLogged: boolean;

  constructor(level: LogLevel, stream: DestinationStream) {
    super();
    this.#lines = pino({ level }, stream);
    this.#isArrivalLogged = LEVEL_RANKS[level] <= LEVEL_RANKS.debug;
    this.#isCompletionLogged = LEVEL_RANKS[level] <= LEVEL_RANKS.info;
  }

  override incomingRequest(request: FastifyRequest): void {
    if (this.#isArrivalLogged) this.#lines.debug({ reqId: request.id, method: request.method, path: pathOf(request.url) }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error !== null && error !== undefined) {
      // An error may carry anything: it goes through the redacting logger.
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, "request errored");
      return;
    }
    if (!this.#isCompletionLogged) return;
    const path = pathOf(request.url);
    const line = { reqId: request.id, method: request.method, path, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 };
    if (reply.statusCode < 400 && PROBE_PATHS.has(path)) this.#lines.debug(line, "request");
    else this.#lines.info(line, "request");
  }
}

/** Fastify's logger and request-line options for a level and a destination. */
export function logOptions(level: LogLevel, stream: DestinationStream): Pick<FastifyServerOptions, "logger" | "logController"> {
  return { logger: loggerOptions(level, stream), logController: new RequestLogController(level, stream) };
}
