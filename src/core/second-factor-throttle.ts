// When a second-factor code (authenticator app, recovery code) may be tried, given the failures
// counted so far per account and per address. The same growing delays as the password's
// (sign-in-throttle.ts) but stricter, since a 6-digit code has far fewer values than a password:
// delays from the 4th failure, a lock at 20 consecutive failures (well under NIST SP 800-63B
// §5.2.2's ceiling of 100), and the moments the account's owner must be told by e-mail.
import type { FailureHistory, ThrottleVerdict } from "./sign-in-throttle.js";

export const SECOND_FACTOR_FREE_FAILURES = 3;
export const SECOND_FACTOR_LOCK_FAILURES = 20;
export const SECOND_FACTOR_IP_FREE_FAILURES = 10;
/** After this long without failures an address's count starts again. */
export const SECOND_FACTOR_IP_FORGET_MS = 60 * 60 * 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;
/** What a locked account's 429 says to wait; only an unlock (or a right code before the lock) ends it. */
const LOCKED_RETRY_SECONDS = 3600;

function delayVerdict(history: FailureHistory, free: number, now: number): ThrottleVerdict {
  if (history.failures < free) return { allowed: true };
  const delayMs = Math.min(1000 * 2 ** (history.failures - free), MAX_DELAY_MS);
  const waitMs = history.lastFailureAt + delayMs - now;
  return waitMs <= 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000), locked: false };
}

export function judgeSecondFactorAccount(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined) return { allowed: true };
  if (history.failures >= SECOND_FACTOR_LOCK_FAILURES) return { allowed: false, retryAfterSeconds: LOCKED_RETRY_SECONDS, locked: true };
  return delayVerdict(history, SECOND_FACTOR_FREE_FAILURES, now);
}

export function judgeSecondFactorIp(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined || now - history.lastFailureAt > SECOND_FACTOR_IP_FORGET_MS) return { allowed: true };
  return delayVerdict(history, SECOND_FACTOR_IP_FREE_FAILURES, now);
}

export type AccountNotice = "throttled" | "locked";

/**
 * What the owner is told after the account's failure count became `failures`: once when delays
 * begin and once when it locks. The count comes from one atomic increment, so exactly one
 * failure (on whichever node) crosses each line, and each mail goes once.
 */
export function noticeAfterFailure(failures: number): AccountNotice | undefined {
  if (failures === SECOND_FACTOR_LOCK_FAILURES) return "locked";
  if (failures === SECOND_FACTOR_FREE_FAILURES) return "throttled";
  return undefined;
}
