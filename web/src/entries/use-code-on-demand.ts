// One entry's code, fetched only when the person asks — "Show code", "Copy code", "Next code" —
// and never by itself. A shown TOTP or Steam code stays live (the next one is fetched at each
// period boundary) while it stays open and the page visible; "Hide code", leaving the page or
// hiding it (another tab, another app) closes it, and nothing more is fetched until asked again.
// Each fetch is one audit event on the server, so none may happen that nobody asked for: this is
// hand-written rather than a TanStack query, whose cache refetches on its own (on focus, on
// remount, on reconnect) and keeps codes after use.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { CodeReply } from "../../../src/contract/codes.js";
import type { OtpType } from "../../../src/contract/entries.js";
import { auditKeys } from "../audit/audit-queries.js";
import { client } from "../ui/api-client.js";
import { offsetWithinWindow, refreshDelayMs } from "./code-clock.js";
import { useCopy, type CopyState } from "./copy-code.js";
import { clockOffsetNow, serverNow, setClockOffset } from "./server-clock.js";

export interface CodeOnDemand {
  /** The code on screen; undefined while closed. */
  readonly code: CodeReply | undefined;
  /** A code asked for with show or next is on its way. */
  readonly isFetching: boolean;
  /** A code asked for with copy is on its way. */
  readonly isFetchingCopy: boolean;
  /** Why the last code asked for did not come. */
  readonly error: unknown;
  readonly copyState: CopyState;
  readonly show: () => void;
  /** HOTP: the next code (moves the counter on). */
  readonly next: () => void;
  readonly hide: () => void;
  /** Copies the code on screen, or fetches one and copies it without showing it. */
  readonly copy: () => void;
}

interface CodeSource {
  readonly id: string;
  readonly name: string;
  readonly type: OtpType;
}

export function useCodeOnDemand({ id, name, type }: CodeSource): CodeOnDemand {
  const [code, setCode] = useState<CodeReply>();
  const [isFetching, setFetching] = useState(false);
  const [isFetchingCopy, setFetchingCopy] = useState(false);
  const [error, setError] = useState<unknown>();
  const { state: copyState, copy: copyText } = useCopy();
  // Bumped by every close: a reply asked for before it is not shown.
  const generation = useRef(0);
  const isOpen = code !== undefined;
  const queryClient = useQueryClient();

  const fetchCode = useCallback(async (): Promise<CodeReply> => {
    const sentAt = Date.now();
    const reply = type === "hotp" ? await client.takeCode(id) : await client.getCode(id);
    // The code was audited before it came: the entry's recent use says so at once.
    void queryClient.invalidateQueries({ queryKey: auditKeys.entry(id) });
    // A single code reply carries no server time: its window narrows the page's clock offset.
    setClockOffset(offsetWithinWindow(clockOffsetNow(), reply.validFrom, reply.validUntil, sentAt, Date.now()));
    return reply;
  }, [id, type, queryClient]);

  const close = useCallback((reason?: unknown) => {
    generation.current += 1;
    setCode(undefined);
    setFetching(false);
    setError(reason);
  }, []);

  const open = useCallback(() => {
    if (isFetching) return;
    const asked = generation.current;
    setFetching(true);
    setError(undefined);
    fetchCode().then(
      (reply) => {
        if (generation.current !== asked) return;
        setCode(reply);
        setFetching(false);
      },
      (reason: unknown) => {
        if (generation.current === asked) close(reason);
      },
    );
  }, [isFetching, fetchCode, close]);

  // Live: the next code shortly after this one expires, for as long as it stays open.
  useEffect(() => {
    const validUntil = code?.validUntil ?? null;
    if (validUntil === null) return undefined;
    const asked = generation.current;
    const timer = setTimeout(() => {
      fetchCode().then(
        (reply) => {
          if (generation.current === asked) setCode(reply);
        },
        (reason: unknown) => {
          if (generation.current === asked) close(reason);
        },
      );
    }, refreshDelayMs([validUntil], serverNow()));
    return () => clearTimeout(timer);
    // On each reply, even one for the same window (asked a little early), so it never stalls.
  }, [code, fetchCode, close]);

  // Nobody looks at a hidden page: close, so nothing is fetched until asked again.
  useEffect(() => {
    if (!isOpen && !isFetching) return undefined;
    const onVisibility = (): void => {
      if (document.visibilityState === "hidden") close();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, [isOpen, isFetching, close]);

  // Leaving the page: a reply still on its way is dropped.
  useEffect(
    () => () => {
      generation.current += 1;
    },
    [],
  );

  const copy = useCallback(() => {
    const isCurrent = code !== undefined && (code.validUntil === null || serverNow() < code.validUntil);
    if (isCurrent) return void copyText(code.code, name);
    if (isFetchingCopy) return;
    setFetchingCopy(true);
    setError(undefined);
    const text = fetchCode().then((reply) => reply.code);
    text.then(
      () => setFetchingCopy(false),
      (reason: unknown) => {
        setFetchingCopy(false);
        setError(reason);
      },
    );
    void copyText(text, name);
  }, [code, isFetchingCopy, fetchCode, copyText, name]);

  return { code, isFetching, isFetchingCopy, error, copyState, show: open, next: open, hide: () => close(), copy };
}
