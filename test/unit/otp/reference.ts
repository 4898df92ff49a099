// Test helpers: building OtpParameters, and a second, deliberately different implementation of
// RFC 4226 §5.3 truncation and Steam's encoding (hex digest, BigInt arithmetic) to compare with.
import { createHmac } from "node:crypto";
import { Secret } from "../../../src/core/secret.js";
import type { OtpAlgorithm, OtpParameters } from "../../../src/core/otp/types.js";
import { validateOtpParameters } from "../../../src/core/otp/validate.js";

export function makeOtp(secret: Uint8Array, overrides: Partial<Omit<OtpParameters, "secret">> = {}): OtpParameters {
  const type = overrides.type ?? "totp";
  return validateOtpParameters({
    type,
    secret: Secret.fromBytes(secret),
    algorithm: "SHA1",
    digits: type === "steam" ? 5 : 6,
    period: 30,
    counter: 0,
    ...overrides,
  });
}

/** HOTP by the letter of RFC 4226 §5.3, on a hex string and BigInts instead of buffers and numbers. */
export function referenceCode(key: Uint8Array, algorithm: OtpAlgorithm, counter: bigint, digits: number | "steam"): string {
  const message = Buffer.from(counter.toString(16).padStart(16, "0"), "hex");
  const hex = createHmac(algorithm.replace("SHA", "sha"), key).update(message).digest("hex");
  const offset = parseInt(hex.slice(-1), 16);
  let value = BigInt(`0x${hex.slice(offset * 2, offset * 2 + 8)}`) & 0x7fffffffn;
  if (digits !== "steam") return (value % 10n ** BigInt(digits)).toString().padStart(digits, "0");
  const alphabet = "23456789BCDFGHJKMNPQRTVWXY";
  const characters: string[] = [];
  while (characters.length < 5) {
    characters.push(alphabet.charAt(Number(value % 26n)));
    value /= 26n;
  }
  return characters.join("");
}
