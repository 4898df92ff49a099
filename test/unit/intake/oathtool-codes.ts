// Codes of imported entries next to OATH Toolkit's oathtool (an independent C implementation of
// RFC 4226 and RFC 6238), so an import test proves the seed and its parameters give the codes the
// target service expects, not only that fields were copied.
import { expect } from "vitest";
import type { ImportedEntry } from "../../../src/core/intake/import-file.js";
import { generateHotp, generateTotp } from "../../../src/core/otp/generate.js";
import type { OtpAlgorithm, OtpType } from "../../../src/core/otp/types.js";
import { hasOathtool, runOathtool } from "../../support/oathtool.js";

/** What oathtool needs to compute a code: an Aegis vector, or an imported entry's parameters. */
export interface OathtoolParameters {
  /** The seed as hex. */
  readonly secret: string;
  readonly type: OtpType;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly counter: number;
}


/**
 * oathtool's code for a seed and its parameters at `unixSeconds` (TOTP) or at its counter (HOTP).
 * Steam Guard's alphabet is not oathtool's: undefined for Steam. oathtool's HOTP mode is SHA-1
 * only, so HOTP with SHA-256 or SHA-512 is asked as TOTP with a 1-second step at time = counter.
 */
export function oathtoolCode(otp: OathtoolParameters, unixSeconds: number): string | undefined {
  if (otp.type === "steam") return undefined;
  const digits = ["-d", String(otp.digits)];
  const args =
    otp.type === "hotp" && otp.algorithm === "SHA1"
      ? ["--hotp", ...digits, "-c", String(otp.counter)]
      : otp.type === "hotp"
        ? [`--totp=${otp.algorithm}`, ...digits, "-s", "1s", "-N", `@${otp.counter}`]
        : [`--totp=${otp.algorithm}`, ...digits, "-s", `${otp.period}s`, "-N", `@${unixSeconds}`];
  return runOathtool(...args, otp.secret);
}

/** Watchword's own code for an imported entry at the same moment (or its next HOTP code). */
export function watchwordCode(entry: ImportedEntry, unixSeconds: number): string {
  return entry.otp.type === "hotp" ? generateHotp(entry.otp, entry.otp.counter) : generateTotp(entry.otp, unixSeconds * 1000).code;
}

/**
 * Every entry's code equals oathtool's at a fixed moment, except Steam's (5 characters of Steam's
 * alphabet, outside what oathtool computes); returns how many entries were compared so a caller
 * can assert none was silently left out.
 */
export function expectCodesMatchOathtool(entries: readonly ImportedEntry[], unixSeconds = 1_700_000_000): number {
  if (!hasOathtool) return 0;
  let compared = 0;
  for (const entry of entries) {
    const expected = oathtoolCode({ ...entry.otp, secret: entry.otp.secret.reveal().toString("hex") }, unixSeconds);
    if (expected === undefined) continue;
    expect(watchwordCode(entry, unixSeconds), `${entry.name}'s code`).toBe(expected);
    compared += 1;
  }
  return compared;
}
