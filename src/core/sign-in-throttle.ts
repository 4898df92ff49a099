// When a sign-in attempt may be made, given the failures recorded so far. Growing delays long
// before the hard limit of 100 consecutive failures per account (NIST SP 800-63B §5.2.2,
// ASVS 2.2.1); the per-IP budget slows one address guessing across many accounts. Attempts from a
// device that signed in to the account before (a device token, OWASP's "device cookies") count
// against that device instead, so strangers' failures cannot lock the account's own devices out.
export interface FailureHistory {
  readonly failures: number;
  readonly lastFailureAt: number;
}

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number; readonly locked: boolean };

export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_LOCK_FAILURES = 100;
export const IP_FREE_FAILURES = 20;
/** After this long without failures an IP's count starts again. */
export const IP_FORGET_MS = 60 * 60 * 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

function delayVerdict(history: FailureHistory, free: number, now: number): ThrottleVerdict {
  if (history.failures < free) return { allowed: true };
  const delayMs = Math.min(1000 * 2 ** (history.failures - free), MAX_DELAY_MS);
  const waitMs = history.lastFailureAt + delayMs - now;
  return waitMs <= 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000), locked: false };
}

export function judgeAccount(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined) return { allowed: true };
  if (history.failures >= ACCOUNT_LOCK_FAILURES) return { allowed: false, retryAfterSeconds: 3600, locked: true };
  return delayVerdict(history, ACCOUNT_FREE_FAILURES, now);
}

/** Failures a device with a device token may make before its token is withdrawn (OWASP suggests about 10). */
export const DEVICE_LOCK_FAILURES = 10;

/**
 * The account's rule for one known device, with a lower limit: `locked` means the device token is
 * spent, and the device counts as unknown from then on (the account's own count and lock apply).
 */
export function judgeDevice(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined) return { allowed: true };
  if (history.failures >= DEVICE_LOCK_FAILURES) return { allowed: false, retryAfterSeconds: 0, locked: true };
  return delayVerdict(history, ACCOUNT_FREE_FAILURES, now);
}

export function judgeIp(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined || now - history.lastFailureAt > IP_FORGET_MS) return { allowed: true };
  return delayVerdict(history, IP_FREE_FAILURES, now);
}

/** Wrong passwords for encrypted import files a user may try before delays begin. */
export const EXPORT_PASSWORD_FREE_FAILURES = 5;
/** After this long without a wrong export password, a user's count starts again. */
export const EXPORT_PASSWORD_FORGET_MS = 60 * 60 * 1000;

/**
 * Whether a user may have another encrypted import file opened, given their wrong passwords: the
 * sign-in delays, without a lock. Each try costs seconds of key derivation, so guesses are slowed,
 * not the user's other work; an hour without a wrong password starts the count again.
 */
export function judgeExportPasswords(history: FailureHistory | undefined, now: number): ThrottleVerdict {
  if (history === undefined || now - history.lastFailureAt > EXPORT_PASSWORD_FORGET_MS) return { allowed: true };
  return delayVerdict(history, EXPORT_PASSWORD_FREE_FAILURES, now);
}
