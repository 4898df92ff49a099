// The current code of one TOTP or Steam entry for its page: asked for again shortly after it
// expires. A single code reply carries no server time, so its validity window narrows the
// page's clock offset instead.
import { useCallback, useEffect, useState } from "react";
import type { CodeReply } from "../../../../src/contract/codes.js";
import { ApiError, client } from "../../ui/api-client.js";
import { offsetWithinWindow } from "../code-clock.js";
import { pollCodes } from "../code-polling.js";
import { clockOffsetNow, setClockOffset } from "../server-clock.js";

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
    return pollCodes({
      fetch: () => client.getCode(entryId),
      onReply: (reply, sentAt) => {
        setClockOffset(offsetWithinWindow(clockOffsetNow(), reply.validFrom, reply.validUntil, sentAt, Date.now()));
        setCode(reply);
        setError(undefined);
        return [reply.validUntil];
      },
      onError: setError,
      isFinal: (reason) => reason instanceof ApiError && ["unauthenticated", "forbidden", "not_found"].includes(reason.code),
    });
  }, [entryId, isEnabled, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { code, error, refresh };
}
