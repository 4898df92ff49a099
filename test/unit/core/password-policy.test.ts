import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkNewPassword, normaliseUsername } from "../../../src/core/password-policy.js";
import { Secret } from "../../../src/core/secret.js";

const check = (password: string, username = "alice") => () => checkNewPassword(Secret.fromUtf8(password), username);

describe("new password rules", () => {
  it("accepts a long passphrase with no composition rules", () => {
    expect(check("correct horse battery staple")).not.toThrow();
    expect(check("all lower case letters")).not.toThrow();
  });
  it("counts characters, not bytes: twelve emoji are twelve characters", () => {
    expect(check("🔑".repeat(12))).not.toThrow();
    expect(check("🔑".repeat(11))).toThrow(/at least 12 characters/);
  });
  it("refuses short and over-long passwords, naming the field", () => {
    expect(check("short")).toThrow(expect.objectContaining({ code: "invalid_input", details: { field: "password" } }));
    expect(check("x".repeat(129))).toThrow(/at most 128/);
  });
  it("refuses common passwords and their simple variations", () => {
    for (const common of ["1q2w3e4r5t6y", "qwertyqwerty", "Password1234", "iloveyou2024!", "sunshinesunshine"]) {
      expect(check(common), common).toThrow(/too common/);
    }
  });
  it("refuses a password that contains the username", () => {
    expect(check("my name is alice and I like it")).toThrow(/username/);
  });
  it("never puts the password in the message", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (password) => {
        try {
          checkNewPassword(Secret.fromUtf8(password), "someone");
        } catch (error) {
          const message = (error as Error).message;
          if (password.length >= 4) expect(message).not.toContain(password);
        }
      }),
    );
  });
});

describe("usernames", () => {
  it("are trimmed and lower-cased", () => {
    expect(normaliseUsername("  Alice.Smith ")).toBe("alice.smith");
  });
  it("refuse spaces, empty names, and names that are too long", () => {
    for (const bad of ["", "a b", "-dash", "x".repeat(65), "ali\u0000ce", "<script>"]) {
      expect(() => normaliseUsername(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ details: { field: "username" } }));
    }
  });
});
