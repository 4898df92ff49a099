// The current codes of every TOTP and Steam entry on "My entries", from one batch request that
// is repeated shortly after the first code expires (not every second). The reply's serverTime
// sets the page's clock offset; a tab that comes back into view refreshes at once.
import { useCallback, useEffect, useState } from "react";
import type { BatchCode, BatchCodeProblem } from "../../../src/contract/codes.js";
import { ApiError, client } from "../ui/api-client.js";
import { clockOffset } from "./code-clock.js";
import { pollCodes } from "./code-polling.js";
import { setClockOffset } from "./server-clock.js";

export interface LiveCodes {
  readonly codes: ReadonlyMap<string, BatchCode>;
  /** Entries the batch gave no code, and why (a damaged seed), by entry id. */
  readonly problems: ReadonlyMap<string, BatchCodeProblem>;
  /** The last refresh failed; the codes shown may be old. */
  readonly error: unknown;
  readonly isLoaded: boolean;
  /** Asks again now, e.g. after an entry was added. */
  readonly refresh: () => void;
}

const isFinal = (error: unknown): boolean => error instanceof ApiError && (error.code === "unauthenticated" || error.code === "forbidden");

export function useLiveCodes(isEnabled: boolean): LiveCodes {
  const [codes, setCodes] = useState<ReadonlyMap<string, BatchCode>>(new Map());
  const [problems, setProblems] = useState<ReadonlyMap<string, BatchCodeProblem>>(new Map());
  const [error, setError] = useState<unknown>();
  const [isLoaded, setLoaded] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!isEnabled) return;
    return pollCodes({
      fetch: () => client.batchCodes(),
      onReply: (reply, sentAt) => {
        setClockOffset(clockOffset(reply.serverTime, sentAt, Date.now()));
        setCodes(new Map(reply.codes.map((code) => [code.entryId, code])));
        setProblems(new Map(reply.problems.map((problem) => [problem.entryId, problem])));
        setError(undefined);
        setLoaded(true);
        return reply.codes.map((code) => code.validUntil);
      },
      onError: (reason) => {
        setError(reason);
        setLoaded(true);
      },
      isFinal,
    });
  }, [isEnabled, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { codes, problems, error, isLoaded, refresh };
}
