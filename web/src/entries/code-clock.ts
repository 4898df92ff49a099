// Countdown arithmetic on the server's clock. Codes are valid for a window the server names in its
// own seconds; a phone whose clock is a few seconds off must still count down to the right moment,
// so every countdown runs on local time plus an offset learned from the server's replies.

/** The ring turns amber when this many seconds or fewer are left. */
export const ENDING_SOON_SECONDS = 5;

/** How long after a code expires its successor is asked for: the server has surely moved on. */
export const REFRESH_GRACE_SECONDS = 0.3;

const MIN_REFRESH_MS = 1_000;
const MAX_REFRESH_MS = 10 * 60_000;

/**
 * Narrows an offset with a single code reply, which carries no server time: when the server
 * answered, its clock stood inside [validFrom, validUntil), and that moment was between sending
 * and receiving locally. An offset that already fits is kept.
 */
export function offsetWithinWindow(offset: number, validFrom: number, validUntil: number | null, sentAtMs: number, receivedAtMs: number): number {
  const lowest = validFrom - receivedAtMs / 1000;
  const highest = validUntil === null ? Number.POSITIVE_INFINITY : validUntil - sentAtMs / 1000;
  if (lowest > highest) return offset;
  return Math.min(Math.max(offset, lowest), highest);
}

/** The server's clock in (fractional) seconds. */
export const serverSeconds = (localMs: number, offset: number): number => localMs / 1000 + offset;

/** Whole seconds a code has left, counting the current one: 30 … 1, then 0 once expired. */
export function secondsLeft(validUntil: number, now: number): number {
  return Math.max(0, Math.ceil(validUntil - now - 1e-9));
}

/** The share of a code's window still ahead, from 1 (just issued) to 0 (expired). */
export function remainingFraction(validFrom: number, validUntil: number, now: number): number {
  const length = validUntil - validFrom;
  if (length <= 0) return 0;
  return Math.min(1, Math.max(0, (validUntil - now) / length));
}

export const isEndingSoon = (left: number): boolean => left <= ENDING_SOON_SECONDS;

/**
 * When to ask for fresh codes (ms from now): shortly after the first of them expires. Never
 * sooner than a second (a reply that is already stale must not start a tight loop), never later
 * than ten minutes; undefined when nothing expires.
 */
export function refreshDelayMs(validUntils: readonly (number | null)[], now: number): number | undefined {
  const ends = validUntils.filter((end): end is number => end !== null);
  if (ends.length === 0) return undefined;
  const first = Math.min(...ends);
  const delay = (first - now + REFRESH_GRACE_SECONDS) * 1000;
  return Math.min(MAX_REFRESH_MS, Math.max(MIN_REFRESH_MS, Math.round(delay)));
}
