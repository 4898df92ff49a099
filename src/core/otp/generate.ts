// Computes one-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard's 5-character variant.
// Pure and synchronous: time and counter come in as arguments. Expects parameters that passed
// validateOtpParameters; checks only what is cheap and would otherwise give a wrong code.
import { createHmac } from "node:crypto";
import { invalidInput, problem } from "../errors.js";
import { MAX_DIGITS, MAX_HOTP_COUNTER, MIN_DIGITS, type OtpAlgorithm, type OtpParameters } from "./types.js";

export interface TotpCode {
  readonly code: string;
  /** RFC 6238 §4.2's T: floor(unix seconds / period). */
  readonly step: number;
  /** First millisecond (Unix epoch) at which the code is current. */
  readonly validFrom: number;
  /** First millisecond at which the next code takes over (exclusive end of this one). */
  readonly validUntil: number;
}

export interface HotpCode {
  readonly code: string;
  /** The counter the code was computed from. */
  readonly counter: number;
}

export type OtpCode = ({ readonly type: "totp" | "steam" } & TotpCode) | ({ readonly type: "hotp" } & HotpCode);

export interface CodeMoment {
  /** Milliseconds since the Unix epoch; used by TOTP and Steam. */
  readonly timeMs: number;
  /** HOTP only: the counter to use instead of the one in the parameters. */
  readonly counter?: number;
}

const HMAC_NAMES: Readonly<Record<OtpAlgorithm, string>> = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" };
/** 10^digits for 0 to 10 digits; undefined past that, which the callers refuse. */
const MODULI = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
/** Steam Guard's alphabet: digits and consonants, without look-alikes (0, 1, A, E, I, L, O, S, U, Z). */
const STEAM_ALPHABET = "23456789BCDFGHJKMNPQRTVWXY";
const STEAM_CHARACTERS = 5;
const TWO_TO_32 = 0x1_0000_0000;

// Reused for every code so the hot path allocates only what createHmac itself does. Safe
// because generation is synchronous: nothing else runs between the write and the update().
const counterBytes = Buffer.alloc(8);

/**
 * RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation to a 31-bit number.
 * The counter is a whole number from 0 to 2^53 − 1; the caller has checked it.
 */
function truncatedHmac(algorithm: OtpAlgorithm, key: Buffer, counter: number): number {
  // Byte stores rather than writeUInt32BE, whose argument checks cost more than the stores.
  const high = Math.floor(counter / TWO_TO_32);
  const low = counter >>> 0;
  counterBytes[0] = high >>> 24;
  counterBytes[1] = high >>> 16;
  counterBytes[2] = high >>> 8;
  counterBytes[3] = high;
  counterBytes[4] = low >>> 24;
  counterBytes[5] = low >>> 16;
  counterBytes[6] = low >>> 8;
  counterBytes[7] = low;
  const digest = createHmac(HMAC_NAMES[algorithm], key).update(counterBytes).digest();
  // §5.3: the offset is the low 4 bits of the last byte (byte 19 for SHA-1; RFC 6238's
  // Appendix A takes it from the last byte of SHA-256 and SHA-512 digests too), then 31 bits.
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  return (
    (((digest[offset] as number) & 0x7f) << 24) |
    ((digest[offset + 1] as number) << 16) |
    ((digest[offset + 2] as number) << 8) |
    (digest[offset + 3] as number)
  );
}

/** RFC 4226 §5.3 step 3: the 31-bit value modulo 10^digits, zero-padded. */
function formatDigits(value: number, digits: number): string {
  const modulus = MODULI[digits];
  if (modulus === undefined || digits < MIN_DIGITS) {
    throw invalidInput(problem("otp_digits_invalid", { value: digits, min: MIN_DIGITS, max: MAX_DIGITS }), "digits");
  }
  // For 10 digits the modulus exceeds 2^31, so the value passes through whole and is padded.
  return String(value % modulus).padStart(digits, "0");
}

/** Steam Guard: the same 31-bit value written as 5 base-26 characters, least significant first. */
function formatSteam(value: number): string {
  let code = "";
  for (let i = 0; i < STEAM_CHARACTERS; i++) {
    code += STEAM_ALPHABET[value % 26];
    value = Math.floor(value / 26);
  }
  return code;
}

function checkCounter(counter: number): void {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_HOTP_COUNTER) {
    throw invalidInput(problem("otp_counter_invalid", { value: counter, max: MAX_HOTP_COUNTER }), "counter");
  }
}

/**
 * The HOTP code for `counter` (RFC 4226 §5.3). Also accepts TOTP parameters (a TOTP code is the
 * HOTP code of its time step), but not Steam's, whose codes exist only per time step.
 */
export function generateHotp(otp: OtpParameters, counter: number): string {
  if (otp.type === "steam") throw invalidInput(problem("otp_steam_not_counted"), "type");
  checkCounter(counter);
  return formatDigits(truncatedHmac(otp.algorithm, otp.secret.reveal(), counter), otp.digits);
}

/** The TOTP (or Steam) code current at `timeMs`, with the step it belongs to and when it is valid. */
export function generateTotp(otp: OtpParameters, timeMs: number): TotpCode {
  if (otp.type === "hotp") throw invalidInput(problem("otp_hotp_not_timed"), "type");
  if (!(timeMs >= 0 && timeMs <= Number.MAX_SAFE_INTEGER)) {
    throw invalidInput(problem("otp_time_invalid"), "timeMs");
  }
  const periodMs = otp.period * 1000;
  if (!(periodMs >= 1000) || !Number.isInteger(otp.period)) {
    throw invalidInput(problem("otp_period_not_whole", { value: otp.period }), "period");
  }
  // RFC 6238 §4.2: T = floor((now − T0) / X) with T0 = 0. Subtracting the remainder first keeps
  // the division exact for every safe integer, where a floating quotient could round up.
  const ms = Math.floor(timeMs);
  const step = (ms - (ms % periodMs)) / periodMs;
  const value = truncatedHmac(otp.algorithm, otp.secret.reveal(), step);
  const validFrom = step * periodMs;
  return {
    code: otp.type === "steam" ? formatSteam(value) : formatDigits(value, otp.digits),
    step,
    validFrom,
    validUntil: validFrom + periodMs,
  };
}

/**
 * The code for a seed of any type: TOTP and Steam at `at.timeMs`; HOTP at `at.counter`, or the
 * parameters' own counter when none is given. Advancing a HOTP counter is the caller's job
 * (in the same transaction as the audit event, per the security model).
 */
export function generateCode(otp: OtpParameters, at: CodeMoment): OtpCode {
  if (otp.type === "hotp") {
    const counter = at.counter ?? otp.counter;
    return { type: "hotp", code: generateHotp(otp, counter), counter };
  }
  return { type: otp.type, ...generateTotp(otp, at.timeMs) };
}
