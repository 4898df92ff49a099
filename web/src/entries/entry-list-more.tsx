// Below a list of entries that goes on: how many are shown so far, and "Show more", which asks
// the server for the next page.
import { useTranslation } from "react-i18next";
import { Button } from "../ui/button.js";
import { describeProblem } from "../ui/problem-text.js";

interface EntryListMoreProps {
  /** "100 entries shown so far", as the page's heading says it. */
  readonly countText: string;
  readonly isLoading: boolean;
  /** Why the last "Show more" failed, if it did. */
  readonly error: unknown;
  readonly onMore: () => void;
}

export function EntryListMore({ countText, isLoading, error, onMore }: EntryListMoreProps) {
  const { t } = useTranslation();
  return (
    <div className="entry-list-more" data-testid="entry-list-more">
      <p className="entry-list-more__count">{countText}</p>
      {error === undefined ? null : (
        <p className="entry-list-more__error" role="alert" data-testid="entry-list-more-failed">
          {t("entries.list.moreFailed", { reason: describeProblem(error, t) })}
        </p>
      )}
      <Button variant="secondary" isBusy={isLoading} onClick={onMore} data-testid="entry-show-more">
        {isLoading ? t("entries.list.loadingMore") : t("entries.list.showMore")}
      </Button>
    </div>
  );
}
