// The one place parsers turn a decoded secret into OTP parameters: the parser's buffer is zeroed
// whether the parameters are accepted or refused, and the secret's own warnings come first.
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { problem } from "../../../src/core/errors.js";
import { buildOtpAndZeroSecret } from "../../../src/core/intake/otp-fields.js";

const seed = (): Buffer => Buffer.from("12345678901234567890");

describe("buildOtpAndZeroSecret", () => {
  it("zeroes the decoded secret once the parameters hold their own copy", () => {
    const secret = seed();
    const built = buildOtpAndZeroSecret({ type: "totp", secret, digits: 8 }, [problem("seed_dangling_character")]);
    expect(secret.every((byte) => byte === 0)).toBe(true);
    expect(built.otp.secret.reveal().toString("utf8")).toBe("12345678901234567890");
    expect(built.warnings[0]).toEqual(problem("seed_dangling_character"));
  });

  it("zeroes the decoded secret when the parameters are refused", () => {
    const secret = seed();
    expect(() => buildOtpAndZeroSecret({ type: "totp", secret, digits: 99 })).toThrow(WatchwordError);
    expect(secret.every((byte) => byte === 0)).toBe(true);
  });
});
