import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secret.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { generateTotp } from "../../../src/core/otp/generate.js";
import { parseSetupKey } from "../../../src/core/otp/otpauth-uri.js";
import type { OtpParameters } from "../../../src/core/otp/types.js";
import { validateOtpParameters } from "../../../src/core/otp/validate.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";

const invalidInputOn = (field: string) => expect.objectContaining({ code: "invalid_input", details: { field } });
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const valid: OtpParameters = { type: "totp", secret: Secret.fromBytes(decodeBase32(KEY)), algorithm: "SHA1", digits: 6, period: 30, counter: 0 };
/** As a row read back from JSON might look: any field, any type. */
const withField = (field: string, value: unknown) => ({ ...valid, [field]: value }) as unknown as OtpParameters;

describe("validateOtpParameters", () => {
  it("returns a frozen copy with exactly the six fields", () => {
    const checked = validateOtpParameters({ ...valid, extra: "dropped" } as OtpParameters);
    expect(Object.isFrozen(checked)).toBe(true);
    expect(Object.keys(checked).sort()).toEqual(["algorithm", "counter", "digits", "period", "secret", "type"]);
    expect(inspect(checked)).toContain("[redacted]");
  });

  it("accepts every type's valid range", () => {
    for (const digits of [6, 7, 8, 9, 10]) expect(() => validateOtpParameters(withField("digits", digits))).not.toThrow();
    for (const period of [1, 30, 86_400]) expect(() => validateOtpParameters(withField("period", period))).not.toThrow();
    expect(() => validateOtpParameters({ ...valid, type: "hotp", counter: Number.MAX_SAFE_INTEGER })).not.toThrow();
    expect(() => validateOtpParameters({ ...valid, type: "steam", digits: 5 })).not.toThrow();
  });

  const refusals: [string, unknown, RegExp][] = [
    ["type", "yotp", /type is 'yotp'; expected totp, hotp or steam/],
    ["type", undefined, /type is missing/],
    ["algorithm", "sha1", /algorithm is 'sha1'; expected SHA1, SHA256 or SHA512/],
    ["algorithm", "MD5", /algorithm is 'MD5'/],
    ["digits", 5, /digits is 5; expected a whole number from 6 to 10 \(5-character codes are Steam Guard's/],
    ["digits", 11, /digits is 11/],
    ["digits", "6", /digits is '6'/],
    ["digits", 6.5, /digits is 6.5/],
    ["period", 0, /period is 0; expected a whole number of seconds from 1 to 86,400/],
    ["period", 86_401, /period is 86401/],
    ["period", Number.NaN, /period is not a finite number/],
    ["counter", 1, /counter is 1, but only HOTP seeds count codes; expected 0 for a totp seed/],
    ["secret", "JBSWY3DPEHPK3PXP", /secret is missing; expected the seed's bytes/],
    ["secret", Secret.fromBytes(new Uint8Array(0)), /secret is empty/],
    ["secret", Secret.fromBytes(new Uint8Array(1025)), /secret is 1025 bytes long; expected at most 1024/],
  ];
  it.each(refusals)("refuses %s = %s, naming the field", (field, value, message) => {
    expect(() => validateOtpParameters(withField(field, value))).toThrow(invalidInputOn(field));
    expect(() => validateOtpParameters(withField(field, value))).toThrow(message);
  });

  it("holds HOTP counters to 0 … 2^53 − 1 and Steam to SHA1 and 5 characters", () => {
    const hotp = { ...valid, type: "hotp" as const };
    for (const counter of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1]) expect(() => validateOtpParameters({ ...hotp, counter })).toThrow(invalidInputOn("counter"));
    expect(() => validateOtpParameters({ ...valid, type: "steam", digits: 6 })).toThrow(invalidInputOn("digits"));
    expect(() => validateOtpParameters({ ...valid, type: "steam", digits: 5, algorithm: "SHA256" })).toThrow(invalidInputOn("algorithm"));
  });

  it("refuses something that is not an object", () => {
    expect(() => validateOtpParameters(null as unknown as OtpParameters)).toThrow(invalidInputOn("otp"));
  });
});

describe("parseSetupKey", () => {
  it("reads a key as typed by a person, with TOTP/SHA1/6/30 defaults", () => {
    const intake = parseSetupKey("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp");
    expect(intake).toMatchObject({ issuer: undefined, account: undefined, warnings: [] });
    expect(intake.otp).toMatchObject({ type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });
    expect(intake.otp.secret.reveal()).toEqual(decodeBase32(KEY));
  });

  it("takes overrides for type, algorithm, digits, period, counter and the labels", () => {
    expect(parseSetupKey(KEY, { algorithm: "SHA512", digits: 8, period: 60, issuer: " Acme ", account: "ops" })).toMatchObject({
      issuer: "Acme", account: "ops", otp: { algorithm: "SHA512", digits: 8, period: 60 },
    });
    expect(parseSetupKey(KEY, { type: "hotp" }).otp).toMatchObject({ type: "hotp", counter: 0 });
    expect(parseSetupKey(KEY, { type: "hotp", counter: 17 }).otp.counter).toBe(17);
    const steam = parseSetupKey("63BEDWCQZKTQWPESARIERL5DTTQFCJTK", { type: "steam" });
    expect(steam).toMatchObject({ issuer: "Steam", otp: { type: "steam", digits: 5, algorithm: "SHA1" } });
    expect(generateTotp(steam.otp, 1511200518_000).code).toBe("FR8RV");
  });

  it("applies the same rules as links, naming the field", () => {
    expect(() => parseSetupKey("")).toThrow(invalidInputOn("secret"));
    expect(() => parseSetupKey("JBSWY3DP1")).toThrow("The secret contains '1', which is not a base32 character (A–Z and 2–7).");
    expect(() => parseSetupKey(KEY, { digits: 12 })).toThrow(invalidInputOn("digits"));
    expect(() => parseSetupKey(KEY, { period: 0 })).toThrow(invalidInputOn("period"));
    expect(() => parseSetupKey(KEY, { type: "steam", digits: 6 })).toThrow(invalidInputOn("digits"));
    expect(() => parseSetupKey(KEY, { type: "totp", counter: 3 })).toThrow(invalidInputOn("counter"));
    expect(() => parseSetupKey("A".repeat(5000))).toThrow(/at most 4,096/);
  });

  it("points a pasted link to the link parser instead of complaining about ':'", () => {
    expect(() => parseSetupKey(`otpauth://totp/x?secret=${KEY}`)).toThrow(/is a link; add it as an otpauth:\/\/ link/);
  });

  it("warns about a short key but accepts it", () => {
    const { warnings } = parseSetupKey("JBSWY3DPEHPK3PXP");
    expect(warnings).toEqual([{ key: "seed_weak", params: { bits: 80 } }]);
    expect(warnings.map(renderProblem)).toEqual([expect.stringContaining("shorter than the 128 bits")]);
  });
});
