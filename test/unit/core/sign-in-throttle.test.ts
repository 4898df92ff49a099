import { describe, expect, it } from "vitest";
import {
  ACCOUNT_FREE_FAILURES,
  ACCOUNT_LOCK_FAILURES,
  DEVICE_LOCK_FAILURES,
  EXPORT_PASSWORD_FORGET_MS,
  EXPORT_PASSWORD_FREE_FAILURES,
  IP_FORGET_MS,
  IP_FREE_FAILURES,
  judgeAccount,
  judgeDevice,
  judgeExportPasswords,
  judgeIp,
} from "../../../src/core/sign-in-throttle.js";

describe("sign-in throttling", () => {
  it("lets the first few failures through without delay", () => {
    expect(judgeAccount(undefined, 0)).toEqual({ allowed: true });
    expect(judgeAccount({ failures: ACCOUNT_FREE_FAILURES - 1, lastFailureAt: 1000 }, 1000)).toEqual({ allowed: true });
  });
  it("makes the delay grow with each failure, capped at 15 minutes", () => {
    const waits = [5, 6, 7, 8, 20, 60].map((failures) => {
      const verdict = judgeAccount({ failures, lastFailureAt: 0 }, 0);
      return verdict.allowed ? 0 : verdict.retryAfterSeconds;
    });
    expect(waits).toEqual([1, 2, 4, 8, 900, 900]);
  });
  it("allows a try again once the delay has passed", () => {
    expect(judgeAccount({ failures: 8, lastFailureAt: 0 }, 8_000)).toEqual({ allowed: true });
  });
  it("locks an account after 100 consecutive failures (NIST SP 800-63B §5.2.2)", () => {
    expect(judgeAccount({ failures: ACCOUNT_LOCK_FAILURES, lastFailureAt: 0 }, 10 ** 12)).toMatchObject({ allowed: false, locked: true });
  });
  it("gives an address more room than an account and forgets it after an hour", () => {
    expect(judgeIp({ failures: IP_FREE_FAILURES - 1, lastFailureAt: 0 }, 0)).toEqual({ allowed: true });
    expect(judgeIp({ failures: IP_FREE_FAILURES + 3, lastFailureAt: 0 }, 1000)).toMatchObject({ allowed: false });
    expect(judgeIp({ failures: 1000, lastFailureAt: 0 }, IP_FORGET_MS + 1)).toEqual({ allowed: true });
  });
  it("slows wrong export passwords with the sign-in delays, never locks, and forgets them after an hour", () => {
    expect(judgeExportPasswords({ failures: EXPORT_PASSWORD_FREE_FAILURES - 1, lastFailureAt: 0 }, 0)).toEqual({ allowed: true });
    expect(judgeExportPasswords({ failures: EXPORT_PASSWORD_FREE_FAILURES + 2, lastFailureAt: 0 }, 0)).toEqual({ allowed: false, retryAfterSeconds: 4, locked: false });
    expect(judgeExportPasswords({ failures: 10_000, lastFailureAt: 0 }, 0)).toMatchObject({ allowed: false, retryAfterSeconds: 900, locked: false });
    expect(judgeExportPasswords({ failures: 10_000, lastFailureAt: 0 }, EXPORT_PASSWORD_FORGET_MS + 1)).toEqual({ allowed: true });
  });
  it("gives a known device the account's delays and spends its token after ten failures", () => {
    expect(judgeDevice(undefined, 0)).toEqual({ allowed: true });
    expect(judgeDevice({ failures: ACCOUNT_FREE_FAILURES + 1, lastFailureAt: 0 }, 0)).toEqual({ allowed: false, retryAfterSeconds: 2, locked: false });
    expect(judgeDevice({ failures: DEVICE_LOCK_FAILURES - 1, lastFailureAt: 0 }, 10 ** 9)).toEqual({ allowed: true });
    expect(judgeDevice({ failures: DEVICE_LOCK_FAILURES, lastFailureAt: 0 }, 10 ** 9)).toMatchObject({ allowed: false, locked: true });
  });
});
