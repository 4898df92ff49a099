// The one family of domain errors. Core and services throw these; server/ maps them to
// application/problem+json and cli/ to one stderr line, each in exactly one place.
// A message is a sentence for the person who reads it and never contains a secret. Given as a
// ProblemText (a key of problems/catalogue.ts and its parameters), it is also translatable: the
// error then carries the key and parameters, and its message is the English sentence.
import type { ImportProblem } from "./intake/import-collector.js";
import { renderProblem, type ProblemKey, type ProblemParams, type ProblemText } from "./problems/catalogue.js";

export { problem, type ProblemKey, type ProblemParams, type ProblemText } from "./problems/catalogue.js";

export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_many_requests"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unavailable"
  | "sealed"
  | "internal";

export interface ErrorDetails {
  /** The request field the error is about, e.g. "password" or "body.username". */
  readonly field?: string;
  /** Seconds a client should wait before trying again (too_many_requests). */
  readonly retryAfterSeconds?: number;
  /**
   * Stored data failed its integrity check (a ciphertext altered, cut short or naming a key the
   * vault does not hold): not the caller's fault, and trying again will not help.
   */
  readonly isDamagedData?: boolean;
  /**
   * The rows of an upload that say why nothing in it can be imported, each by key, so the reader
   * is told in their language; the sentence itself only counts them.
   */
  readonly rows?: readonly ImportProblem[];
}

/** A plain English sentence (not yet in the catalogue, so not translatable), or a catalogued problem. */
export type ErrorMessage = string | ProblemText;

export class WatchwordError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /** The catalogue key, when the message came from the catalogue. */
  readonly key: ProblemKey | undefined;
  readonly params: ProblemParams;

  constructor(code: ErrorCode, message: ErrorMessage, details: ErrorDetails = {}) {
    super(typeof message === "string" ? message : renderProblem(message));
    this.name = "WatchwordError";
    this.code = code;
    this.details = details;
    this.key = typeof message === "string" ? undefined : message.key;
    this.params = typeof message === "string" ? {} : message.params;
  }

  /** The key and parameters, when there are any. */
  get problemText(): ProblemText | undefined {
    return this.key === undefined ? undefined : { key: this.key, params: this.params };
  }
}

export const invalidInput = (message: ErrorMessage, field?: string): WatchwordError =>
  new WatchwordError("invalid_input", message, field === undefined ? {} : { field });
export const unauthenticated = (message: ErrorMessage): WatchwordError => new WatchwordError("unauthenticated", message);
export const forbidden = (message: ErrorMessage): WatchwordError => new WatchwordError("forbidden", message);
export const notFound = (message: ErrorMessage): WatchwordError => new WatchwordError("not_found", message);
export const conflict = (message: ErrorMessage, field?: string): WatchwordError =>
  new WatchwordError("conflict", message, field === undefined ? {} : { field });
/** The upload's type (judged by its content) is not one this request takes. */
export const unsupportedMediaType = (message: ErrorMessage, field?: string): WatchwordError =>
  new WatchwordError("unsupported_media_type", message, field === undefined ? {} : { field });
export const tooManyRequests = (message: ErrorMessage, retryAfterSeconds: number): WatchwordError =>
  new WatchwordError("too_many_requests", message, { retryAfterSeconds });
export const unavailable = (message: ErrorMessage): WatchwordError => new WatchwordError("unavailable", message);
export const sealed = (message: ErrorMessage): WatchwordError => new WatchwordError("sealed", message);
export const internal = (message: ErrorMessage): WatchwordError => new WatchwordError("internal", message);

export const isWatchwordError = (value: unknown): value is WatchwordError => value instanceof WatchwordError;
