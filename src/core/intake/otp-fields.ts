// Turns the loosely written OTP fields of an export item ("TOTP", "sha256", "HMAC-SHA-512",
// digits as text) into OtpParameters checked by the one rule set in otp/validate.ts.
// Messages name the field at fault, never the seed.
import { invalidInput, problem, type ProblemText } from "../errors.js";
import { decodeBase32Text } from "../otp/base32.js";
import { DEFAULT_DIGITS, DEFAULT_PERIOD, STEAM_DIGITS, type OtpAlgorithm, type OtpParameters, type OtpType } from "../otp/types.js";
import { describeValue, listOtpWarnings, validateOtpParameters } from "../otp/validate.js";
import { Secret } from "../secret.js";

export interface LooseOtpFields {
  /** totp, hotp or steam in any case; TOTP when absent. */
  readonly type?: string | undefined;
  readonly secret: Uint8Array;
  /** SHA1, SHA256 or SHA512 in any case, with or without "HMAC-" and dashes; SHA1 when absent. */
  readonly algorithm?: string | undefined;
  readonly digits?: number | undefined;
  readonly period?: number | undefined;
  readonly counter?: number | undefined;
}

export interface BuiltOtp {
  readonly otp: OtpParameters;
  readonly warnings: readonly ProblemText[];
}

export function buildOtp(fields: LooseOtpFields): BuiltOtp {
  const type = normaliseType(fields.type);
  const algorithm = type === "steam" ? "SHA1" : normaliseAlgorithm(fields.algorithm);
  const otp = validateOtpParameters({
    type,
    secret: Secret.fromBytes(fields.secret),
    algorithm,
    // Steam Guard codes are always 5 characters from SHA1, whatever an export writes beside them.
    digits: type === "steam" ? STEAM_DIGITS : (fields.digits ?? DEFAULT_DIGITS),
    // HOTP ignores the period; the default keeps every stored row alike.
    period: type === "hotp" ? DEFAULT_PERIOD : (fields.period ?? DEFAULT_PERIOD),
    counter: type === "hotp" ? (fields.counter ?? 0) : 0,
  });
  return { otp, warnings: listOtpWarnings(otp) };
}

/**
 * buildOtp for a secret the parser decoded into a buffer of its own, which is zeroed once the
 * parameters hold their copy or were refused; the warnings from reading the secret come first.
 */
export function buildOtpAndZeroSecret(fields: LooseOtpFields, secretWarnings: readonly ProblemText[] = []): BuiltOtp {
  try {
    const built = buildOtp(fields);
    return { otp: built.otp, warnings: [...secretWarnings, ...built.warnings] };
  } finally {
    fields.secret.fill(0);
  }
}

/** A base32 secret as exports write it, with a warning when its last character is incomplete. */
export function readBase32Secret(text: string | undefined): { secret: Buffer; warnings: ProblemText[] } {
  if (text === undefined) throw invalidInput(problem("import_secret_missing"), "secret");
  const decoded = decodeBase32Text(text, "secret");
  const warnings = decoded.hasDanglingCharacter ? [problem("seed_dangling_character")] : [];
  return { secret: decoded.bytes, warnings };
}

function normaliseType(value: string | undefined): OtpType {
  if (value === undefined) return "totp";
  const type = value.trim().toLowerCase();
  if (type === "totp" || type === "hotp" || type === "steam") return type;
  throw invalidInput(problem("import_otp_type_unsupported", { value: describeValue(value) }), "type");
}

function normaliseAlgorithm(value: string | undefined): OtpAlgorithm {
  if (value === undefined) return "SHA1";
  const algorithm = value.trim().toUpperCase().replace(/^HMAC-?/u, "").replaceAll("-", "");
  if (algorithm === "SHA1" || algorithm === "SHA256" || algorithm === "SHA512") return algorithm;
  throw invalidInput(problem("import_algorithm_unsupported", { value: describeValue(value) }), "algorithm");
}
