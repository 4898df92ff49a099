// Asks the server about a one-time link (setup, invitation, password reset) when its page opens,
// and again on "Retry"; an answer that comes after the page moved on is dropped.
import { useCallback, useEffect, useState } from "react";

export type LinkCheck<S> = { readonly kind: "checking" } | S;

/** `check` resolves with the page's state for a working link; `stateOf` turns a refusal into one. */
export function useLinkCheck<S>(check: () => Promise<S>, stateOf: (error: unknown) => S) {
  const [link, setLink] = useState<LinkCheck<S>>({ kind: "checking" });
  const recheck = useCallback(() => {
    let isCurrent = true;
    setLink({ kind: "checking" });
    check().then(
      (state) => isCurrent && setLink(state),
      (error: unknown) => isCurrent && setLink(stateOf(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [check, stateOf]);
  useEffect(recheck, [recheck]);
  return { link, setLink, recheck };
}
