import fc from "fast-check";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { decodeBase32, decodeBase32Text, encodeBase32 } from "../../../src/core/otp/base32.js";

const invalidInputOn = (field: string) => expect.objectContaining({ code: "invalid_input", details: { field } });

describe("base32 (RFC 4648)", () => {
  it("decodes RFC 4648 §10's test vectors, padded or not", () => {
    const vectors: [string, string][] = [
      ["f", "MY======"],
      ["fo", "MZXQ===="],
      ["foo", "MZXW6==="],
      ["foob", "MZXW6YQ="],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI======"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(decodeBase32(encoded).toString("ascii")).toBe(plain);
      expect(decodeBase32(encoded.replace(/=+$/, "")).toString("ascii")).toBe(plain);
      expect(encodeBase32(Buffer.from(plain, "ascii"))).toBe(encoded.replace(/=+$/, ""));
    }
  });

  it("accepts the ways people and exports write keys: lower case, spaces, dashes, partial padding", () => {
    const expected = decodeBase32("JBSWY3DPEHPK3PXP");
    for (const written of ["jbswy3dpehpk3pxp", "JBSW Y3DP EHPK 3PXP", "jbsw-y3dp-ehpk-3pxp", " JBSWY3DPEHPK3PXP\n", "JBSWY3DPEHPK3PXP====", "jBsWy3DpEhPk3PxP"]) {
      expect(decodeBase32(written)).toEqual(expected);
    }
    expect(decodeBase32("MZXW6YQ").toString()).toBe("foob");
    expect(decodeBase32("MZXW6YQ==").toString()).toBe("foob");
  });

  it("names a character outside the alphabet, and the field, without echoing the key", () => {
    expect(() => decodeBase32("JBSWY3DPEHPK3PX1")).toThrow("The secret contains '1', which is not a base32 character (A–Z and 2–7).");
    expect(() => decodeBase32("JBSWY3DP0HPK", "setupKey")).toThrow(invalidInputOn("setupKey"));
    expect(() => decodeBase32("JBSWY3DP0HPK", "setupKey")).toThrow(/^The secret contains '0'/);
    expect(() => decodeBase32("JBSWY3DP\u0000")).toThrow(/contains U\+0000,/);
    expect(() => decodeBase32("JBSWY3DPé")).toThrow(/'é'/);
  });

  it("refuses empty text, padding in the middle, and a lone character", () => {
    for (const text of ["", "   ", "====", "- -"]) expect(() => decodeBase32(text)).toThrow(/The secret is empty/);
    expect(() => decodeBase32("MY==MY")).toThrow(/padding before its end/);
    expect(() => decodeBase32("M")).toThrow(/single base32 character/);
  });

  it("drops a dangling last character (as authenticator apps do) and says so", () => {
    expect(decodeBase32Text("JBSWY3DPEHPK3PXP").hasDanglingCharacter).toBe(false);
    const dangling = decodeBase32Text("JBSWY3DPEHPK3PXPA"); // 17 characters: 85 bits
    expect(dangling.hasDanglingCharacter).toBe(true);
    expect(dangling.bytes).toEqual(decodeBase32("JBSWY3DPEHPK3PXP"));
  });

  it("round-trips any bytes and agrees with the otpauth library", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const encoded = encodeBase32(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]+$/);
        expect(decodeBase32(encoded)).toEqual(Buffer.from(bytes));
        expect(decodeBase32Text(encoded).hasDanglingCharacter).toBe(false);
        expect(encoded).toBe(new OTPAuth.Secret({ buffer: Uint8Array.from(bytes).buffer }).base32);
        expect(decodeBase32(encoded.toLowerCase().replace(/(.{4})/g, "$1 "))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("throws only invalid_input on arbitrary text, quoting at most one character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        try {
          decodeBase32(text);
        } catch (error) {
          expect(error).toMatchObject({ name: "WatchwordError", code: "invalid_input", details: { field: "secret" } });
          const quoted = /'(.+?)'/u.exec((error as Error).message)?.[1];
          if (quoted !== undefined) expect([...quoted]).toHaveLength(1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
