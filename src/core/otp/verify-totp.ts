// Checks a code a person typed against their own TOTP factor. Pure: time and the last accepted
// step come in. The code is normalised once, and that one value is what both the replay check and
// the constant-time comparison see (CVE-2025-6014: two checks that trimmed differently).
import { timingSafeEqual } from "node:crypto";
import { invalidInput, problem } from "../errors.js";
import { generateTotp } from "./generate.js";
import type { OtpParameters } from "./types.js";

/** RFC 6238 §5.2: one step of drift either way, no more. */
export const TOTP_DRIFT_STEPS = 1;
/** Longer input is refused before any work: no code needs it. */
const MAX_CODE_INPUT = 32;

export type TotpCheck =
  | { readonly outcome: "accepted"; readonly step: number }
  /** The code is right for a step that was already accepted (or an older one): a replay. */
  | { readonly outcome: "replayed"; readonly step: number }
  | { readonly outcome: "wrong" };

/** Spaces and dashes removed ("123 456", "123-456"); anything else but digits is refused. */
export function normaliseOtpCode(raw: string, digits: number): string {
  if (typeof raw !== "string" || raw.length > MAX_CODE_INPUT) throw invalidInput(problem("second_factor_code_malformed", { digits }), "code");
  const code = raw.replace(/[\s\u00a0-]/g, "");
  if (!/^[0-9]+$/.test(code) || code.length !== digits) throw invalidInput(problem("second_factor_code_malformed", { digits }), "code");
  return code;
}

/**
 * Compares the normalised code with every step within the drift window (all of them, so the time
 * taken does not say which matched) and judges the latest match against `lastStep`.
 */
export function checkTotpCode(otp: OtpParameters, normalisedCode: string, nowMs: number, lastStep: number): TotpCheck {
  const given = Buffer.from(normalisedCode, "utf8");
  const current = generateTotp(otp, nowMs).step;
  let matched: number | undefined;
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step += 1) {
    if (step < 0) continue;
    const expected = Buffer.from(generateTotp(otp, step * otp.period * 1000).code, "utf8");
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = step;
  }
  if (matched === undefined) return { outcome: "wrong" };
  return matched <= lastStep ? { outcome: "replayed", step: matched } : { outcome: "accepted", step: matched };
}
