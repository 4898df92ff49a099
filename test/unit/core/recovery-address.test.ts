import { describe, expect, it } from "vitest";
import { isWatchwordError } from "../../../src/core/errors.js";
import { hintOf, normaliseRecoveryAddress } from "../../../src/core/recovery-address.js";
import { normaliseRecoveryCode } from "../../../src/services/recovery-code-attempts.js";

const keyOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (isWatchwordError(error)) return error.key;
    throw error;
  }
  return undefined;
};

describe("recovery addresses", () => {
  it("keeps an e-mail address as typed, its domain in lower case, and hints at it", () => {
    expect(normaliseRecoveryAddress("email", "  Ada.Lovelace@Example.COM ")).toBe("Ada.Lovelace@example.com");
    expect(hintOf("email", "ada.lovelace@example.com")).toBe("a•••@e•••.com");
  });

  it("writes a phone number in E.164 form and hints at its country code and last two digits", () => {
    expect(normaliseRecoveryAddress("sms", "+33 6 12-34.56 (78)")).toBe("+33612345678");
    expect(normaliseRecoveryAddress("sms", "0044 20 7946 0958")).toBe("+442079460958");
    expect(hintOf("sms", "+33612345678")).toBe("+33•••78");
  });

  it("refuses what is not an address or a number in international form", () => {
    for (const text of ["ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@example.com\r\nBcc: x@example.com", `${"a".repeat(250)}@example.com`]) {
      expect(keyOf(() => normaliseRecoveryAddress("email", text)), text).toBe("recovery_email_invalid");
    }
    for (const text of ["0612345678", "+0612345678", "+33 6", "+33612345678901234", "+33 six", ""]) {
      expect(keyOf(() => normaliseRecoveryAddress("sms", text)), text).toBe("recovery_phone_invalid");
    }
  });
});

describe("recovery codes as typed", () => {
  it("takes six digits with spaces or dashes, and refuses anything else before a try is counted", () => {
    expect(normaliseRecoveryCode(" 123 456 ")).toBe("123456");
    expect(normaliseRecoveryCode("123-456")).toBe("123456");
    for (const text of ["12345", "1234567", "12345a", "１２３４５６", ""]) expect(keyOf(() => normaliseRecoveryCode(text)), text).toBe("recovery_code_malformed");
  });
});
