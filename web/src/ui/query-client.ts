// The page's one TanStack Query cache of server state: the session, entries, folders and
// templates, each under a key of its own (entries/queries.ts, account/session.tsx). Codes never go
// in it: a cache refetches on its own (on focus, on mount, on retry), and every code handed out
// must be one somebody asked for (entries/use-code-on-demand.ts).
import { QueryClient } from "@tanstack/react-query";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Pages offer "Try again" themselves; a refusal (4xx) would only be refused again.
      queries: { retry: false },
      mutations: { retry: false },
    },
  });
}
