// Recognises the database errors that mean "away or busy, try again": a lost or refused
// connection, a server shutting down or starting up, a lock or statement time-out, a deadlock.
// The one place that turns them into the domain's `unavailable`. Its sentences name no host,
// connection string, password or SQL; any other error passes through unchanged.
import { problem, unavailable, type WatchwordError } from "../core/errors.js";

export const DATABASE_UNREACHABLE = problem("database_away");
export const DATABASE_BUSY = problem("database_busy");

/**
 * PostgreSQL SQLSTATEs (Appendix A of its manual). Busy ends the statement and leaves the session
 * usable; unreachable has lost the session, as has all of class 08 (connection exception).
 */
const UNREACHABLE_CODES = new Set([
  "53300", // too_many_connections
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown or restart
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, shutting down, in recovery
  "57P05", // idle_session_timeout
  "25P03", // idle_in_transaction_session_timeout
]);
const BUSY_CODES = new Set([
  "55P03", // lock_not_available: lock_timeout
  "57014", // query_canceled: statement_timeout
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);

/** Socket errors of node:net and the resolver, while connecting or on an open connection. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** What pg and pg-pool say, without a SQLSTATE, when a connection ends, cannot be had, or is broken. */
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)/;

/** The `unavailable` error a person should see for this database error, or undefined if it is not a fault. */
export function databaseFaultOf(error: unknown): WatchwordError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (BUSY_CODES.has(code)) return unavailable(DATABASE_BUSY);
    if (UNREACHABLE_CODES.has(code) || SOCKET_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return unavailable(DATABASE_UNREACHABLE);
    }
  }
  if (typeof message === "string" && LOST_CONNECTION.test(message)) return unavailable(DATABASE_UNREACHABLE);
  // pg-pool rejects a failed connect with an AggregateError when every address of a host failed.
  if (error instanceof AggregateError) return error.errors.map(databaseFaultOf).find((fault) => fault !== undefined);
  return undefined;
}

/** Rethrows a database fault as `unavailable`, and anything else as it was. */
export function rethrowAsDomainError(error: unknown): never {
  throw databaseFaultOf(error) ?? error;
}
