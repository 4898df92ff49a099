// The one family of domain errors. Core and services throw these; server/ maps them to
// application/problem+json and cli/ to one stderr line, each in exactly one place.
// A message is a sentence for the person who reads it and never contains a secret.

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
}

export class WatchwordError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = "WatchwordError";
    this.code = code;
    this.details = details;
  }
}

export const invalidInput = (message: string, field?: string): WatchwordError =>
  new WatchwordError("invalid_input", message, field === undefined ? {} : { field });
export const unauthenticated = (message: string): WatchwordError => new WatchwordError("unauthenticated", message);
export const forbidden = (message: string): WatchwordError => new WatchwordError("forbidden", message);
export const notFound = (message: string): WatchwordError => new WatchwordError("not_found", message);
export const conflict = (message: string, field?: string): WatchwordError =>
  new WatchwordError("conflict", message, field === undefined ? {} : { field });
/** The upload's type (judged by its content) is not one this request takes. */
export const unsupportedMediaType = (message: string, field?: string): WatchwordError =>
  new WatchwordError("unsupported_media_type", message, field === undefined ? {} : { field });
export const tooManyRequests = (message: string, retryAfterSeconds: number): WatchwordError =>
  new WatchwordError("too_many_requests", message, { retryAfterSeconds });
export const unavailable = (message: string): WatchwordError => new WatchwordError("unavailable", message);
export const sealed = (message: string): WatchwordError => new WatchwordError("sealed", message);

export const isWatchwordError = (value: unknown): value is WatchwordError => value instanceof WatchwordError;
