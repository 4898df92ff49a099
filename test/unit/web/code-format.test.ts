import { describe, expect, it } from "vitest";
import { formatCode, groupCode } from "../../../web/src/entries/code-format.js";

describe("how a code is grouped for reading", () => {
  it("splits six digits into two threes", () => {
    expect(formatCode("123456", "totp")).toBe("123 456");
    expect(groupCode("012345", "hotp")).toEqual(["012", "345"]);
  });

  it("puts the longer group first for seven digits and halves eight", () => {
    expect(formatCode("1234567", "totp")).toBe("1234 567");
    expect(formatCode("12345678", "totp")).toBe("1234 5678");
  });

  it("groups nine and ten digits in threes", () => {
    expect(formatCode("123456789", "totp")).toBe("123 456 789");
    expect(formatCode("1234567890", "totp")).toBe("123 456 7890");
  });

  it("leaves Steam Guard codes and short codes as they are", () => {
    expect(formatCode("7FK2Q", "steam")).toBe("7FK2Q");
    expect(formatCode("12345", "totp")).toBe("12345");
  });
});
