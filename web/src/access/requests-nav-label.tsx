// The header's "Requests" link with a count of what waits for the reader (requests to approve,
// emergency uses to review, unread decisions on their own requests), polled every 20 seconds while the page is
// visible and at once when it becomes visible again.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { client } from "../ui/api-client.js";

const POLL_MS = 20_000;
/** The requests page's and the header count's queries. */
export const REQUESTS_KEY = ["access-requests"] as const;

/** For when the reader changed what the count and the requests page show (read, approved, denied…): both load again. */
export function useRequestsChanged(): () => void {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: REQUESTS_KEY });
}

async function waitingCount(): Promise<number> {
  const [waiting, notes] = await Promise.all([client.countAccessRequests(), client.countNotifications()]);
  return waiting.toApprove + waiting.toReview + notes.unreadDecisions;
}

export function RequestsNavLabel() {
  const { t } = useTranslation();
  // TanStack Query polls only while the page is visible, and asks again when it becomes visible;
  // a failed poll keeps the last count.
  const query = useQuery({ queryKey: [...REQUESTS_KEY, "count"], queryFn: waitingCount, refetchInterval: POLL_MS, refetchOnWindowFocus: true });
  const count = query.data ?? 0;
  return (
    <>
      {t("access.navLabel")}
      {count === 0 ? null : (
        <span className="count-badge count-badge--alert" data-testid="requests-badge" aria-label={t("access.badge", { count })}>
          {count}
        </span>
      )}
    </>
  );
}
