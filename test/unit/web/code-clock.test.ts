import { describe, expect, it } from "vitest";
import {
  isEndingSoon,
  offsetWithinWindow,
  refreshDelayMs,
  remainingFraction,
  secondsLeft,
  serverSeconds,
} from "../../../web/src/entries/code-clock.js";

describe("countdowns on the server's clock", () => {
  it("reads the server's clock as the local one plus the offset", () => {
    expect(serverSeconds(1_000_500, 10)).toBeCloseTo(1010.5, 6);
    expect(serverSeconds(1_000_000, -5)).toBeCloseTo(995, 6);
  });

  it("counts down on the corrected clock, not the local one", () => {
    const offset = 22; // local clock 22 s slow
    const now = serverSeconds(1_699_999_990_000 + 1_000, offset);
    expect(secondsLeft(1_700_000_030, now)).toBe(17);
    expect(remainingFraction(1_700_000_000, 1_700_000_030, now)).toBeCloseTo(17 / 30, 6);
  });

  it("counts the current second and reaches zero at expiry", () => {
    expect(secondsLeft(130, 100)).toBe(30);
    expect(secondsLeft(130, 100.2)).toBe(30);
    expect(secondsLeft(130, 129.01)).toBe(1);
    expect(secondsLeft(130, 130)).toBe(0);
    expect(secondsLeft(130, 140)).toBe(0);
    expect(remainingFraction(100, 130, 145)).toBe(0);
    expect(remainingFraction(100, 130, 90)).toBe(1);
  });

  it("turns amber for the last five seconds", () => {
    expect(isEndingSoon(6)).toBe(false);
    expect(isEndingSoon(5)).toBe(true);
    expect(isEndingSoon(1)).toBe(true);
  });

  it("narrows the offset with a code's validity window", () => {
    // Local clock reads 2000 s while the code is valid 2030–2060: it is at least 30 s slow.
    expect(offsetWithinWindow(0, 2030, 2060, 2_000_000, 2_000_000)).toBe(30);
    // Local 2100 s with the same window: at least 40 s fast.
    expect(offsetWithinWindow(0, 2030, 2060, 2_100_000, 2_100_000)).toBe(-40);
    // An offset already consistent with the window is kept.
    expect(offsetWithinWindow(35, 2030, 2060, 2_000_000, 2_000_000)).toBe(35);
    // HOTP codes have no end.
    expect(offsetWithinWindow(-5, 2030, null, 2_000_000, 2_000_000)).toBe(30);
  });

  it("asks for new codes shortly after the first one expires, never in a tight loop", () => {
    expect(refreshDelayMs([130, 160], 120)).toBe(10_300);
    expect(refreshDelayMs([130, null], 129.9)).toBe(1_000);
    expect(refreshDelayMs([100], 150)).toBe(1_000);
    expect(refreshDelayMs([100_000], 0)).toBe(600_000);
    expect(refreshDelayMs([null], 0)).toBeUndefined();
    expect(refreshDelayMs([], 0)).toBeUndefined();
  });
});
