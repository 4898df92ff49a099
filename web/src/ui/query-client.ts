// The page's one TanStack Query cache of server state: the session, entries, folders and
// templates, each under a key of its own (entries/queries.ts, account/session.tsx). Codes never go
// in it: a cache refetches on its own (on focus, on mount, on retry), and every code handed out
// must be one somebody asked for (entries/use-code-on-demand.ts).
import { notifyManager, QueryClient } from "@tanstack/react-query";

export function createQueryClient(): QueryClient {
  // Tell components of a change before the next task, not in a setTimeout: sign-in and sign-out
  // set the session and navigate in the same breath, and the page they lead to must already see
  // the new session (with the default, the sign-in page saw the old one for a moment and sent
  // the person back to the entries they had just signed out of).
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      // Pages offer "Try again" themselves; a refusal (4xx) would only be refused again.
      queries: { retry: false },
      mutations: { retry: false },
    },
  });
}
