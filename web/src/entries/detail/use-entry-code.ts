// The current code of one TOTP or Steam entry for its page: asked for again shortly after it
// expires. A single code reply carries no server time, so its validity window narrows the
// page's clock offset instead.
import { useCallback, useEffect, useState } from "react";
import type { CodeReply } from "../../../../src/contract/codes.js";
import { ApiError, client } from "../../ui/api-client.js";
import { offsetWithinWindow, refreshDelayMs } from "../code-clock.js";
import { clockOffsetNow, serverNow, setClockOffset } from "../server-clock.js";

const RETRY_MS = [2_000, 5_000, 15_000, 30_000] as const;

export interface EntryCode {
  readonly code: CodeReply | undefined;
  readonly error: unknown;
  readonly refresh: () => void;
}

export function useEntryCode(entryId: string, isEnabled: boolean): EntryCode {
  const [code, setCode] = useState<CodeReply>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!isEnabled) return;
    let isCancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let expiry = Number.POSITIVE_INFINITY;

    const load = (): void => {
      clearTimeout(timer);
      const sentAt = Date.now();
      client.getCode(entryId).then(
        (reply) => {
          if (isCancelled) return;
          setClockOffset(offsetWithinWindow(clockOffsetNow(), reply.validFrom, reply.validUntil, sentAt, Date.now()));
          setCode(reply);
          setError(undefined);
          failures = 0;
          expiry = reply.validUntil ?? Number.POSITIVE_INFINITY;
          const delay = refreshDelayMs([reply.validUntil], serverNow());
          if (delay !== undefined) timer = setTimeout(load, delay);
        },
        (reason: unknown) => {
          if (isCancelled) return;
          setError(reason);
          if (reason instanceof ApiError && ["unauthenticated", "forbidden", "not_found"].includes(reason.code)) return;
          timer = setTimeout(load, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
          failures += 1;
        },
      );
    };
    const onVisible = (): void => {
      if (document.visibilityState === "visible" && serverNow() >= expiry) load();
    };

    load();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      isCancelled = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [entryId, isEnabled, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { code, error, refresh };
}
