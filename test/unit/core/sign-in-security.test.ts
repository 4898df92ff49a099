// The pure parts of a user's sign-in security: the recovery code's text (random bytes in, base32
// out, normalised once), when wrong second-factor codes delay or lock, and user agents in words.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeSecondFactorAccount, judgeSecondFactorIp, noticeAfterFailure, SECOND_FACTOR_FREE_FAILURES, SECOND_FACTOR_LOCK_FAILURES } from "../../../src/core/second-factor-throttle.js";
import { formatRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_BITS, recoveryCodeFromBytes } from "../../../src/core/sign-in-recovery-code.js";
import { describeUserAgent } from "../../../src/core/user-agent.js";

describe("sign-in recovery code text", () => {
  it("spells 80 bits as 16 base32 characters, one per 5 bits (RFC 4648)", () => {
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(64);
    expect(recoveryCodeFromBytes(new Uint8Array(10))).toBe("AAAAAAAAAAAAAAAA");
    expect(recoveryCodeFromBytes(new Uint8Array(10).fill(255))).toBe("7777777777777777");
    // RFC 4648 §10: "fooba" is MZXW6YTB; twice over is 10 bytes.
    expect(recoveryCodeFromBytes(new TextEncoder().encode("foobafooba"))).toBe("MZXW6YTBMZXW6YTB");
    expect(() => recoveryCodeFromBytes(new Uint8Array(9))).toThrow(RangeError);
  });

  it("reads back every code however it is typed: case, spaces and dashes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => {
        const code = recoveryCodeFromBytes(bytes);
        expect(normaliseRecoveryCode(formatRecoveryCode(code))).toBe(code);
        expect(normaliseRecoveryCode(` ${formatRecoveryCode(code).toLowerCase().replaceAll("-", " ")} `)).toBe(code);
      }),
    );
  });

  it("refuses anything that cannot be a code, oversized input before reading it", () => {
    for (const input of ["", "ABCD", "ABCD-EFGH-IJKL-MNO1", "ABCD-EFGH-IJKL-MNOP-Q", "ABCD_EFGH_IJKL_MNOP", "ÀBCD-EFGH-IJKL-MNOP", `ABCDEFGHIJKLMNOP${" ".repeat(60)}`, "A".repeat(10_000)]) {
      expect(normaliseRecoveryCode(input), input.slice(0, 30)).toBeUndefined();
    }
  });
});

describe("second-factor throttling", () => {
  const now = 1_000_000;
  it("lets the first failures through, then waits longer and longer, then locks", () => {
    expect(judgeSecondFactorAccount(undefined, now)).toEqual({ allowed: true });
    expect(judgeSecondFactorAccount({ failures: SECOND_FACTOR_FREE_FAILURES - 1, lastFailureAt: now }, now)).toEqual({ allowed: true });
    expect(judgeSecondFactorAccount({ failures: SECOND_FACTOR_FREE_FAILURES, lastFailureAt: now }, now)).toEqual({ allowed: false, retryAfterSeconds: 1, locked: false });
    expect(judgeSecondFactorAccount({ failures: SECOND_FACTOR_FREE_FAILURES + 3, lastFailureAt: now }, now)).toEqual({ allowed: false, retryAfterSeconds: 8, locked: false });
    expect(judgeSecondFactorAccount({ failures: SECOND_FACTOR_FREE_FAILURES + 3, lastFailureAt: now }, now + 8000)).toEqual({ allowed: true });
    expect(judgeSecondFactorAccount({ failures: SECOND_FACTOR_LOCK_FAILURES, lastFailureAt: 0 }, now)).toMatchObject({ allowed: false, locked: true });
  });

  it("forgets an address after an hour without failures", () => {
    expect(judgeSecondFactorIp({ failures: 50, lastFailureAt: now }, now)).toMatchObject({ allowed: false, locked: false });
    expect(judgeSecondFactorIp({ failures: 50, lastFailureAt: now }, now + 60 * 60 * 1000 + 1)).toEqual({ allowed: true });
  });

  it("tells the owner exactly twice: when delays begin and at the lock", () => {
    const notices = Array.from({ length: 200 }, (_, i) => noticeAfterFailure(i + 1)).filter((n) => n !== undefined);
    expect(notices).toEqual(["throttled", "locked"]);
  });
});

describe("user agents in plain words", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome", "Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge", "Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari", "macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari", "iOS"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android"],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "ChromeOS"],
    ["watchword-cli/0.9.0", "Watchword CLI", null],
    ["curl/8.5.0", "curl", null],
    ["", null, null],
    ["<script>alert(1)</script>", null, null],
  ])("%s", (userAgent, browser, system) => {
    expect(describeUserAgent(userAgent)).toEqual({ browser, system });
  });
});
