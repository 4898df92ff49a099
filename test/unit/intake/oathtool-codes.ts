// Codes of imported entries next to OATH Toolkit's oathtool (an independent C implementation of
// RFC 4226 and RFC 6238), so an import test proves the seed and its parameters give the codes the
// target service expects, not only that fields were copied. Under CI=true oathtool must exist.
import { execFileSync, spawnSync } from "node:child_process";
import { expect } from "vitest";
import type { ImportedEntry } from "../../../src/core/intake/import-file.js";
import { generateHotp, generateTotp } from "../../../src/core/otp/generate.js";
import type { OtpParameters } from "../../../src/core/otp/types.js";

export const isOathtoolInstalled = spawnSync("oathtool", ["--version"], { stdio: "ignore" }).status === 0;
if (!isOathtoolInstalled && process.env.CI === "true") {
  throw new Error("oathtool is not installed, and CI=true requires the code comparisons to run: apt-get install oathtool.");
}

/** oathtool's code for a TOTP seed at `timeMs`, or for a HOTP seed at its counter. */
export function oathtoolCode(otp: OtpParameters, timeMs: number): string {
  const key = otp.secret.reveal().toString("hex");
  const args =
    otp.type === "hotp"
      ? ["--hotp", `--digits=${otp.digits}`, `--counter=${otp.counter}`, key]
      : [`--totp=${otp.algorithm.toLowerCase()}`, `--digits=${otp.digits}`, `--time-step-size=${otp.period}s`, `--now=@${Math.floor(timeMs / 1000)}`, key];
  // oathtool's HOTP is always HMAC-SHA-1; a HOTP seed on another algorithm is compared by the engine alone.
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}

/** Our engine's code for the same moment (HOTP: at the entry's counter). */
export function engineCode(otp: OtpParameters, timeMs: number): string {
  return otp.type === "hotp" ? generateHotp(otp, otp.counter) : generateTotp(otp, timeMs).code;
}

/**
 * Every TOTP entry's code, and every SHA-1 HOTP entry's, equals oathtool's at a fixed moment.
 * Steam codes (5 characters of Steam's alphabet) are outside what oathtool computes; returns how
 * many entries were compared so a caller can assert none was silently left out.
 */
export function expectCodesMatchOathtool(entries: readonly ImportedEntry[], timeMs = 1_700_000_000_000): number {
  if (!isOathtoolInstalled) return 0;
  let compared = 0;
  for (const { name, otp } of entries) {
    if (otp.type === "steam" || (otp.type === "hotp" && otp.algorithm !== "SHA1")) continue;
    expect(engineCode(otp, timeMs), `${name}'s code`).toBe(oathtoolCode(otp, timeMs));
    compared += 1;
  }
  return compared;
}
