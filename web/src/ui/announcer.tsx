// One polite live region for the signed-in pages: short confirmations ("Copied") that a screen
// reader should hear without anything moving focus.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

const AnnounceContext = createContext<((message: string) => void) | undefined>(undefined);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const announce = useCallback((next: string) => {
    // Emptied first, so the same sentence twice in a row is announced twice.
    setMessage("");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setMessage(next), 60);
  }, []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnounceContext value={value}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext>
  );
}

export function useAnnounce(): (message: string) => void {
  const announce = useContext(AnnounceContext);
  // Outside the provider (tests, stand-alone pages) announcing quietly does nothing.
  return announce ?? (() => undefined);
}
