// The header's "Requests" link with a count of what waits for the reader (requests to approve,
// emergency uses to review, unread decisions on their own requests), polled every 20 seconds while the page is
// visible and at once when it becomes visible again.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../ui/api-client.js";

const POLL_MS = 20_000;
/** Dispatched on window when the reader changed what the count counts (read, approved, denied…). */
export const REQUESTS_CHANGED = "watchword:requests-changed";

export const announceRequestsChanged = (): void => {
  window.dispatchEvent(new Event(REQUESTS_CHANGED));
};

export function RequestsNavLabel() {
  const { t } = useTranslation();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let isGone = false;
    const poll = async (): Promise<void> => {
      if (document.visibilityState !== "visible") return;
      try {
        const [waiting, notes] = await Promise.all([client.countAccessRequests(), client.countNotifications()]);
        if (!isGone) setCount(waiting.toApprove + waiting.toReview + notes.unreadDecisions);
      } catch {
        // A failed poll keeps the last count; the next one tries again.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    const onVisible = () => void poll();
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener(REQUESTS_CHANGED, onVisible);
    return () => {
      window.removeEventListener(REQUESTS_CHANGED, onVisible);
      isGone = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
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
