// The one set of rules an OtpParameters must satisfy, whoever built it: the otpauth:// and
// setup-key parsers, an import format, or a row read back as JSON. Checks run-time types too,
// since JSON does not respect TypeScript's. Messages name the field, never the seed.
import { invalidInput, problem, type ProblemText } from "../errors.js";
import { Secret } from "../secret.js";
import { MAX_DIGITS, MAX_HOTP_COUNTER, MIN_DIGITS, STEAM_DIGITS, type OtpAlgorithm, type OtpParameters, type OtpType } from "./types.js";

export const OTP_TYPES: readonly OtpType[] = ["totp", "hotp", "steam"];
export const OTP_ALGORITHMS: readonly OtpAlgorithm[] = ["SHA1", "SHA256", "SHA512"];
/** A day: no service uses a longer time step, and a longer one is almost certainly a typo. */
export const MAX_PERIOD = 86_400;
/** Far beyond any real seed (SHA-512's block is 128 bytes); bounds what one entry can hold. */
export const MAX_SECRET_BYTES = 1024;
/** RFC 4226 §4 (R6): "The length of the shared secret MUST be at least 128 bits." */
export const MIN_RECOMMENDED_SECRET_BYTES = 16;

/**
 * Returns a frozen copy holding exactly the six fields of OtpParameters, or throws
 * invalid_input naming the first field that breaks a rule:
 * - type: totp, hotp or steam;
 * - algorithm: SHA1, SHA256 or SHA512, and SHA1 for Steam;
 * - digits: 6 to 10 for TOTP and HOTP (RFC 4226 §5.3 asks for at least 6), exactly 5 for Steam;
 * - period: whole seconds from 1 to 86,400 (RFC 6238 §4.1's X), checked for every type so a
 *   stored row is always sane, though HOTP ignores it;
 * - counter: a whole number from 0 to 2^53 − 1 for HOTP (RFC 4226 §5.1's C, limited to what a
 *   JavaScript number holds exactly), and 0 for TOTP and Steam;
 * - secret: a Secret of 1 to 1,024 bytes.
 */
export function validateOtpParameters(otp: OtpParameters): OtpParameters {
  if (typeof otp !== "object" || otp === null) throw invalidInput(problem("otp_parameters_not_object"), "otp");
  const { type, algorithm, digits, period, counter, secret } = otp as Partial<Record<keyof OtpParameters, unknown>>;

  if (!OTP_TYPES.includes(type as OtpType)) {
    throw invalidInput(problem("otp_type_invalid", { value: describeValue(type) }), "type");
  }
  if (!OTP_ALGORITHMS.includes(algorithm as OtpAlgorithm)) {
    throw invalidInput(problem("otp_algorithm_invalid", { value: describeValue(algorithm) }), "algorithm");
  }
  if (type === "steam" && algorithm !== "SHA1") {
    throw invalidInput(problem("otp_steam_algorithm", { value: String(algorithm) }), "algorithm");
  }

  if (type === "steam") {
    if (digits !== STEAM_DIGITS) {
      throw invalidInput(problem("otp_steam_digits", { value: describeValue(digits), expected: STEAM_DIGITS }), "digits");
    }
  } else if (!isWholeNumberBetween(digits, MIN_DIGITS, MAX_DIGITS)) {
    const params = { value: describeValue(digits), min: MIN_DIGITS, max: MAX_DIGITS };
    throw invalidInput(problem(digits === STEAM_DIGITS ? "otp_digits_steam_hint" : "otp_digits_invalid", params), "digits");
  }

  if (!isWholeNumberBetween(period, 1, MAX_PERIOD)) {
    throw invalidInput(problem("otp_period_invalid", { value: describeValue(period), max: MAX_PERIOD }), "period");
  }

  if (type === "hotp") {
    if (!isWholeNumberBetween(counter, 0, MAX_HOTP_COUNTER)) {
      throw invalidInput(problem("otp_counter_invalid", { value: describeValue(counter), max: MAX_HOTP_COUNTER }), "counter");
    }
  } else if (counter !== 0) {
    throw invalidInput(problem("otp_counter_not_hotp", { value: describeValue(counter), type: String(type) }), "counter");
  }

  if (!(secret instanceof Secret)) throw invalidInput(problem("otp_secret_missing"), "secret");
  if (secret.length === 0) throw invalidInput(problem("otp_secret_empty"), "secret");
  if (secret.length > MAX_SECRET_BYTES) {
    throw invalidInput(problem("otp_secret_too_long", { length: secret.length, max: MAX_SECRET_BYTES }), "secret");
  }

  return Object.freeze({ type: type as OtpType, secret, algorithm: algorithm as OtpAlgorithm, digits: digits as number, period: period as number, counter: counter as number });
}

/** What the person adding a seed that is valid but questionable should know. */
export function listOtpWarnings(otp: OtpParameters): ProblemText[] {
  const warnings: ProblemText[] = [];
  if (otp.secret.length < MIN_RECOMMENDED_SECRET_BYTES) warnings.push(problem("seed_weak", { bits: otp.secret.length * 8 }));
  return warnings;
}

function isWholeNumberBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** A value for a message: numbers and short plain words as they are, anything else by its kind. */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "not a finite number";
  if (typeof value === "string") {
    if (value === "") return "empty";
    if (value.length <= 12 && /^[\p{L}\p{N} ._-]+$/u.test(value)) return `'${value}'`;
    return "not recognised";
  }
  if (value === undefined || value === null) return "missing";
  return `a ${typeof value}`;
}
