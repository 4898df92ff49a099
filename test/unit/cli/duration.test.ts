// `--expires 8h`: a whole number and one unit, or one line saying what is expected.
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/cli/duration.js";
import { isWatchwordError } from "../../../src/core/errors.js";

const refusal = (raw: string) => {
  try {
    parseDuration(raw, "expires");
  } catch (error) {
    if (isWatchwordError(error)) return { key: error.key, field: error.details.field, message: error.message };
    throw error;
  }
  throw new Error(`expected "${raw}" to be refused`);
};

describe("durations on the command line", () => {
  it("reads seconds, minutes, hours, days and weeks", () => {
    expect(parseDuration("90s", "expires")).toBe(90);
    expect(parseDuration("30m", "expires")).toBe(1800);
    expect(parseDuration("8h", "expires")).toBe(28_800);
    expect(parseDuration(" 7D ", "expires")).toBe(604_800);
    expect(parseDuration("2w", "expires")).toBe(1_209_600);
  });

  it("refuses fractions, words, bare numbers, zero, signs, several units and huge numbers in one sentence", () => {
    for (const raw of ["1.5h", "8 hours", "8", "0h", "-1h", "+1h", "1h30m", "h", "", "99999999d", "8h\u001b[2J", "٨h"]) {
      const { key, field, message } = refusal(raw);
      expect(key, raw).toBe("cli_duration_invalid");
      expect(field, raw).toBe("expires");
      expect(message, raw).toMatch(/such as 30m, 8h or 7d\.$/);
      expect(message).not.toContain("\u001b");
    }
  });
});
