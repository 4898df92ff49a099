// The parameters of a one-time-password generator, as every intake path produces them and the
// engine consumes them. The seed travels as a Secret: it prints as [redacted].
import type { ProblemText } from "../problems/catalogue.js";
import type { Secret } from "../secret.js";

export type OtpType = "totp" | "hotp" | "steam";
export type OtpAlgorithm = "SHA1" | "SHA256" | "SHA512";

export interface OtpParameters {
  readonly type: OtpType;
  /** The raw seed bytes (already base32-decoded). */
  readonly secret: Secret;
  /** HMAC algorithm; Steam is always SHA1. */
  readonly algorithm: OtpAlgorithm;
  /** 6 to 10 for TOTP and HOTP; 5 for Steam. */
  readonly digits: number;
  /** Seconds per time step for TOTP and Steam (default 30); ignored for HOTP. */
  readonly period: number;
  /** HOTP: the counter of the next code to hand out; 0 for TOTP and Steam. */
  readonly counter: number;
}

/** A seed as it arrived, with the labels that came with it and anything the person should know. */
export interface OtpIntake {
  readonly otp: OtpParameters;
  readonly issuer: string | undefined;
  readonly account: string | undefined;
  /** What the person should know, e.g. seed_weak: "The secret is 80 bits long, shorter than the 128 bits RFC 4226 requires…". */
  readonly warnings: readonly ProblemText[];
}

/**
 * The largest HOTP counter a code is made for: 2^53 − 1, the largest whole number a JavaScript
 * number (and so every layer between the database and the HMAC) holds exactly. RFC 4226 §5.1's C
 * has 64 bits, but no service counts anywhere near this far: a counter here is a typo or an attack.
 */
export const MAX_HOTP_COUNTER = Number.MAX_SAFE_INTEGER;

export const DEFAULT_PERIOD = 30;
export const DEFAULT_DIGITS = 6;
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;
export const STEAM_DIGITS = 5;
