// Loading one thing from the server for a page: loading, loaded or failed, with a way to load
// again and to replace the value after a change the page made itself.
import { useCallback, useEffect, useState } from "react";

export type LoadState<T> =
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly value: T }
  | { readonly status: "failed"; readonly error: unknown };

export interface Loaded<T> {
  readonly state: LoadState<T>;
  /** Loads again; the current value stays on screen until the new one arrives. */
  readonly reload: () => void;
  readonly replace: (value: T) => void;
}

export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<LoadState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    load().then(
      (value) => {
        if (!isCancelled) setState({ status: "ready", value });
      },
      (error: unknown) => {
        if (!isCancelled) setState({ status: "failed", error });
      },
    );
    return () => {
      isCancelled = true;
    };
    // `load` is a new function on every render; `key` says when it asks for something else.
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((value: T) => setState({ status: "ready", value }), []);
  return { state, reload, replace };
}
