// The current codes of every TOTP and Steam entry on "My entries", from one batch request that
// is repeated shortly after the first code expires (not every second). The reply's serverTime
// sets the page's clock offset; a tab that comes back into view refreshes at once.
import { useCallback, useEffect, useState } from "react";
import type { BatchCode } from "../../../src/contract/codes.js";
import { ApiError, client } from "../ui/api-client.js";
import { clockOffset, refreshDelayMs } from "./code-clock.js";
import { serverNow, setClockOffset } from "./server-clock.js";

const RETRY_MS = [2_000, 5_000, 15_000, 30_000] as const;

export interface LiveCodes {
  readonly codes: ReadonlyMap<string, BatchCode>;
  /** The last refresh failed; the codes shown may be old. */
  readonly error: unknown;
  readonly isLoaded: boolean;
  /** Asks again now, e.g. after an entry was added. */
  readonly refresh: () => void;
}

const isFinal = (error: unknown): boolean => error instanceof ApiError && (error.code === "unauthenticated" || error.code === "forbidden");

export function useLiveCodes(isEnabled: boolean): LiveCodes {
  const [codes, setCodes] = useState<ReadonlyMap<string, BatchCode>>(new Map());
  const [error, setError] = useState<unknown>();
  const [isLoaded, setLoaded] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!isEnabled) return;
    let isCancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let nextExpiry = Number.POSITIVE_INFINITY;

    const load = (): void => {
      clearTimeout(timer);
      const sentAt = Date.now();
      client.batchCodes().then(
        (reply) => {
          if (isCancelled) return;
          setClockOffset(clockOffset(reply.serverTime, sentAt, Date.now()));
          setCodes(new Map(reply.codes.map((code) => [code.entryId, code])));
          setError(undefined);
          setLoaded(true);
          failures = 0;
          const ends = reply.codes.map((code) => code.validUntil);
          nextExpiry = Math.min(...ends.filter((end): end is number => end !== null));
          const delay = refreshDelayMs(ends, serverNow());
          if (delay !== undefined) timer = setTimeout(load, delay);
        },
        (reason: unknown) => {
          if (isCancelled) return;
          setError(reason);
          setLoaded(true);
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
  }, [isEnabled, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { codes, error, isLoaded, refresh };
}
