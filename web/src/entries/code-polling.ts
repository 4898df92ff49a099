// The request loop behind the live codes on "My entries" and on an entry's page: ask, ask again
// shortly after the first code in the reply expires, back off after a failure (unless it is one
// that asking again cannot fix), and fetch at once when a tab comes back into view after a code
// has run out.
import { refreshDelayMs } from "./code-clock.js";
import { serverNow } from "./server-clock.js";

const RETRY_MS = [2_000, 5_000, 15_000, 30_000] as const;

export interface CodePolling<Reply> {
  readonly fetch: () => Promise<Reply>;
  /** Takes in a reply (asked for at `sentAtMs`, local time) and returns when its codes expire. */
  readonly onReply: (reply: Reply, sentAtMs: number) => readonly (number | null)[];
  readonly onError: (reason: unknown) => void;
  /** An error that asking again cannot fix: the loop stops. */
  readonly isFinal: (reason: unknown) => boolean;
}

/** Starts the loop; returns the function that stops it (for an effect's cleanup). */
export function pollCodes<Reply>({ fetch, onReply, onError, isFinal }: CodePolling<Reply>): () => void {
  let isCancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let nextExpiry = Number.POSITIVE_INFINITY;

  const load = (): void => {
    clearTimeout(timer);
    const sentAt = Date.now();
    fetch().then(
      (reply) => {
        if (isCancelled) return;
        const ends = onReply(reply, sentAt);
        failures = 0;
        nextExpiry = Math.min(...ends.filter((end): end is number => end !== null));
        const delay = refreshDelayMs(ends, serverNow());
        if (delay !== undefined) timer = setTimeout(load, delay);
      },
      (reason: unknown) => {
        if (isCancelled) return;
        onError(reason);
        if (isFinal(reason)) return;
        timer = setTimeout(load, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
        failures += 1;
      },
    );
  };

  // Background tabs run timers late: coming back, fetch at once if a code has run out.
  const onVisible = (): void => {
    if (document.visibilityState === "visible" && serverNow() >= nextExpiry) load();
  };

  load();
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    isCancelled = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisible);
  };
}
