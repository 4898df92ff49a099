// Who is signed in, shared by every page: one TanStack Query entry under SESSION_KEY, asked of the
// server once a signed-in page needs it, set directly by sign-in and setup (whose replies carry the
// session), and cleared by signing out, or when a request finds the session gone (ended in another
// tab, or timed out). Whenever the person changes or leaves, the rest of the cache is forgotten, so
// nobody sees what the previous person's requests brought.
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { ApiError, client, onSessionEnded } from "../ui/api-client.js";

type SignedIn = { readonly status: "signed-in"; readonly session: SessionInfo };
type SignedOut = { readonly status: "signed-out"; readonly hasJustSignedOut: boolean; readonly hasSessionEnded?: boolean };

export type SessionState = { readonly status: "unknown" } | { readonly status: "loading" } | SignedIn | SignedOut | { readonly status: "failed"; readonly error: unknown };

interface SessionContextValue {
  readonly state: SessionState;
  /** Asks the server who is signed in (a 401 means nobody). */
  readonly loadSession: () => void;
  /** Records the session a sign-in or setup reply carried. */
  readonly startSession: (session: SessionInfo) => void;
  /** Ends the session on the server; rejects, leaving the state alone, if that fails. */
  readonly signOut: () => Promise<void>;
}

export const SESSION_KEY = ["session"] as const;

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** Drops every cached reply but the session's. */
function forgetServerState(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

const userIdOf = (answer: SignedIn | SignedOut | undefined): string | undefined => (answer?.status === "signed-in" ? answer.session.user.id : undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [isAsked, setAsked] = useState(false);

  const setAnswer = useCallback((next: SignedIn | SignedOut) => queryClient.setQueryData(SESSION_KEY, next), [queryClient]);

  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SignedIn | SignedOut> => {
      const before = queryClient.getQueryData<SignedIn | SignedOut>(SESSION_KEY);
      let next: SignedIn | SignedOut;
      try {
        next = { status: "signed-in", session: await client.getSession() };
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "unauthenticated")) throw error;
        // Signed in a moment ago and now nobody: the session ended elsewhere.
        next = { status: "signed-out", hasJustSignedOut: false, ...(before?.status === "signed-in" ? { hasSessionEnded: true } : {}) };
      }
      // Someone else may have signed in in another tab: this tab follows the browser's session.
      return next;
    },
    enabled: isAsked,
    // Asked again only when the person comes back to the tab (below), not on every mount.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });

  const loadSession = useCallback(() => {
    if (isAsked) void query.refetch();
    else setAsked(true);
  }, [isAsked, query]);

  const startSession = useCallback(
    (session: SessionInfo) => {
      setAnswer({ status: "signed-in", session });
      setAsked(true);
    },
    [setAnswer],
  );

  const endSession = useCallback(() => {
    const before = queryClient.getQueryData<SignedIn | SignedOut>(SESSION_KEY);
    if (before?.status === "signed-in") setAnswer({ status: "signed-out", hasJustSignedOut: false, hasSessionEnded: true });
  }, [queryClient, setAnswer]);
  useEffect(() => onSessionEnded(endSession), [endSession]);

  // Back in this tab after a while: ask whether the session still holds, so a page that makes no
  // request of its own does not sit there showing what is no longer true. (A failure to ask keeps
  // what is known: the cache keeps its data when a refetch fails.)
  // The person left or changed: forget what their requests brought. After the render that took
  // their pages down (signed out) or moved them to the new person, so no page still showing
  // asks again for the one who left.
  const userId = userIdOf(query.data);
  const shownUserId = useRef(userId);
  useEffect(() => {
    if (shownUserId.current !== undefined && shownUserId.current !== userId) forgetServerState(queryClient);
    shownUserId.current = userId;
  }, [userId, queryClient]);

  const isSignedIn = userId !== undefined;
  useEffect(() => {
    if (!isSignedIn) return undefined;
    const onVisible = (): void => {
      if (document.visibilityState === "visible") void queryClient.refetchQueries({ queryKey: SESSION_KEY });
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [isSignedIn, queryClient]);

  const signOut = useCallback(async () => {
    await client.signOut();
    setAnswer({ status: "signed-out", hasJustSignedOut: true });
  }, [setAnswer]);

  const state: SessionState =
    query.data !== undefined ? query.data : !isAsked ? { status: "unknown" } : query.isError && !query.isFetching ? { status: "failed", error: query.error } : { status: "loading" };
  const value = useMemo(() => ({ state, loadSession, startSession, signOut }), [state, loadSession, startSession, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error("useSession() needs a <SessionProvider> above it.");
  return value;
}
