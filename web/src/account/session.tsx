// Who is signed in, shared by every page: asked of the server once, set directly by sign-in and
// setup (whose replies carry the session), and cleared by signing out, or when a request finds
// the session gone (ended in another tab, or timed out).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { ApiError, client, onSessionEnded } from "../ui/api-client.js";

export type SessionState =
  | { readonly status: "unknown" }
  | { readonly status: "loading" }
  | { readonly status: "signed-in"; readonly session: SessionInfo }
  | { readonly status: "signed-out"; readonly hasJustSignedOut: boolean; readonly hasSessionEnded?: boolean }
  | { readonly status: "failed"; readonly error: unknown };

interface SessionContextValue {
  readonly state: SessionState;
  /** Asks the server who is signed in (a 401 means nobody). */
  readonly loadSession: () => void;
  /** Records the session a sign-in or setup reply carried. */
  readonly startSession: (session: SessionInfo) => void;
  /** Ends the session on the server; rejects, leaving the state alone, if that fails. */
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "unknown" });

  const loadSession = useCallback(() => {
    setState({ status: "loading" });
    client.getSession().then(
      (session) => setState({ status: "signed-in", session }),
      (error: unknown) => {
        if (error instanceof ApiError && error.code === "unauthenticated") setState({ status: "signed-out", hasJustSignedOut: false });
        else setState({ status: "failed", error });
      },
    );
  }, []);

  const startSession = useCallback((session: SessionInfo) => setState({ status: "signed-in", session }), []);

  const endSession = useCallback(
    () => setState((current) => (current.status === "signed-in" ? { status: "signed-out", hasJustSignedOut: false, hasSessionEnded: true } : current)),
    [],
  );
  useEffect(() => onSessionEnded(endSession), [endSession]);

  // Back in this tab after a while: ask whether the session still holds, so a page that makes no
  // request of its own does not sit there showing what is no longer true.
  const isSignedIn = state.status === "signed-in";
  useEffect(() => {
    if (!isSignedIn) return undefined;
    const onVisible = (): void => {
      if (document.visibilityState !== "visible") return;
      client.getSession().then(
        // Someone else may have signed in in another tab: this tab follows the browser's session.
        (session) => setState((current) => (current.status === "signed-in" && current.session.user.id !== session.user.id ? { status: "signed-in", session } : current)),
        (error: unknown) => {
          if (error instanceof ApiError && error.code === "unauthenticated") endSession();
        },
      );
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [isSignedIn, endSession]);

  const signOut = useCallback(async () => {
    await client.signOut();
    setState({ status: "signed-out", hasJustSignedOut: true });
  }, []);

  const value = useMemo(() => ({ state, loadSession, startSession, signOut }), [state, loadSession, startSession, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error("useSession() needs a <SessionProvider> above it.");
  return value;
}
