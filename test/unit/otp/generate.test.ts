import fc from "fast-check";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { generateCode, generateHotp, generateTotp } from "../../../src/core/otp/generate.js";
import { parseOtpauthUri } from "../../../src/core/otp/otpauth-uri.js";
import type { OtpAlgorithm } from "../../../src/core/otp/types.js";
import { makeOtp, referenceCode } from "./reference.js";
import { rfc4226Secret, rfc4226Vectors, rfc6238Seeds, rfc6238Vectors, steamLink, steamVectors } from "./vectors.js";

const algorithms: readonly OtpAlgorithm[] = ["SHA1", "SHA256", "SHA512"];
const invalidInputOn = (field: string) => expect.objectContaining({ code: "invalid_input", details: { field } });

describe("HOTP (RFC 4226)", () => {
  const hotp = makeOtp(rfc4226Secret, { type: "hotp" });

  it.each(rfc4226Vectors)("gives Appendix D's code for counter $counter", ({ counter, hotp: code }) => {
    expect(generateHotp(hotp, counter)).toBe(code);
  });

  it("gives the whole 31-bit truncated value, zero-padded, as a 10-digit code", () => {
    const tenDigits = makeOtp(rfc4226Secret, { type: "hotp", digits: 10 });
    for (const { counter, truncated } of rfc4226Vectors) {
      expect(generateHotp(tenDigits, counter)).toBe(String(truncated).padStart(10, "0"));
    }
    expect(generateHotp(tenDigits, 7)).toBe("0082162583");
  });

  it("keeps every digit count's leading zeros", () => {
    for (let digits = 6; digits <= 10; digits++) {
      const code = generateHotp(makeOtp(rfc4226Secret, { type: "hotp", digits }), 7);
      expect(code).toHaveLength(digits);
      expect(code).toBe(String(82162583 % 10 ** digits).padStart(digits, "0"));
    }
  });

  it("writes counters above 2^32 as the full 8-byte big-endian number", () => {
    for (const counter of [2 ** 32, 2 ** 32 + 5, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]) {
      expect(generateHotp(hotp, counter)).toBe(referenceCode(rfc4226Secret, "SHA1", BigInt(counter), 6));
    }
  });

  it("refuses a counter that is negative, fractional or past 2^53 − 1", () => {
    for (const counter of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => generateHotp(hotp, counter)).toThrow(invalidInputOn("counter"));
    }
  });
});

describe("TOTP (RFC 6238)", () => {
  it.each(rfc6238Vectors)("gives Appendix B's code at $seconds s with $algorithm", ({ seconds, step, algorithm, totp }) => {
    const otp = makeOtp(rfc6238Seeds[algorithm], { algorithm, digits: 8 });
    expect(generateTotp(otp, seconds * 1000)).toEqual({
      code: totp,
      step,
      validFrom: step * 30_000,
      validUntil: (step + 1) * 30_000,
    });
  });

  it("changes code exactly at the step boundary and says when each is valid", () => {
    const otp = makeOtp(rfc6238Seeds.SHA1, { period: 45 });
    const before = generateTotp(otp, 45_000 * 1000 - 1);
    const at = generateTotp(otp, 45_000 * 1000);
    expect(before.step).toBe(999);
    expect(at.step).toBe(1000);
    expect(before.validUntil).toBe(at.validFrom);
    expect(at.validUntil - at.validFrom).toBe(45_000);
    expect(generateTotp(otp, at.validUntil - 0.5).code).toBe(at.code);
  });

  it("works with a 1-second period and at the Unix epoch", () => {
    const otp = makeOtp(rfc6238Seeds.SHA1, { period: 1, digits: 8 });
    expect(generateTotp(otp, 0)).toMatchObject({ step: 0, validFrom: 0, validUntil: 1000 });
    expect(generateTotp(otp, 59_999).code).toBe(referenceCode(rfc6238Seeds.SHA1, "SHA1", 59n, 8));
  });

  it("refuses times before 1970, not a number, or beyond 2^53 − 1 ms", () => {
    const otp = makeOtp(rfc6238Seeds.SHA1);
    for (const timeMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => generateTotp(otp, timeMs)).toThrow(invalidInputOn("timeMs"));
    }
  });

  it("refuses HOTP parameters, which have no time step", () => {
    expect(() => generateTotp(makeOtp(rfc6238Seeds.SHA1, { type: "hotp" }), 0)).toThrow(invalidInputOn("type"));
  });
});

describe("Steam Guard", () => {
  const steam = parseOtpauthUri(steamLink).otp;

  it.each(steamVectors)("gives the Steam app's code at $seconds s", ({ seconds, code }) => {
    expect(generateTotp(steam, seconds * 1000).code).toBe(code);
  });

  it("matches a base-26 computation written independently, over many times", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 2 ** 42 }), (key, timeMs) => {
        const { code, step } = generateTotp(makeOtp(key, { type: "steam" }), timeMs);
        expect(code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
        expect(code).toBe(referenceCode(key, "SHA1", BigInt(step), "steam"));
      }),
      { numRuns: 2000 },
    );
  });

  it("has no HOTP form", () => {
    expect(() => generateHotp(steam, 1)).toThrow(invalidInputOn("type"));
  });
});

describe("generateCode", () => {
  it("dispatches on the type: time for TOTP and Steam, counter for HOTP", () => {
    const totp = makeOtp(rfc6238Seeds.SHA1, { digits: 8 });
    expect(generateCode(totp, { timeMs: 59_000 })).toEqual({ type: "totp", code: "94287082", step: 1, validFrom: 30_000, validUntil: 60_000 });
    const hotp = makeOtp(rfc4226Secret, { type: "hotp", counter: 3 });
    expect(generateCode(hotp, { timeMs: 0 })).toEqual({ type: "hotp", code: "969429", counter: 3 });
    expect(generateCode(hotp, { timeMs: 0, counter: 9 })).toEqual({ type: "hotp", code: "520489", counter: 9 });
    const steam = parseOtpauthUri(steamLink).otp;
    expect(generateCode(steam, { timeMs: 1511200518_000 })).toMatchObject({ type: "steam", code: "FR8RV" });
  });
});

describe("against references", () => {
  it("agrees with the otpauth library for random seeds, algorithms, 6 to 10 digits, periods and times", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 128 }),
        fc.constantFrom(...algorithms),
        fc.integer({ min: 6, max: 10 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (key, algorithm, digits, period, timeMs) => {
          const ours = generateTotp(makeOtp(key, { algorithm, digits, period }), timeMs).code;
          const theirs = OTPAuth.TOTP.generate({ secret: new OTPAuth.Secret({ buffer: Uint8Array.from(key).buffer }), algorithm, digits, period, timestamp: timeMs });
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("agrees with the independent BigInt computation for HOTP counters up to 2^53 − 1", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 128 }),
        fc.constantFrom(...algorithms),
        fc.integer({ min: 6, max: 10 }),
        fc.maxSafeNat(),
        (key, algorithm, digits, counter) => {
          expect(generateHotp(makeOtp(key, { type: "hotp", algorithm, digits }), counter)).toBe(referenceCode(key, algorithm, BigInt(counter), digits));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
